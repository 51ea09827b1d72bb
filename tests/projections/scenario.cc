#include "projections/scenario.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "ledger/engine/domain/event_codec.h"

namespace ledger::testing {
namespace {

using schema::OperationKind;
using schema::OperationOutcome;
using Pending = std::vector<std::pair<EventMetadata, domain::Event>>;

constexpr std::int64_t kMinuteUs = 60'000'000;
const std::vector<std::string> kCurrencies = {"EUR", "JPY", "KWD"};
/// Texts a spreadsheet would take for formulas, and ones that need CSV quoting.
const std::vector<std::string> kAwkwardTexts = {"=1+2",        "@SUM(A1)",      "-3",
                                                "+cmd|' /C'",  "quote\"inside", "comma,inside",
                                                "line\nbreak", "\tTAB"};

}  // namespace

Scenario::Scenario(Log* log, std::int64_t* clock_us, std::uint32_t seed)
    : log_(log), clock_us_(clock_us), random_(seed) {}

std::int64_t Scenario::Uniform(std::int64_t low, std::int64_t high) {
  return std::uniform_int_distribution<std::int64_t>(low, high)(random_);
}

std::int64_t& Scenario::Available(std::size_t platform, const std::string& currency) {
  return available_[{platform, currency}];
}

SequenceNumber Scenario::last_sequence() const {
  return events_.empty() ? SequenceNumber{} : events_.back().sequence;
}

EventMetadata Scenario::PlatformMetadata(const ScenarioPlatform& platform,
                                         std::string actor) const {
  EventMetadata metadata;
  metadata.actor = actor.empty() ? platform.key_actor : std::move(actor);
  metadata.environment = platform.environment;
  metadata.organization = platform.organization;
  metadata.platform = platform.id;
  return metadata;
}

SequenceNumber Scenario::Append(Pending events) {
  std::vector<AppendRequest> batch;
  for (const auto& [metadata, event] : events) {
    AppendRequest request;
    request.event.stream = domain::StreamOf(event);
    request.event.type = domain::TypeOf(event);
    request.event.payload = domain::EncodeEvent(event);
    request.metadata = metadata;
    request.idempotency_scope = metadata.platform;
    batch.push_back(std::move(request));
  }
  *clock_us_ += Uniform(1, 180) * kMinuteUs;
  auto results = log_->Append(std::move(batch));
  EXPECT_TRUE(results.ok()) << results.status().ToString();
  if (!results.ok() || results->empty()) return {};
  const SequenceNumber first = results->front().first_sequence;
  auto recorded = log_->ReadRange(first, events.size());
  EXPECT_TRUE(recorded.ok());
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_TRUE((*results)[i].ok()) << (*results)[i].message;
    events_.push_back(CommittedEvent{(*recorded)[i].sequence(),
                                     (*recorded)[i].envelope().recorded_at_us(),
                                     std::move(events[i].first), std::move(events[i].second)});
  }
  return first;
}

void Scenario::SetUp() {
  Pending pending;
  EventMetadata root;
  root.actor = "root";
  for (std::string organization : {"acme", "globex"}) {
    root.organization = organization;
    pending.emplace_back(root, domain::OrganizationCreated{organization, organization + " Inc."});
    std::vector<std::pair<std::string, schema::Environment>> platforms = {
        {organization + "-shop-sandbox", schema::Environment::Sandbox},
        {organization + "-shop", schema::Environment::Production}};
    if (organization == "acme")
      platforms.emplace_back("acme-market", schema::Environment::Production);
    for (const auto& [id, environment] : platforms) {
      ScenarioPlatform platform{organization, id, environment, id + "-bank", "key:" + id + "-key"};
      EventMetadata metadata = PlatformMetadata(platform, "user:" + organization + "-admin");
      pending.emplace_back(metadata, domain::PlatformCreated{organization, id, id, environment});
      for (const std::string& currency : kCurrencies) {
        pending.emplace_back(metadata, domain::BankAccountAdded{
                                           organization, id, platform.bank_account + "-" + currency,
                                           "Holder", "FR76****1234", currency});
      }
      platforms_.push_back(platform);
    }
  }
  for (std::string user : {"acme-admin", "acme-accountant", "globex-admin", "carol"}) {
    EventMetadata metadata;
    metadata.actor = "root";
    pending.emplace_back(metadata, domain::UserRegistered{user, user + "@example.com", user});
    users_.push_back(user);
  }
  Append(std::move(pending));
}

