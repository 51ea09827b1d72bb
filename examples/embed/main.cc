// Embeds the Ledger event log and its projections: appends two events to a stream, reads them
// back, verifies the chain, then lets the views catch up with the log and prints their
// canonical digest.
// Usage: embed_ledger DIRECTORY
#include <chrono>
#include <cstdio>

#include "ledger/engine/log.h"
#include "ledger/projections/projector.h"

namespace {

/// The views of `log` in DIRECTORY/views, caught up with the log's head; their digest printed.
int PrintViewsDigest(const ledger::Log& log, const std::string& directory) {
  ledger::projections::ProjectorOptions options;
  options.path = directory + "/views";
  options.log = &log;
  auto projector = ledger::projections::Projector::Open(options);
  if (!projector.ok()) {
    std::fprintf(stderr, "projector: %s\n", projector.status().ToString().c_str());
    return 1;
  }
  if (!(*projector)->Start().ok()) return 1;
  const ledger::SequenceNumber head = log.Head().sequence;
  if (!(*projector)->WaitForSequence(head, std::chrono::seconds(30))) return 1;
  auto digest = (*projector)->views().CanonicalDigest();
  if (!digest.ok()) return 1;
  std::printf("views digest %s at sequence %llu\n", ledger::ToHex(digest->digest).c_str(),
              static_cast<unsigned long long>(head.value));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIRECTORY\n", argv[0]);
    return 2;
  }
  const std::string directory = argv[1];
  ledger::LogOptions options;
  options.path = directory + "/log";
  options.create_if_missing = true;
  auto log = ledger::Log::Open(options);
  if (!log.ok()) {
    std::fprintf(stderr, "open: %s\n", log.status().ToString().c_str());
    return 1;
  }
  std::vector<ledger::AppendRequest> batch(2);
  for (int i = 0; i < 2; ++i) {
    batch[i].event.stream = "example/stream";
    batch[i].event.payload = "event " + std::to_string(i);
    batch[i].metadata.actor = "example";
  }
  auto results = (*log)->Append(std::move(batch));
  if (!results.ok()) {
    std::fprintf(stderr, "append: %s\n", results.status().ToString().c_str());
    return 1;
  }
  auto events = (*log)->ReadStream("example/stream", ledger::StreamVersion{1},
                                   ledger::ReadDirection::kForward, 100);
  if (!events.ok()) return 1;
  for (const auto& event : *events) {
    std::printf("%llu %s v%llu %.*s\n", static_cast<unsigned long long>(event.sequence().value),
                std::string(event.stream()).c_str(),
                static_cast<unsigned long long>(event.stream_version().value),
                static_cast<int>(event.payload().size()), event.payload().data());
  }
  auto report = (*log)->Verify(std::nullopt);
  if (!report.ok() || !report->ok) return 1;
  std::printf("verified %llu events, head %s\n",
              static_cast<unsigned long long>(report->events_checked),
              ledger::ToHex(report->last_good.hash).c_str());
  return PrintViewsDigest(**log, directory);
}
