// A small reference model of the payment rules, written independently of engine/src/domain:
// plain maps of strings, one straight function per command, the rules of docs/domain.md in
// their documented order. The randomized test runs every command through the engine and
// through this model and requires the same result code.
//
// It covers the commands the randomized test generates: orders, transactions, operations,
// withdrawals, role grants and revocations, API keys and bank accounts. The directory it
// starts from is declared with the Add* members (mirroring what the test set up through the
// ledger).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "ledger/engine/domain/commands.h"
#include "ledger/engine/domain/permissions.h"
#include "ledger/engine/domain/rejection.h"

namespace ledger::testing {

class ReferenceModel {
 public:
  void AddOrganization(const std::string& id) { organizations_.insert(id); }
  void AddPlatform(const std::string& organization, const std::string& id,
                   schema::Environment environment);
  void AddUser(const std::string& id) { users_.insert(id); }
  void AddKey(const std::string& platform, const std::string& id);

  /// Decides `command` for `principal` and, when accepted, applies it.
  domain::ResultCode Execute(const domain::Principal& principal, const domain::Command& command);

  /// The available wallet balance of (platform, currency).
  std::int64_t Wallet(const std::string& platform, const std::string& currency) const;
  const std::map<std::string, std::int64_t>& wallets() const { return wallets_; }

  // What the generator draws ids from.
  struct Order {
    std::string platform;
    std::string currency;
    std::int64_t amount = 0;
    std::int64_t committed = 0;
    int transactions = 0;
    bool cancelled = false;
  };
  enum class Status { kPending, kAuthorized, kCaptured, kCancelled, kFailed };
  struct Transaction {
    std::string order;  // platform/order
    std::int64_t amount = 0, authorized = 0, captured = 0, reversed = 0, fees = 0;
    Status status = Status::kPending;
  };
  struct Withdrawal {
    std::string currency;
    std::int64_t amount = 0;
    int state = 0;  // 0 requested, 1 settled, 2 failed
  };
  const std::map<std::string, Order>& orders() const { return orders_; }
  const std::map<std::string, Transaction>& transactions() const { return transactions_; }
  const std::map<std::string, Withdrawal>& withdrawals() const { return withdrawals_; }
  /// The platform of an API key, or "" when unknown.
  std::string KeyPlatform(const std::string& key) const;
  bool KeyActive(const std::string& key) const;

 private:
  struct Platform {
    std::string organization;
    schema::Environment environment;
    std::map<std::string, std::string> bank_accounts;  // id -> currency
  };
  struct Key {
    std::string platform;
    bool active = true;
  };
  using Code = domain::ResultCode;
  using Principal = domain::Principal;

  bool Known(const Principal& p) const;
  bool SeesPlatform(const Principal& p, const std::string& platform) const;
  bool SeesOrganization(const Principal& p, const std::string& organization) const;
  bool May(const Principal& p, domain::Action action, const std::string& organization,
           const std::string& platform, schema::Environment environment) const;
  /// The shared step 2 for a platform command.
  std::optional<Code> OnPlatform(const Principal& p, const std::string& platform,
                                 domain::Action action) const;

  Code Do(const Principal& p, const domain::CreateOrder& c);
  Code Do(const Principal& p, const domain::CancelOrder& c);
  Code Do(const Principal& p, const domain::CreateTransaction& c);
  Code Do(const Principal& p, const domain::RecordOperation& c);
  Code Do(const Principal& p, const domain::RequestWithdrawal& c);
  Code Do(const Principal& p, const domain::SettleWithdrawal& c);
  Code Do(const Principal& p, const domain::FailWithdrawal& c);
  Code Do(const Principal& p, const domain::GrantRole& c);
  Code Do(const Principal& p, const domain::RevokeRole& c);
  Code Do(const Principal& p, const domain::IssueApiKey& c);
  Code Do(const Principal& p, const domain::RevokeApiKey& c);
  Code Do(const Principal& p, const domain::AddBankAccount& c);
  template <typename C>
  Code Do(const Principal&, const C&) {
    return Code::kLogRefusedTheAppend;  // Not modelled.
  }
  Code OperationState(const domain::RecordOperation& c, const Transaction& t) const;
  Code OperationMoney(const domain::RecordOperation& c, const Transaction& t,
                      const Order& order) const;
  void ApplyOperation(const domain::RecordOperation& c, Transaction& t, Order& order);

  std::set<std::string> organizations_;
  std::map<std::string, Platform> platforms_;
  std::set<std::string> users_;
  std::map<std::string, Key> keys_;
  /// organization -> user -> grant.
  std::map<std::string, std::map<std::string, domain::RoleGrant>> grants_;
  std::map<std::string, Order> orders_;              // platform/order
  std::map<std::string, Transaction> transactions_;  // platform/transaction
  std::set<std::string> operations_;                 // platform/operation
  std::map<std::string, Withdrawal> withdrawals_;    // platform/withdrawal
  std::map<std::string, std::int64_t> wallets_;      // platform/currency
};

}  // namespace ledger::testing
