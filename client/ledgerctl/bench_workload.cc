#include "bench_workload.h"

#include <cstdio>
#include <vector>

namespace ledger::ctl {
namespace {

namespace p = protocol;
using flatbuffers::FlatBufferBuilder;
using flatbuffers::Offset;

constexpr std::int64_t kAmounts[] = {1299, 2500, 4990, 8900, 15000, 32050, 790, 12000};

}  // namespace

BenchWorkload::BenchWorkload(Workload workload, std::string platform, std::string prefix)
    : workload_(workload), platform_(std::move(platform)), prefix_(std::move(prefix)) {}

Offset<p::CommandInput> BenchWorkload::Operation(FlatBufferBuilder& b, schema::OperationKind kind,
                                                 schema::OperationOutcome outcome,
                                                 std::int64_t amount, char tag) {
  char operation[128];
  std::snprintf(operation, sizeof operation, "%s-%c", id_, tag);
  auto body = p::CreateRecordOperation(b, b.CreateSharedString(platform_), b.CreateString(id_),
                                       b.CreateString(transaction_), b.CreateString(operation),
                                       kind, outcome, amount, 0, 0, 1'763'700'000'000'000);
  return p::CreateCommandInput(b, p::Command::RecordOperation, body.Union());
}

Offset<p::CommandInput> BenchWorkload::NextCommand(FlatBufferBuilder& b) {
  if (step_ == 0) {
    ++order_;
    std::snprintf(id_, sizeof id_, "%s-%llu", prefix_.c_str(),
                  static_cast<unsigned long long>(order_));
    std::snprintf(transaction_, sizeof transaction_, "%s-t", id_);
  }
  const std::int64_t amount = kAmounts[order_ % 8];
  const bool fails = order_ % 20 == 7;
  const bool refunds = order_ % 10 == 3;
  using K = schema::OperationKind;
  using O = schema::OperationOutcome;
  Offset<p::CommandInput> command;
  int last_step = 4;
  switch (step_) {
    case 0: {
      auto body = p::CreateCreateOrder(b, b.CreateSharedString(platform_), b.CreateString(id_),
                                       amount, b.CreateSharedString("EUR"),
                                       b.CreateSharedString("checkout"), b.CreateString(id_));
      command = p::CreateCommandInput(b, p::Command::CreateOrder, body.Union());
      break;
    }
    case 1: {
      auto body =
          p::CreateCreateTransaction(b, b.CreateSharedString(platform_), b.CreateString(id_),
                                     b.CreateString(transaction_), amount);
      command = p::CreateCommandInput(b, p::Command::CreateTransaction, body.Union());
      break;
    }
    case 2:
      command = Operation(b, K::Authorization, fails ? O::Failed : O::Succeeded, amount, 'a');
      if (fails) last_step = 2;
      break;
    case 3:
      command = Operation(b, K::Capture, O::Succeeded, amount, 'c');
      break;
    case 4:
      command = Operation(b, K::Fee, O::Succeeded, 25 + amount / 100, 'f');
      if (refunds) last_step = 5;
      break;
    default:
      command = Operation(b, K::Refund, O::Succeeded, amount / 2, 'r');
      last_step = 5;
      break;
  }
  if (workload_ == Workload::kOrders || step_ >= last_step) {
    step_ = 0;
  } else {
    ++step_;
  }
  return command;
}

std::pair<p::RequestBody, Offset<void>> BenchWorkload::Next(FlatBufferBuilder& b, int count) {
  if (workload_ == Workload::kOpaque) {
    std::vector<Offset<p::EventInput>> events;
    static const std::uint8_t kPayload[200] = {};
    for (int i = 0; i < count; ++i) {
      ++order_;
      std::snprintf(id_, sizeof id_, "opaque/%s-%llu", prefix_.c_str(),
                    static_cast<unsigned long long>(order_ % 1024));
      events.push_back(p::CreateEventInput(b, b.CreateString(id_), p::ExpectedKind::Any, 0,
                                           b.CreateVector(kPayload, sizeof kPayload)));
    }
    return {p::RequestBody::AppendEvents, p::CreateAppendEvents(b, b.CreateVector(events)).Union()};
  }
  std::vector<Offset<p::CommandInput>> commands;
  commands.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) commands.push_back(NextCommand(b));
  return {p::RequestBody::ExecuteCommands,
          p::CreateExecuteCommands(b, b.CreateVector(commands)).Union()};
}

}  // namespace ledger::ctl
