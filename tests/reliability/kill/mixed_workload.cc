#include "kill/mixed_workload.h"

#include <fmt/format.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <random>

#include "ledger/client/client.h"

namespace ledger::reliability {
namespace {

namespace c = client;
namespace p = protocol;
using schema::EventType;
using schema::OperationKind;

/// One order's or one withdrawal's commands, issued one step per acknowledgement.
struct Chain {
  bool withdrawal = false;
  std::string id;
  std::string transaction_id;
  std::string currency;
  std::int64_t amount = 0;
  int step = 0;
};

class ChainSteps {
 public:
  ChainSteps(const WorkloadOptions& options, int worker)
      : options_(options), worker_(worker), random_(options.seed * 1000 + worker) {}

  Chain NewChain() {
    Chain chain;
    chain.withdrawal = Uniform(0, 9) == 0;
    chain.id = fmt::format("{}-c{}-w{}-{}", chain.withdrawal ? "wd" : "o", options_.cycle, worker_,
                           ++chains_);
    chain.transaction_id = chain.id + "-t";
    chain.currency = Uniform(0, 3) == 0 ? "USD" : "EUR";
    chain.amount = chain.withdrawal ? Uniform(100, 2'000) : Uniform(1'000, 50'000);
    return chain;
  }

  /// The chain's next command, or false when it is finished.
  bool Next(Chain& chain, SentCommand* out) {
    out->key = fmt::format("k-c{}-w{}-{}", options_.cycle, worker_, ++commands_);
    auto with_key = c::WithKey(out->key);
    const std::string& platform = options_.platform;
    if (chain.withdrawal) {
      if (chain.step == 0) {
        out->event_type = EventType::WithdrawalRequested;
        out->build = c::RequestWithdrawal(
            platform, chain.id, chain.currency == "EUR" ? options_.bank_eur : options_.bank_usd,
            chain.amount, chain.currency, with_key);
      } else if (chain.step == 1 && Uniform(0, 3) != 0) {
        out->event_type = EventType::WithdrawalSettled;
        out->build = c::SettleWithdrawal(platform, chain.id, chain.id + "-bank", with_key);
      } else if (chain.step == 1) {
        out->event_type = EventType::WithdrawalFailed;
        out->build = c::FailWithdrawal(platform, chain.id, "returned by the bank", with_key);
      } else {
        return false;
      }
      ++chain.step;
      return true;
    }
    switch (chain.step++) {
      case 0:
        out->event_type = EventType::OrderCreated;
        out->build = c::CreateOrder(platform, chain.id, chain.amount, chain.currency, "checkout",
                                    "ref-" + chain.id, with_key);
        return true;
      case 1:
        out->event_type = EventType::TransactionCreated;
        out->build =
            c::CreateTransaction(platform, chain.id, chain.transaction_id, chain.amount, with_key);
        return true;
      case 2:
        return Operation(chain, OperationKind::Authorization, chain.amount, out);
      case 3:
        return Operation(chain, OperationKind::Capture, chain.amount, out);
      case 4:
        switch (Uniform(0, 9)) {
          case 0:
          case 1:
          case 2:
          case 3:
            return Operation(chain, OperationKind::Refund, chain.amount / 2, out);
          case 4:
          case 5:
            return Operation(chain, OperationKind::Fee, Uniform(1, 200), out);
          case 6:
            return Operation(chain, OperationKind::Chargeback, chain.amount / 4, out);
          default:
            return false;
        }
      default:
        return false;
    }
  }

 private:
  bool Operation(const Chain& chain, OperationKind kind, std::int64_t amount, SentCommand* out) {
    c::OperationFields fields;
    fields.platform_id = options_.platform;
    fields.order_id = chain.id;
    fields.transaction_id = chain.transaction_id;
    fields.operation_id = fmt::format("{}-op{}", chain.id, chain.step);
    fields.kind = kind;
    // A few authorizations fail: the capture after them is then rejected.
    fields.outcome = kind == OperationKind::Authorization && Uniform(0, 19) == 0
                         ? schema::OperationOutcome::Failed
                         : schema::OperationOutcome::Succeeded;
    fields.amount_minor = amount;
    fields.external_reference = "psp-" + fields.operation_id;
    fields.occurred_at_us = 1'790'000'000'000'000 + static_cast<std::int64_t>(commands_);
    out->event_type = EventType::OperationRecorded;
    out->build = c::RecordOperation(std::move(fields), c::WithKey(out->key));
    return true;
  }

  std::int64_t Uniform(std::int64_t low, std::int64_t high) {
    return std::uniform_int_distribution<std::int64_t>(low, high)(random_);
  }

  const WorkloadOptions& options_;
  int worker_;
  std::mt19937_64 random_;
  std::uint64_t chains_ = 0;
  std::uint64_t commands_ = 0;
};

}  // namespace

MixedWorkload::MixedWorkload(WorkloadOptions options, CommandJournal& journal)
    : options_(std::move(options)), journal_(journal) {}

MixedWorkload::~MixedWorkload() { Stop(); }

void MixedWorkload::Start() {
  for (int worker = 0; worker < options_.connections; ++worker) {
    workers_.emplace_back([this, worker] { RunWorker(worker); });
  }
}

void MixedWorkload::Stop() {
  stop_ = true;
  for (auto& worker : workers_) worker.join();
  workers_.clear();
}

void MixedWorkload::RunWorker(int worker) {
  c::ConnectOptions connect;
  connect.port = options_.port;
  connect.kind = p::CredentialKind::Root;
  connect.credential = options_.root_credential;
  connect.client_name = "kill-driver";
  c::ClientError error;
  auto client = c::Client::Connect(connect, &error);
  if (!client) return;

  ChainSteps steps(options_, worker);
  std::mt19937_64 random(options_.seed * 7919 + worker);
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<Chain> ready;
  int in_flight = 0;
  bool failed = false;

  while (!stop_.load()) {
    {
      std::unique_lock lock(mutex);
      changed.wait(lock, [&] { return in_flight < options_.pipeline || failed; });
      if (failed) break;
    }
    // Single commands and batches alike.
    const int size = std::uniform_int_distribution<int>(0, 2)(random) == 0
                         ? 1
                         : std::uniform_int_distribution<int>(1, options_.batch_max)(random);
    std::vector<SentCommand> commands;
    std::vector<Chain> chains;
    while (static_cast<int>(commands.size()) < size) {
      Chain chain;
      {
        std::lock_guard lock(mutex);
        if (!ready.empty()) {
          chain = std::move(ready.front());
          ready.pop_front();
        } else {
          chain = steps.NewChain();
        }
      }
      SentCommand command;
      if (!steps.Next(chain, &command)) continue;
      commands.push_back(std::move(command));
      chains.push_back(std::move(chain));
    }
    journal_.Sent(commands);
    std::vector<c::CommandBuilder> builders;
    std::vector<std::string> keys;
    for (const auto& command : commands) {
      builders.push_back(command.build);
      keys.push_back(command.key);
    }
    {
      std::lock_guard lock(mutex);
      ++in_flight;
    }
    ++requests_sent_;
    client->Send(p::RequestBody::ExecuteCommands, c::ExecuteBatch(std::move(builders)),
                 [&, keys, chains](c::Reply reply) mutable {
                   const auto* results = reply.ok() ? reply.body<p::CommandResults>() : nullptr;
                   std::vector<Chain> advanced;
                   if (results != nullptr && results->results() != nullptr &&
                       results->results()->size() == keys.size()) {
                     for (std::size_t i = 0; i < keys.size(); ++i) {
                       const auto* result = results->results()->Get(i);
                       bool ok = result->status() == p::ErrorCode::Ok;
                       journal_.Answered(keys[i], ok ? Outcome::kAcknowledged : Outcome::kRejected,
                                         result->sequence());
                       if (ok) advanced.push_back(std::move(chains[i]));
                     }
                   }
                   std::lock_guard lock(mutex);
                   for (auto& chain : advanced) ready.push_back(std::move(chain));
                   if (results == nullptr) failed = true;
                   --in_flight;
                   changed.notify_all();
                   return false;
                 });
  }
  // The handlers use this frame: wait for every answer (after a kill, each gets a failure).
  std::unique_lock lock(mutex);
  changed.wait(lock, [&] { return in_flight == 0; });
}

}  // namespace ledger::reliability
