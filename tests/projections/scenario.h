// Test logs for the projections: real domain events appended through the Log, generated at
// random but valid (amounts within what the domain would accept), with the clock moving by
// minutes to hours so that events spread over many days.
//
// Every committed event is kept, with the sequence and time the log gave it, so that
// expected.h can recompute each view's figures independently from the same events.
#pragma once

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "ledger/engine/append.h"
#include "ledger/engine/domain/events.h"
#include "ledger/engine/log.h"

namespace ledger::testing {

struct CommittedEvent {
  SequenceNumber sequence;
  std::int64_t recorded_at_us = 0;
  EventMetadata metadata;
  domain::Event event;
};

struct ScenarioPlatform {
  std::string organization;
  std::string id;
  schema::Environment environment = schema::Environment::Unspecified;
  /// Bank accounts are "<bank_account>-<currency>", one per currency.
  std::string bank_account;
  std::string key_actor;
};

class Scenario {
 public:
  /// `clock_us` is the value the log's clock returns; the scenario moves it forward.
  Scenario(Log* log, std::int64_t* clock_us, std::uint32_t seed);

  /// Two organizations, each with a sandbox and a production platform (and a third
  /// production platform for the first), users, roles and bank accounts.
  void SetUp();
  /// `steps` random commands, appended `per_append` to a batch.
  void Run(std::size_t steps, std::size_t per_append = 1);

  /// Appends events (one command each) in one batch; returns the first sequence.
  SequenceNumber Append(std::vector<std::pair<EventMetadata, domain::Event>> events);
  EventMetadata PlatformMetadata(const ScenarioPlatform& platform, std::string actor = {}) const;

  const std::vector<CommittedEvent>& events() const { return events_; }
  const std::vector<ScenarioPlatform>& platforms() const { return platforms_; }
  SequenceNumber last_sequence() const;
  std::mt19937& random() { return random_; }

 private:
  struct Transaction {
    std::size_t platform = 0;
    std::string order;
    std::string id;
    std::string currency;
    std::int64_t amount = 0;
    std::int64_t authorized = 0;
    std::int64_t captured = 0;
    std::int64_t reversed = 0;
    std::int64_t fees = 0;
    int status = 0;  // 0 pending, 1 authorized, 2 captured, 3 cancelled, 4 failed
  };
  struct Order {
    std::size_t platform = 0;
    std::string id;
    std::string currency;
    std::int64_t amount = 0;
    std::int64_t committed = 0;
    bool cancelled = false;
  };
  struct Withdrawal {
    std::size_t platform = 0;
    std::string id;
    std::string currency;
    std::int64_t amount = 0;
    bool open = true;
  };

  void Step(std::vector<std::pair<EventMetadata, domain::Event>>* pending);
  bool NewOrder(std::vector<std::pair<EventMetadata, domain::Event>>* pending);
  bool NewTransaction(std::vector<std::pair<EventMetadata, domain::Event>>* pending);
  bool NewOperation(std::vector<std::pair<EventMetadata, domain::Event>>* pending);
  bool NewWithdrawalStep(std::vector<std::pair<EventMetadata, domain::Event>>* pending);
  bool NewRoleChange(std::vector<std::pair<EventMetadata, domain::Event>>* pending);
  std::int64_t Uniform(std::int64_t low, std::int64_t high);
  std::int64_t& Available(std::size_t platform, const std::string& currency);

  Log* log_;
  std::int64_t* clock_us_;
  std::mt19937 random_;
  std::vector<CommittedEvent> events_;
  std::vector<ScenarioPlatform> platforms_;
  std::vector<std::string> users_;
  std::vector<Order> orders_;
  std::vector<Transaction> transactions_;
  std::vector<Withdrawal> withdrawals_;
  std::map<std::pair<std::size_t, std::string>, std::int64_t> available_;
  std::uint64_t next_id_ = 0;
};

}  // namespace ledger::testing
