// The model-based bank test over the network (docs/reliability.md, item 9): concurrent
// clients pay, refund, charge back, take fees and withdraw on two hot wallets while reading
// their balances. Afterwards an independent model written here from docs/domain.md §9
// replays the log and checks: no refund or withdrawal left a wallet negative, refunds and
// chargebacks never passed a transaction's captures, captures never passed authorizations,
// every acknowledged command is in the log at its sequence and nothing else is, every
// balance read during the run equals the model's balance at the sequence the read was made
// at, and the final balances and trial balance agree with the model.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "ledger/client/commands.h"
#include "ledger/schema/events_generated.h"
#include "server/server_fixture.h"

namespace ledger::testing {
namespace {

namespace p = protocol;
namespace c = client;
using schema::OperationKind;

const std::vector<std::string> kPlatforms = {"hot-a", "hot-b"};
constexpr int kClients = 8;
constexpr int kActionsPerClient = 250;

std::uint64_t Seed() {
  const char* text = std::getenv("LEDGER_TEST_SEED");
  std::uint64_t seed = text != nullptr ? std::strtoull(text, nullptr, 10) : std::random_device{}();
  std::printf("[   seed   ] LEDGER_TEST_SEED=%llu\n", static_cast<unsigned long long>(seed));
  return seed;
}

struct CapturedPayment {
  std::string platform;
  std::string order;
  std::int64_t captured = 0;
};

struct BalanceRead {
  std::string platform;
  std::uint64_t as_of = 0;
  std::int64_t balance = 0;
};

/// What the clients did, shared between them.
struct History {
  std::mutex mutex;
  std::map<std::string, std::uint64_t> acknowledged;  // key → sequence
  std::map<std::string, int> rejections;              // code name → count
  std::vector<CapturedPayment> captured;
  std::vector<std::pair<std::string, std::string>> withdrawals;  // platform, id
  std::vector<BalanceRead> reads;
  std::uint64_t commands = 0;
};

class BankClient {
 public:
  BankClient(TestServer& server, History& history, int id, std::uint64_t seed)
      : client_(server.ConnectRoot()), history_(history), id_(id), random_(seed + id) {}

  void Run() {
    for (int action = 0; action < kActionsPerClient; ++action) {
      const int roll = Uniform(0, 99);
      if (roll < 35) {
        Pay();
      } else if (roll < 60) {
        Operation(OperationKind::Refund);
      } else if (roll < 80) {
        Withdraw();
      } else if (roll < 85) {
        Conclude();
      } else if (roll < 88) {
        Operation(OperationKind::Chargeback);
      } else if (roll < 92) {
        Operation(OperationKind::Fee);
      } else {
        ReadBalance();
      }
    }
  }

