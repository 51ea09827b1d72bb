// A process that appends events one at a time and reports each outcome on its own line, for
// the fsync fault-injection test (run under strace, which makes fsync/fdatasync fail).
//
// Usage: fault_writer DIRECTORY COUNT
// Output: "ack <n> <sequence>" or "fail <n> <status code>" per event, flushed at once.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <string>

#include "ledger/engine/log.h"

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  spdlog::set_level(spdlog::level::off);
  ledger::LogOptions options;
  options.path = argv[1];
  options.create_if_missing = true;
  auto log = ledger::Log::Open(options);
  if (!log.ok()) {
    std::printf("open-failed %s\n", log.status().ToString().c_str());
    return 1;
  }
  const int count = std::stoi(argv[2]);
  for (int n = 0; n < count; ++n) {
    ledger::AppendRequest request;
    request.event.stream = "wallet/p/EUR";
    request.event.payload = "event-" + std::to_string(n);
    request.metadata.actor = "key:writer";
    request.idempotency_scope = "p";
    request.idempotency_key = "k" + std::to_string(n);
    auto results = (*log)->Append({request});
    if (results.ok() && results->front().ok()) {
      std::printf("ack %d %llu\n", n,
                  static_cast<unsigned long long>(results->front().first_sequence.value));
    } else {
      std::printf("fail %d %s\n", n,
                  results.ok()
                      ? "rejected"
                      : std::string(ledger::StatusCodeName(results.status().code())).c_str());
    }
    std::fflush(stdout);
  }
  return 0;
}