void Scenario::Run(std::size_t steps, std::size_t per_append) {
  Pending pending;
  for (std::size_t i = 0; i < steps; ++i) {
    Step(&pending);
    if (pending.size() >= per_append) Append(std::exchange(pending, {}));
  }
  if (!pending.empty()) Append(std::move(pending));
}

void Scenario::Step(Pending* pending) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    const std::int64_t pick = Uniform(0, 99);
    bool done = false;
    if (pick < 20) {
      done = NewOrder(pending);
    } else if (pick < 40) {
      done = NewTransaction(pending);
    } else if (pick < 92) {
      done = NewOperation(pending);
    } else if (pick < 98) {
      done = NewWithdrawalStep(pending);
    } else {
      done = NewRoleChange(pending);
    }
    if (done) return;
  }
}

bool Scenario::NewOrder(Pending* pending) {
  const auto platform = static_cast<std::size_t>(Uniform(0, platforms_.size() - 1));
  const std::string& currency = kCurrencies[Uniform(0, kCurrencies.size() - 1)];
  Order order{platform, "order-" + std::to_string(++next_id_), currency, Uniform(100, 500'000), 0,
              false};
  std::string reference = "cart-" + std::to_string(next_id_ % 50);
  if (Uniform(0, 9) == 0) reference = kAwkwardTexts[Uniform(0, kAwkwardTexts.size() - 1)];
  const std::string actor = Uniform(0, 3) == 0 ? "user:carol" : std::string();
  pending->emplace_back(PlatformMetadata(platforms_[platform], actor),
                        domain::OrderCreated{platforms_[platform].id, order.id, order.amount,
                                             currency, "checkout", reference});
  orders_.push_back(std::move(order));
  // Now and then an open order is cancelled.
  if (orders_.size() > 3 && Uniform(0, 19) == 0) {
    Order& victim = orders_[Uniform(0, orders_.size() - 2)];
    if (!victim.cancelled) {
      victim.cancelled = true;
      pending->emplace_back(
          PlatformMetadata(platforms_[victim.platform]),
          domain::OrderCancelled{platforms_[victim.platform].id, victim.id, "customer left"});
    }
  }
  return true;
}

bool Scenario::NewTransaction(Pending* pending) {
  if (orders_.empty()) return false;
  // Recent orders are the ones being paid.
  const std::size_t from = orders_.size() > 40 ? orders_.size() - 40 : 0;
  Order& order = orders_[Uniform(from, orders_.size() - 1)];
  const std::int64_t open = order.amount - order.committed;
  if (order.cancelled || open <= 0) return false;
  const std::int64_t amount = Uniform(0, 2) == 0 ? Uniform(1, open) : open;
  Transaction t{order.platform, order.id, "tx-" + std::to_string(++next_id_), order.currency,
                amount};
  order.committed += amount;
  pending->emplace_back(
      PlatformMetadata(platforms_[order.platform]),
      domain::TransactionCreated{platforms_[order.platform].id, order.id, t.id, amount});
  transactions_.push_back(std::move(t));
  return true;
}

bool Scenario::NewOperation(Pending* pending) {
  if (transactions_.empty()) return false;
  const std::size_t from = transactions_.size() > 60 ? transactions_.size() - 60 : 0;
  Transaction& t = transactions_[Uniform(from, transactions_.size() - 1)];
  const std::int64_t kind_pick = Uniform(0, 99);
  OperationKind kind = OperationKind::Fee;
  std::int64_t amount = 0;
  bool succeeded = Uniform(0, 9) != 0;
  std::string actor;
  std::int64_t& available = Available(t.platform, t.currency);
  if (t.status == 0 && kind_pick < 85) {
    kind = kind_pick < 80 ? OperationKind::Authorization : OperationKind::Cancellation;
    amount = t.amount;
  } else if (t.status == 1 && kind_pick < 80) {
    kind = OperationKind::Capture;
    amount = Uniform(0, 1) == 0 ? t.authorized - t.captured : Uniform(1, t.authorized - t.captured);
  } else if (t.status == 2 && kind_pick < 40 && t.captured > t.reversed) {
    kind = kind_pick < 30 ? OperationKind::Refund : OperationKind::Chargeback;
    amount = Uniform(1, t.captured - t.reversed);
    if (kind == OperationKind::Refund) {
      if (available <= 0) return false;
      amount = std::min(amount, available);
      actor = "user:carol";
    }
  } else if (t.amount > t.fees && (t.status == 2 || kind_pick > 95)) {
    amount = Uniform(1, std::max<std::int64_t>(1, (t.amount - t.fees) / 20));
  } else {
    return false;
  }
  if (t.status >= 3 && kind != OperationKind::Fee) return false;
  if (succeeded) {
    switch (kind) {
      case OperationKind::Authorization:
        t.authorized += amount;
        t.status = 1;
        break;
      case OperationKind::Capture:
        t.captured += amount;
        t.status = 2;
        available += amount;
        break;
      case OperationKind::Cancellation:
        t.status = 3;
        break;
      case OperationKind::Refund:
      case OperationKind::Chargeback:
        t.reversed += amount;
        available -= amount;
        break;
      default:
        t.fees += amount;
        available -= amount;
        break;
    }
  } else if (kind == OperationKind::Authorization) {
    t.status = 4;
  }
  std::string reference = "psp-" + std::to_string(++next_id_);
  if (Uniform(0, 14) == 0) reference = kAwkwardTexts[Uniform(0, kAwkwardTexts.size() - 1)];
  pending->emplace_back(
      PlatformMetadata(platforms_[t.platform], actor),
      domain::OperationRecorded{
          platforms_[t.platform].id, t.order, t.id, "op-" + std::to_string(next_id_), kind,
          succeeded ? OperationOutcome::Succeeded : OperationOutcome::Failed, amount, t.currency,
          reference, *clock_us_ - Uniform(0, 59'000'000)});
  return true;
}

bool Scenario::NewWithdrawalStep(Pending* pending) {
  for (Withdrawal& w : withdrawals_) {
    if (!w.open || Uniform(0, 1) == 0) continue;
    w.open = false;
    const ScenarioPlatform& platform = platforms_[w.platform];
    if (Uniform(0, 3) == 0) {
      Available(w.platform, w.currency) += w.amount;
      pending->emplace_back(
          PlatformMetadata(platform),
          domain::WithdrawalFailed{platform.id, w.id, "account closed",
                                   platform.bank_account + "-" + w.currency, w.amount, w.currency});
    } else {
      pending->emplace_back(PlatformMetadata(platform),
                            domain::WithdrawalSettled{platform.id, w.id, "bank-" + w.id,
                                                      platform.bank_account + "-" + w.currency,
                                                      w.amount, w.currency});
    }
    return true;
  }
  const auto index = static_cast<std::size_t>(Uniform(0, platforms_.size() - 1));
  const std::string& currency = kCurrencies[Uniform(0, kCurrencies.size() - 1)];
  std::int64_t& available = Available(index, currency);
  if (available <= 0) return false;
  const ScenarioPlatform& platform = platforms_[index];
  Withdrawal w{index, "wd-" + std::to_string(++next_id_), currency, Uniform(1, available)};
  available -= w.amount;
  pending->emplace_back(
      PlatformMetadata(platform, "user:" + platform.organization + "-admin"),
      domain::WithdrawalRequested{platform.id, w.id, platform.bank_account + "-" + currency,
                                  w.amount, currency});
  withdrawals_.push_back(std::move(w));
  return true;
}

bool Scenario::NewRoleChange(Pending* pending) {
  const std::string organization = Uniform(0, 1) == 0 ? "acme" : "globex";
  EventMetadata metadata;
  metadata.actor = "user:" + organization + "-admin";
  metadata.organization = organization;
  const std::string& user = users_[Uniform(0, users_.size() - 1)];
  if (Uniform(0, 2) == 0) {
    pending->emplace_back(metadata,
                          domain::RoleRevoked{organization, user, schema::Role::Operator});
  } else {
    domain::RoleGranted granted{organization, user, schema::Role::Accountant, false, {}};
    if (Uniform(0, 1) == 0) {
      granted.all_platforms = true;
    } else {
      granted.platform_ids = {organization + "-shop"};
    }
    pending->emplace_back(metadata, std::move(granted));
  }
  return true;
}

}  // namespace ledger::testing