 private:
  void Pay() {
    const std::string& platform = kPlatforms[Uniform(0, 1)];
    const std::string order = Id("o");
    const std::int64_t amount = Uniform(100, 5'000);
    auto op = [&](OperationKind kind) {
      return c::RecordOperation({platform, order, order + "-t", Id("op"), kind,
                                 schema::OperationOutcome::Succeeded, amount, "psp", 1},
                                c::WithKey(Id("k")));
    };
    if (Execute({c::CreateOrder(platform, order, amount, "EUR", "checkout", "cart",
                                c::WithKey(Id("k"))),
                 c::CreateTransaction(platform, order, order + "-t", amount, c::WithKey(Id("k"))),
                 op(OperationKind::Authorization), op(OperationKind::Capture)}) == 4) {
      std::lock_guard lock(history_.mutex);
      history_.captured.push_back({platform, order, amount});
    }
  }

  /// A refund, chargeback or fee on a random captured payment, of a random amount that may
  /// well be more than what is left of it or of the wallet.
  void Operation(OperationKind kind) {
    CapturedPayment payment;
    {
      std::lock_guard lock(history_.mutex);
      if (history_.captured.empty()) return;
      payment = history_.captured[Uniform(0, history_.captured.size() - 1)];
    }
    const std::int64_t amount =
        kind == OperationKind::Fee ? Uniform(1, 300) : Uniform(1, payment.captured);
    Execute({c::RecordOperation({payment.platform, payment.order, payment.order + "-t", Id("op"),
                                 kind, schema::OperationOutcome::Succeeded, amount, "psp", 1},
                                c::WithKey(Id("k")))});
  }

  void Withdraw() {
    const int which = Uniform(0, 1);
    const std::string withdrawal = Id("wd");
    if (Execute({c::RequestWithdrawal(kPlatforms[which], withdrawal, "acct-" + kPlatforms[which],
                                      Uniform(100, 8'000), "EUR", c::WithKey(Id("k")))}) == 1) {
      std::lock_guard lock(history_.mutex);
      history_.withdrawals.emplace_back(kPlatforms[which], withdrawal);
    }
  }

  /// Settles or fails a requested withdrawal (a failed one returns its funds).
  void Conclude() {
    std::pair<std::string, std::string> withdrawal;
    {
      std::lock_guard lock(history_.mutex);
      if (history_.withdrawals.empty()) return;
      std::swap(history_.withdrawals[Uniform(0, history_.withdrawals.size() - 1)],
                history_.withdrawals.back());
      withdrawal = history_.withdrawals.back();
      history_.withdrawals.pop_back();
    }
    const auto& [platform, id] = withdrawal;
    Execute({Uniform(0, 1) == 0
                 ? c::SettleWithdrawal(platform, id, "bank-ref", c::WithKey(Id("k")))
                 : c::FailWithdrawal(platform, id, "returned", c::WithKey(Id("k")))});
  }

  void ReadBalance() {
    const std::string& platform = kPlatforms[Uniform(0, 1)];
    auto reply = client_->Call(p::RequestBody::Query, [&](flatbuffers::FlatBufferBuilder& b) {
      auto organization = b.CreateString("bank-org");
      auto platform_id = b.CreateString(platform);
      auto account = b.CreateString("wallet:" + platform);
      auto currency = b.CreateString("EUR");
      p::QueryBuilder query(b);
      query.add_kind(p::QueryKind::AccountBalance);
      query.add_environment(schema::Environment::Sandbox);
      query.add_organization_id(organization);
      query.add_platform_id(platform_id);
      query.add_account(account);
      query.add_currency(currency);
      return query.Finish().Union();
    });
    // Before the wallet's first posting the account does not exist yet.
    if (!reply.ok() && reply.error().code == p::ErrorCode::NotFound) return;
    ASSERT_TRUE(reply.ok()) << reply.error().ToString();
    const auto* balance = reply.body<p::AccountBalance>();
    ASSERT_NE(balance, nullptr);
    std::lock_guard lock(history_.mutex);
    history_.reads.push_back({platform, balance->as_of(), balance->balance_minor()});
  }

  /// Runs a batch; records each answer; returns how many commands were accepted.
  int Execute(std::vector<c::CommandBuilder> commands) {
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < commands.size(); ++i) keys.push_back(last_keys_[i]);
    last_keys_.clear();
    auto reply = client_->Call(p::RequestBody::ExecuteCommands, c::ExecuteBatch(commands));
    EXPECT_TRUE(reply.ok()) << reply.error().ToString();
    const auto* results = reply.ok() ? reply.body<p::CommandResults>() : nullptr;
    if (results == nullptr) return 0;
    int accepted = 0;
    std::lock_guard lock(history_.mutex);
    history_.commands += commands.size();
    for (std::size_t i = 0; i < keys.size(); ++i) {
      const auto* result = results->results()->Get(i);
      if (result->status() == p::ErrorCode::Ok) {
        ++accepted;
        history_.acknowledged[keys[i]] = result->sequence();
      } else {
        ++history_.rejections[result->code_name()->str()];
      }
    }
    return accepted;
  }

  /// A fresh id; "k" ids are idempotency keys, remembered in order for Execute.
  std::string Id(const char* prefix) {
    std::string id = std::string(prefix) + "-" + std::to_string(id_) + "-" + std::to_string(++n_);
    if (std::string_view(prefix) == "k") last_keys_.push_back(id);
    return id;
  }
  std::int64_t Uniform(std::int64_t low, std::int64_t high) {
    return std::uniform_int_distribution<std::int64_t>(low, high)(random_);
  }

  std::unique_ptr<c::Client> client_;
  History& history_;
  int id_;
  std::mt19937_64 random_;
  std::uint64_t n_ = 0;
  std::vector<std::string> last_keys_;
};

/// The reference model: docs/domain.md §9, applied to the log in order.
class WalletModel {
 public:
  void Apply(const RecordedEvent& event) {
    const std::uint64_t sequence = event.sequence().value;
    // Copied: the generated accessors need an aligned buffer.
    std::vector<std::uint8_t> payload(event.payload().begin(), event.payload().end());
    switch (event.type()) {
      case schema::EventType::OperationRecorded: {
        const auto* op = flatbuffers::GetRoot<schema::OperationRecorded>(payload.data());
        if (op->outcome() != schema::OperationOutcome::Succeeded) return;
        Transaction& tx =
            transactions_[op->platform_id()->str() + "/" + op->transaction_id()->str()];
        const std::string platform = op->platform_id()->str();
        const std::int64_t amount = op->amount_minor();
        switch (op->kind()) {
          case OperationKind::Authorization:
            tx.authorized += amount;
            break;
          case OperationKind::Capture:
            tx.captured += amount;
            if (tx.captured > tx.authorized) Problem(sequence, "captured more than authorized");
            Move(platform, amount, sequence);
            break;
          case OperationKind::Refund:
          case OperationKind::Chargeback:
            tx.returned += amount;
            if (tx.returned > tx.captured) {
              ++over_refunds;
              Problem(sequence, "refunded and charged back more than captured");
            }
            Move(platform, -amount, sequence);
            if (op->kind() == OperationKind::Refund && wallets_[platform] < 0) {
              ++overdrafts;
              Problem(sequence, "a refund left the wallet negative");
            }
            break;
          case OperationKind::Fee:
            Move(platform, -amount, sequence);
            break;
          default:
            break;
        }
        return;
      }
      case schema::EventType::WithdrawalRequested: {
        const auto* w = flatbuffers::GetRoot<schema::WithdrawalRequested>(payload.data());
        Move(w->platform_id()->str(), -w->amount_minor(), sequence);
        if (wallets_[w->platform_id()->str()] < 0) {
          ++overdrafts;
          Problem(sequence, "a withdrawal left the wallet negative");
        }
        return;
      }
      case schema::EventType::WithdrawalFailed: {
        const auto* w = flatbuffers::GetRoot<schema::WithdrawalFailed>(payload.data());
        Move(w->platform_id()->str(), w->amount_minor(), sequence);
        return;
      }
      default:
        return;
    }
  }

  /// The wallet's balance once every event up to `sequence` is applied.
  std::int64_t BalanceAt(const std::string& platform, std::uint64_t sequence) const {
    auto found = history_.find(platform);
    if (found == history_.end()) return 0;
    auto after =
        std::upper_bound(found->second.begin(), found->second.end(), sequence,
                         [](std::uint64_t s, const std::pair<std::uint64_t, std::int64_t>& change) {
                           return s < change.first;
                         });
    return after == found->second.begin() ? 0 : std::prev(after)->second;
  }
  std::int64_t Balance(const std::string& platform) const {
    auto found = wallets_.find(platform);
    return found == wallets_.end() ? 0 : found->second;
  }

  int overdrafts = 0;
  int over_refunds = 0;

 private:
  struct Transaction {
    std::int64_t authorized = 0;
    std::int64_t captured = 0;
    std::int64_t returned = 0;
  };
  void Move(const std::string& platform, std::int64_t amount, std::uint64_t sequence) {
    wallets_[platform] += amount;
    history_[platform].emplace_back(sequence, wallets_[platform]);
  }
  static void Problem(std::uint64_t sequence, const char* what) {
    ADD_FAILURE() << "event " << sequence << ": " << what;
  }

  std::map<std::string, std::int64_t> wallets_;
  std::map<std::string, std::vector<std::pair<std::uint64_t, std::int64_t>>> history_;
  std::map<std::string, Transaction> transactions_;
};

TEST(BankModelTest, ConcurrentClientsNeverOverdrawAndEveryReadMatchesTheModel) {
  const std::uint64_t seed = Seed();
  TestServer server;
  auto root = server.ConnectRoot();
  std::vector<c::CommandBuilder> setup = {c::CreateOrganization("bank-org", "Bank Ltd")};
  for (const auto& platform : kPlatforms) {
    setup.push_back(
        c::CreatePlatform("bank-org", platform, platform, schema::Environment::Sandbox));
    setup.push_back(c::AddBankAccount(platform, "acct-" + platform, "Bank Ltd",
                                      "FR7630006000011234567890189", "EUR"));
  }
  ASSERT_TRUE(root->Call(p::RequestBody::ExecuteCommands, c::ExecuteBatch(setup)).ok());

  History history;
  {
    std::vector<std::unique_ptr<BankClient>> clients;
    for (int i = 0; i < kClients; ++i) {
      clients.push_back(std::make_unique<BankClient>(server, history, i, seed));
    }
    std::vector<std::thread> threads;
    for (auto& client : clients) threads.emplace_back([&client] { client->Run(); });
    for (auto& thread : threads) thread.join();
  }

  // Replay the whole log through the model; match it against the acknowledgements.
  WalletModel model;
  std::map<std::string, std::uint64_t> in_log;
  for (std::uint64_t from = 1;;) {
    auto events = server.ledger().log().ReadRange(SequenceNumber{from}, 1000);
    ASSERT_TRUE(events.ok());
    if (events->empty()) break;
    for (const auto& event : *events) {
      model.Apply(event);
      const auto* key = event.envelope().idempotency_key();
      if (key != nullptr && key->size() > 0) in_log[key->str()] = event.sequence().value;
      from = event.sequence().value + 1;
    }
  }
  EXPECT_EQ(in_log, history.acknowledged) << "the log holds exactly the acknowledged commands";

  for (const auto& read : history.reads) {
    EXPECT_EQ(read.balance, model.BalanceAt(read.platform, read.as_of))
        << read.platform << " read at " << read.as_of;
  }
  const auto head = server.ledger().log().Head().sequence;
  ASSERT_TRUE(server.projector().WaitForSequence(head, std::chrono::seconds(60)));
  for (const auto& platform : kPlatforms) {
    auto balance = root->Call(p::RequestBody::Query, [&](flatbuffers::FlatBufferBuilder& b) {
      return p::CreateQueryDirect(b, p::QueryKind::AccountBalance, schema::Environment::Sandbox,
                                  "bank-org", platform.c_str(), nullptr, nullptr, 0, 0, nullptr,
                                  ("wallet:" + platform).c_str(), "EUR", head.value)
          .Union();
    });
    ASSERT_TRUE(balance.ok()) << balance.error().ToString();
    EXPECT_EQ(balance.body<p::AccountBalance>()->balance_minor(), model.Balance(platform));
  }
  auto trial = root->Call(p::RequestBody::Query, [&](flatbuffers::FlatBufferBuilder& b) {
    return p::CreateQueryDirect(b, p::QueryKind::TrialBalance, schema::Environment::Sandbox,
                                "bank-org")
        .Union();
  });
  ASSERT_TRUE(trial.ok()) << trial.error().ToString();
  for (const auto* total : *trial.body<p::TrialBalance>()->totals()) {
    EXPECT_EQ(total->total_minor(), 0) << total->currency()->str();
  }

  std::string rejections;
  for (const auto& [code, count] : history.rejections) {
    rejections += " " + code + "=" + std::to_string(count);
  }
  std::printf(
      "[   bank   ] %llu commands, %zu acknowledged, rejected:%s; %zu balance reads checked; "
      "overdrafts %d, over-refunds %d\n",
      static_cast<unsigned long long>(history.commands), history.acknowledged.size(),
      rejections.c_str(), history.reads.size(), model.overdrafts, model.over_refunds);
  EXPECT_GT(history.rejections["refund_exceeds_wallet_balance"] +
                history.rejections["withdrawal_exceeds_wallet_balance"],
            0)
      << "the load should press on the wallets' limits";
}

}  // namespace
}  // namespace ledger::testing
