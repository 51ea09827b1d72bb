// Expected answers, read off the replayed state of expected.cc.
#include <algorithm>
#include <ctime>
#include <set>

#include "projections/expected.h"

namespace ledger::testing {
namespace {

using projections::CurrencyFigures;
using projections::DailyFigures;
using projections::OrderStatus;
using schema::OperationKind;
using schema::OperationOutcome;

OrderStatus StatusOf(const projections::OrderRecord& o, bool cancelled) {
  if (cancelled) return OrderStatus::kCancelled;
  if (o.captured_minor == 0) return OrderStatus::kOpen;
  if (o.refunded_minor + o.charged_back_minor == o.captured_minor) return OrderStatus::kRefunded;
  if (o.captured_minor == o.amount_minor) return OrderStatus::kPaid;
  return OrderStatus::kPartiallyPaid;
}

std::string Day(std::int64_t time_us) {
  const auto seconds = static_cast<std::time_t>(time_us / 1'000'000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[16];
  std::strftime(text, sizeof(text), "%Y-%m-%d", &tm);
  return text;
}

template <typename Figures>
void AddMoney(Figures& f, OperationKind kind, std::int64_t amount) {
  if (kind == OperationKind::Capture) f.captured_minor += amount;
  if (kind == OperationKind::Refund) f.refunded_minor += amount;
  if (kind == OperationKind::Chargeback) f.charged_back_minor += amount;
  if (kind == OperationKind::Fee) f.fees_minor += amount;
}

bool Moves(const projections::OperationRecord& op) {
  return op.outcome == OperationOutcome::Succeeded && op.kind != OperationKind::Authorization &&
         op.kind != OperationKind::Cancellation;
}

}  // namespace

std::vector<std::string> Expected::Platforms(schema::Environment environment,
                                             const std::string& organization) const {
  std::vector<std::string> platforms;
  for (const auto& [id, platform] : platforms_) {
    if (platform.environment == environment && platform.organization == organization) {
      platforms.push_back(id);
    }
  }
  return platforms;
}

std::vector<CurrencyFigures> Expected::Figures(schema::Environment environment,
                                               const std::string& organization,
                                               const std::string& platform) const {
  std::set<std::string> in_scope;
  if (platform.empty()) {
    for (const std::string& p : Platforms(environment, organization)) in_scope.insert(p);
  } else {
    in_scope.insert(platform);
  }
  std::map<std::string, CurrencyFigures> figures;
  for (const auto& [key, order] : orders_) {
    if (!in_scope.count(order.record.platform_id)) continue;
    CurrencyFigures& f = figures[order.record.currency];
    auto& bucket =
        f.orders_by_status[static_cast<std::size_t>(StatusOf(order.record, order.cancelled))];
    bucket.count += 1;
    bucket.amount_minor += order.record.amount_minor;
  }
  for (std::size_t i = 0; i < operations_.size(); ++i) {
    const projections::OperationRecord& op = operations_[i];
    if (!in_scope.count(operation_platforms_[i]) || !Moves(op)) continue;
    CurrencyFigures& f = figures[op.currency];
    AddMoney(f, op.kind, op.amount_minor);
    f.available_minor += op.net_minor;
  }
  for (const auto& [key, w] : withdrawals_) {
    if (!in_scope.count(w.platform_id)) continue;
    CurrencyFigures& f = figures[w.currency];
    if (w.status != projections::WithdrawalStatus::kFailed) f.available_minor -= w.amount_minor;
    if (w.status == projections::WithdrawalStatus::kRequested) {
      f.pending_withdrawal_minor += w.amount_minor;
    }
    if (w.status == projections::WithdrawalStatus::kSettled) f.withdrawn_minor += w.amount_minor;
  }
  std::vector<CurrencyFigures> result;
  for (auto& [currency, f] : figures) {
    f.currency = currency;
    result.push_back(f);
  }
  return result;
}

std::vector<DailyFigures> Expected::Daily(schema::Environment environment,
                                          const std::string& organization,
                                          const std::string& platform) const {
  std::set<std::string> in_scope;
  if (platform.empty()) {
    for (const std::string& p : Platforms(environment, organization)) in_scope.insert(p);
  } else {
    in_scope.insert(platform);
  }
  std::map<std::pair<std::string, std::string>, DailyFigures> days;
  for (std::size_t i = 0; i < operations_.size(); ++i) {
    const projections::OperationRecord& op = operations_[i];
    if (!in_scope.count(operation_platforms_[i]) || !Moves(op)) continue;
    AddMoney(days[{Day(op.recorded_at_us), op.currency}], op.kind, op.amount_minor);
  }
  for (const auto& [key, w] : withdrawals_) {
    if (!in_scope.count(w.platform_id) || w.status != projections::WithdrawalStatus::kSettled) {
      continue;
    }
    days[{Day(w.concluded_at_us), w.currency}].withdrawn_minor += w.amount_minor;
  }
  std::vector<DailyFigures> result;
  for (auto& [day_currency, f] : days) {
    f.day = day_currency.first;
    f.currency = day_currency.second;
    result.push_back(f);
  }
  return result;
}

std::vector<projections::OrderRecord> Expected::Orders(
    const std::vector<std::string>& platforms) const {
  std::vector<projections::OrderRecord> result;
  for (auto it = order_sequence_.rbegin(); it != order_sequence_.rend(); ++it) {
    const Order& order = orders_.at(*it);
    if (std::find(platforms.begin(), platforms.end(), order.record.platform_id) ==
        platforms.end()) {
      continue;
    }
    projections::OrderRecord record = order.record;
    record.status = StatusOf(record, order.cancelled);
    record.transaction_count = static_cast<std::uint32_t>(order.transactions.size());
    for (const auto& t : order.transactions) {
      record.operation_count += static_cast<std::uint32_t>(t.operations.size());
    }
    result.push_back(record);
  }
  return result;
}

projections::OrderDetail Expected::Detail(const std::string& platform,
                                          const std::string& order_id) const {
  const Order& order = orders_.at(platform + "|" + order_id);
  projections::OrderDetail detail;
  for (const projections::OrderRecord& record : Orders({platform})) {
    if (record.order_id == order_id) detail.order = record;
  }
  detail.transactions = order.transactions;
  return detail;
}

std::vector<projections::WithdrawalRecord> Expected::Withdrawals(
    const std::vector<std::string>& platforms) const {
  std::vector<projections::WithdrawalRecord> result;
  for (auto it = withdrawal_sequence_.rbegin(); it != withdrawal_sequence_.rend(); ++it) {
    const projections::WithdrawalRecord& w = withdrawals_.at(*it);
    if (std::find(platforms.begin(), platforms.end(), w.platform_id) != platforms.end()) {
      result.push_back(w);
    }
  }
  return result;
}

std::vector<projections::JournalEntry> Expected::Journal(
    const std::vector<std::string>& platforms) const {
  std::vector<projections::JournalEntry> result;
  for (const projections::JournalEntry& entry : journal_) {
    if (std::find(platforms.begin(), platforms.end(), entry.platform_id) != platforms.end()) {
      result.push_back(entry);
    }
  }
  return result;
}

std::vector<projections::TrialBalanceLine> Expected::TrialBalance(
    schema::Environment environment, const std::string& organization) const {
  const std::string owner = std::to_string(static_cast<int>(environment)) + "|" + organization;
  std::vector<projections::TrialBalanceLine> lines;
  for (const auto& [key, balance] : balances_) {
    if (balance_owner_.at(key) != owner) continue;
    const std::size_t bar = key.find('|');
    lines.push_back({key.substr(bar + 1), key.substr(0, bar), balance});
  }
  std::sort(lines.begin(), lines.end(), [](const auto& a, const auto& b) {
    return std::tie(a.currency, a.account) < std::tie(b.currency, b.account);
  });
  return lines;
}

std::vector<projections::ActivityEntry> Expected::Activity(const std::string& organization,
                                                           const std::string& actor) const {
  std::vector<projections::ActivityEntry> result;
  for (auto it = activity_.rbegin(); it != activity_.rend(); ++it) {
    if (it->first == organization && it->second.actor == actor) result.push_back(it->second);
  }
  return result;
}

std::vector<projections::RoleChange> Expected::Roles(const std::string& organization) const {
  std::vector<projections::RoleChange> result;
  for (const auto& [org, change] : roles_) {
    if (org == organization) result.push_back(change);
  }
  return result;
}

}  // namespace ledger::testing
