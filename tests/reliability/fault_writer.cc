// A process that appends events one at a time and reports each outcome on its own line, for
// the fault-injection tests (run under strace, which makes fsync/fdatasync or write fail).
//
// Usage: fault_writer DIRECTORY COUNT
// Output: "ack <n> <sequence>" or "fail <n> <status code>" per event. Lines go out with
// writev(2), never write(2), so that injecting write failures hits only the database.
#include <spdlog/spdlog.h>
#include <sys/uio.h>
#include <unistd.h>

#include <string>

#include "ledger/engine/log.h"

namespace {

void Report(const std::string& line) {
  iovec piece{const_cast<char*>(line.data()), line.size()};
  (void)::writev(STDOUT_FILENO, &piece, 1);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  spdlog::set_level(spdlog::level::off);
  ledger::LogOptions options;
  options.path = argv[1];
  options.create_if_missing = true;
  auto log = ledger::Log::Open(options);
  if (!log.ok()) {
    Report("open-failed " + log.status().ToString() + "\n");
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
      Report("ack " + std::to_string(n) + " " +
             std::to_string(results->front().first_sequence.value) + "\n");
    } else {
      Report("fail " + std::to_string(n) + " " +
             (results.ok() ? std::string("rejected")
                           : std::string(ledger::StatusCodeName(results.status().code()))) +
             "\n");
    }
  }
  return 0;
}
