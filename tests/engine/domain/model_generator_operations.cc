// The generator's operations, withdrawals and directory commands.
#include "engine/domain/model_generator.h"

namespace ledger::testing {
namespace {

using domain::Principal;
using schema::OperationKind;
using schema::OperationOutcome;
using schema::Role;
using Status = ReferenceModel::Status;

/// The kind a processor would most likely report next for a transaction in `status`.
OperationKind Likely(Status status, int percent) {
  switch (status) {
    case Status::kPending:
      return percent < 85 ? OperationKind::Authorization : OperationKind::Cancellation;
    case Status::kAuthorized:
      return percent < 80 ? OperationKind::Capture : OperationKind::Cancellation;
    case Status::kCaptured:
      if (percent < 35) return OperationKind::Refund;
      if (percent < 55) return OperationKind::Fee;
      if (percent < 75) return OperationKind::Chargeback;
      return OperationKind::Capture;
    default:
      return percent < 50 ? OperationKind::Fee : OperationKind::Refund;
  }
}

/// An amount near the limit the rules set for this kind on `t`.
std::int64_t Limit(OperationKind kind, const ReferenceModel::Transaction& t) {
  switch (kind) {
    case OperationKind::Authorization:
      return t.amount - t.authorized;
    case OperationKind::Capture:
      return t.authorized - t.captured;
    case OperationKind::Refund:
    case OperationKind::Chargeback:
      return (t.captured - t.reversed) / (kind == OperationKind::Refund ? 2 : 1);
    case OperationKind::Fee:
      return std::max<std::int64_t>(1, (t.amount - t.fees) / 20);
    default:
      return t.amount;
  }
}

}  // namespace

CommandRequest ModelGenerator::RecordOperation(PlatformInfo& platform) {
  domain::RecordOperation c;
  c.platform_id = platform.id;
  c.order_id = "none";
  c.transaction_id = "none";
  // Mostly recent transactions that exist.
  for (int attempt = 0; attempt < 4 && !platform.transactions.empty(); ++attempt) {
    const std::size_t n = platform.transactions.size();
    const auto& [order, transaction] =
        platform
            .transactions[Percent() < 85 ? n - 1 - Below(std::min<std::size_t>(n, 40)) : Below(n)];
    c.order_id = order;
    c.transaction_id = transaction;
    if (model_.transactions().contains(platform.id + "/" + transaction)) break;
  }
  if (Percent() < 2 && !platform.orders.empty()) {
    c.order_id = platform.orders[Below(platform.orders.size())];
  }
  c.operation_id = MaybeBroken("op" + std::to_string(next_id_++));
  if (Percent() < 1) c.operation_id = "op" + std::to_string(Below(next_id_));
  auto found = model_.transactions().find(platform.id + "/" + c.transaction_id);
  const bool known = found != model_.transactions().end();
  c.kind = known && Percent() < 80 ? Likely(found->second.status, Percent())
                                   : static_cast<OperationKind>(1 + Below(6));
  if (Percent() == 0) c.kind = OperationKind::Unspecified;
  c.outcome = Percent() < 8 ? OperationOutcome::Failed : OperationOutcome::Succeeded;
  if (Percent() == 0) c.outcome = OperationOutcome::Unspecified;
  c.amount_minor = Around(known ? std::max<std::int64_t>(1, Limit(c.kind, found->second)) : 100);
  if (Percent() < 5) {
    auto order = model_.orders().find(platform.id + "/" + c.order_id);
    c.currency =
        order != model_.orders().end() && Percent() < 60 ? order->second.currency : Currency();
  }
  c.external_reference = "psp";
  c.occurred_at_us = Percent() == 0 ? 0 : 1'700'000'000'000'000;
  Principal principal = PrincipalFor(platform);
  if (c.kind == OperationKind::Refund && Percent() < 10) {
    principal = Principal::User("oper", platform.environment);
  }
  return Request(std::move(principal), std::move(c));
}

CommandRequest ModelGenerator::Withdrawal(PlatformInfo& platform) {
  const int p = Percent();
  if (p < 60 || platform.withdrawals.empty()) {
    std::string currency = Currency();
    std::string account = "b-" + (Percent() < 5 ? std::string("EUR") : currency);
    if (Percent() < 2) account = "b-none";
    std::string id = "w" + std::to_string(next_id_++);
    if (Percent() < 2 && !platform.withdrawals.empty()) {
      id = platform.withdrawals[Below(platform.withdrawals.size())];
    }
    platform.withdrawals.push_back(id);
    const std::int64_t available = model_.Wallet(platform.id, currency);
    std::int64_t amount = Around(available > 0 ? available / (Percent() < 50 ? 1 : 3) + 1 : 10);
    if (available > 0 && Percent() < 30) amount = available;
    Principal principal = Percent() < 75 ? AdminFor(platform) : PrincipalFor(platform);
    return Request(std::move(principal), domain::RequestWithdrawal{platform.id, MaybeBroken(id),
                                                                   account, amount, currency});
  }
  const std::string& id = platform.withdrawals[Below(platform.withdrawals.size())];
  Principal principal = Percent() < 85 ? KeyOf(platform) : PrincipalFor(platform);
  if (p < 85) {
    return Request(std::move(principal), domain::SettleWithdrawal{platform.id, id, "bank"});
  }
  return Request(std::move(principal), domain::FailWithdrawal{platform.id, id, "rejected"});
}

CommandRequest ModelGenerator::Directory(PlatformInfo& platform) {
  static constexpr const char* kUsers[] = {"dev",    "oper",  "sales", "acct",
                                           "padmin", "ghost", "admin2"};
  static constexpr Role kRoles[] = {Role::Admin, Role::Developer, Role::Operator, Role::Sales,
                                    Role::Accountant};
  const std::string organization = platform.organization;
  const std::string user = kUsers[Below(std::size(kUsers))];
  const int p = Percent();
  Principal principal = Percent() < 80 ? AdminFor(platform) : PrincipalFor(platform);
  if (p < 35) {
    domain::GrantRole grant{organization, user, kRoles[Below(5)], Percent() < 50, {}};
    if (!grant.all_platforms) grant.platform_ids = {platform.id};
    return Request(std::move(principal), std::move(grant));
  }
  if (p < 50) return Request(std::move(principal), domain::RevokeRole{organization, user});
  if (p < 75) {
    std::string key = platform.id + "-k" + std::to_string(next_id_++);
    platform.keys.push_back(key);
    return Request(std::move(principal),
                   domain::IssueApiKey{platform.id, key, Ledger::HashSecret(key)});
  }
  if (p < 85 && platform.keys.size() > 1) {
    // Revoke an older key; the newest one stays the platform's usual principal.
    const std::string key = platform.keys[Below(platform.keys.size() - 1)];
    return Request(std::move(principal), domain::RevokeApiKey{platform.id, key});
  }
  const char* currencies[] = {"EUR", "JPY", "KWD"};
  return Request(std::move(principal),
                 domain::AddBankAccount{platform.id, "b-" + std::to_string(next_id_++), "Holder",
                                        "FR7612345678", currencies[Below(3)]});
}

}  // namespace ledger::testing
