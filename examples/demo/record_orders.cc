// The demo `make run` starts: records a few orders through the engine into a data directory
// and prints what the log holds. Running it again shows idempotency at work: the same
// commands are recognised as duplicates and nothing new is written.
//
// Usage: ledger_demo [--data DIR]
#include <flatbuffers/flatbuffers.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "ledger/engine/log.h"
#include "ledger/schema/events_generated.h"

namespace {

using ledger::AppendRequest;
namespace schema = ledger::schema;

std::string Bytes(const flatbuffers::FlatBufferBuilder& builder) {
  return {reinterpret_cast<const char*>(builder.GetBufferPointer()), builder.GetSize()};
}

AppendRequest Request(const std::string& order_id, schema::EventType type, std::string payload,
                      std::string key) {
  AppendRequest request;
  request.event.stream = "order/shop-paris/" + order_id;
  request.event.type = type;
  request.event.payload = std::move(payload);
  request.metadata.actor = "key:shop-paris-processing";
  request.metadata.environment = schema::Environment::Sandbox;
  request.metadata.organization = "acme";
  request.metadata.platform = "shop-paris";
  request.idempotency_scope = "shop-paris";
  request.idempotency_key = std::move(key);
  return request;
}

std::vector<AppendRequest> OrderLifecycle(const std::string& id, std::int64_t amount) {
  std::vector<AppendRequest> requests;
  flatbuffers::FlatBufferBuilder b;
  b.Finish(schema::CreateOrderCreatedDirect(b, "shop-paris", id.c_str(), amount, "EUR", "checkout",
                                            ("cart-" + id).c_str()));
  requests.push_back(Request(id, schema::EventType::OrderCreated, Bytes(b), id + "/created"));
  b.Clear();
  b.Finish(schema::CreateTransactionCreatedDirect(b, "shop-paris", id.c_str(), (id + "-t1").c_str(),
                                                  amount));
  requests.push_back(
      Request(id, schema::EventType::TransactionCreated, Bytes(b), id + "/transaction"));
  for (auto kind : {schema::OperationKind::Authorization, schema::OperationKind::Capture}) {
    b.Clear();
    std::string operation = id + "-" + schema::EnumNameOperationKind(kind);
    b.Finish(schema::CreateOperationRecordedDirect(
        b, "shop-paris", id.c_str(), (id + "-t1").c_str(), operation.c_str(), kind,
        schema::OperationOutcome::Succeeded, amount, "EUR", ("psp-" + operation).c_str(),
        1'763'700'000'000'000));
    requests.push_back(Request(id, schema::EventType::OperationRecorded, Bytes(b), operation));
  }
  return requests;
}

}  // namespace

int main(int argc, char** argv) {
  std::string data = "./data";
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
      data = argv[++i];
    } else {
      std::fprintf(stderr, "usage: %s [--data DIR]\n", argv[0]);
      return 2;
    }
  }
  spdlog::set_level(spdlog::level::warn);
  ledger::LogOptions options;
  options.path = data + "/log";
  options.create_if_missing = true;
  auto opened = ledger::Log::Open(options);
  if (!opened.ok()) {
    std::fprintf(stderr, "cannot open %s: %s\n", options.path.c_str(),
                 opened.status().ToString().c_str());
    return 1;
  }
  auto& log = *opened;

  std::vector<AppendRequest> batch;
  const std::pair<const char*, std::int64_t> orders[] = {
      {"order-1001", 4990}, {"order-1002", 12000}, {"order-1003", 150}};
  for (const auto& [id, amount] : orders) {
    for (auto& request : OrderLifecycle(id, amount)) batch.push_back(std::move(request));
  }
  auto results = log->Append(batch);
  if (!results.ok()) {
    std::fprintf(stderr, "append failed: %s\n", results.status().ToString().c_str());
    return 1;
  }
  std::printf("%-4s %-34s %-19s %-10s %s\n", "seq", "stream", "event", "result", "key");
  for (std::size_t i = 0; i < results->size(); ++i) {
    const auto& result = (*results)[i];
    std::printf("%-4llu %-34s %-19s %-10s %s\n",
                static_cast<unsigned long long>(result.first_sequence.value),
                batch[i].event.stream.c_str(), schema::EnumNameEventType(batch[i].event.type),
                std::string(ledger::AppendCodeName(result.code)).c_str(),
                batch[i].idempotency_key.c_str());
  }
  auto report = log->Verify(std::nullopt);
  if (!report.ok() || !report->ok) {
    std::fprintf(stderr, "verify failed\n");
    return 1;
  }
  std::printf("\nthe log at %s holds %llu events; chain verified.\nhead digest: %s\n",
              options.path.c_str(), static_cast<unsigned long long>(report->events_checked),
              ledger::ToHex(report->last_good.hash).c_str());
  std::printf("run `make run` again: every command is recognised as a duplicate.\n");
  return 0;
}
