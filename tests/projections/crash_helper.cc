// A projector process for crash_test.cc: opens the log and the views, applies the log in
// small batches, and kills itself with SIGKILL after `kill_after_batches` batches (0: never;
// the test may then kill it at any moment). Prints "caught up" and exits 0 once every
// projection has applied the log's head.
//
// Usage: projections_crash_helper LOG_DIR VIEWS_DIR KILL_AFTER_BATCHES
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "ledger/engine/log.h"
#include "ledger/projections/projector.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s LOG_DIR VIEWS_DIR KILL_AFTER_BATCHES\n", argv[0]);
    return 2;
  }
  spdlog::set_level(spdlog::level::warn);
  ledger::LogOptions log_options;
  log_options.path = argv[1];
  log_options.durability = ledger::Durability::kAsync;
  auto log = ledger::Log::Open(log_options);
  if (!log.ok()) {
    std::fprintf(stderr, "%s\n", log.status().ToString().c_str());
    return 1;
  }
  const long kill_after = std::strtol(argv[3], nullptr, 10);
  long batches = 0;
  ledger::projections::ProjectorOptions options;
  options.path = argv[2];
  options.log = log->get();
  options.batch_events_max = 97;
  options.after_batch_for_tests = [&](ledger::SequenceNumber) {
    if (++batches == kill_after) std::raise(SIGKILL);
  };
  auto projector = ledger::projections::Projector::Open(options);
  if (!projector.ok()) {
    std::fprintf(stderr, "%s\n", projector.status().ToString().c_str());
    return 1;
  }
  if (!(*projector)->Start().ok()) return 1;
  const ledger::SequenceNumber head = (*log)->Head().sequence;
  if (!(*projector)->WaitForSequence(head, std::chrono::minutes(5))) {
    std::fprintf(stderr, "stuck: %s\n", (*projector)->Stats().failure.c_str());
    return 1;
  }
  std::printf("caught up at %llu\n", static_cast<unsigned long long>(head.value));
  return 0;
}
