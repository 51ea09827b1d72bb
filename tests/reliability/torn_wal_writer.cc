// A process that appends to a log and then dies without closing it, for the storage damage
// tests. It appends `acknowledged` events (one sync append each), reports the head and the
// write-ahead log's size, appends `tail` more events in one batch, reports again, and kills
// itself with SIGKILL: nothing of the log's close path runs.
//
// Usage: torn_wal_writer DIRECTORY ACKNOWLEDGED TAIL
// Output lines: "acknowledged <sequence> <hash hex> <wal bytes>" then "tail <sequence> <wal bytes>"
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <string>

#include "ledger/engine/log.h"

namespace {

std::uintmax_t WalBytes(const std::string& directory) {
  std::uintmax_t bytes = 0;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    if (entry.path().extension() == ".log") bytes += entry.file_size();
  }
  return bytes;
}

ledger::AppendRequest Event(int n) {
  ledger::AppendRequest request;
  request.event.stream = "order/p/" + std::to_string(n % 7);
  request.event.payload = "event-" + std::to_string(n);
  request.metadata.actor = "key:writer";
  request.idempotency_scope = "p";
  request.idempotency_key = "k" + std::to_string(n);
  return request;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) return 2;
  spdlog::set_level(spdlog::level::warn);
  std::string directory = argv[1];
  int acknowledged = std::stoi(argv[2]);
  int tail = std::stoi(argv[3]);
  ledger::LogOptions options;
  options.path = directory;
  options.create_if_missing = true;
  auto log = ledger::Log::Open(options);
  if (!log.ok()) return 1;
  for (int n = 0; n < acknowledged; ++n) {
    if (!(*log)->Append({Event(n)}).ok()) return 1;
  }
  ledger::ChainPoint head = (*log)->Head();
  std::printf("acknowledged %llu %s %ju\n", static_cast<unsigned long long>(head.sequence.value),
              ledger::ToHex(head.hash).c_str(), WalBytes(directory));
  std::fflush(stdout);
  std::vector<ledger::AppendRequest> batch;
  for (int n = acknowledged; n < acknowledged + tail; ++n) batch.push_back(Event(n));
  if (!(*log)->Append(std::move(batch)).ok()) return 1;
  std::printf("tail %llu %ju\n", static_cast<unsigned long long>((*log)->Head().sequence.value),
              WalBytes(directory));
  std::fflush(stdout);
  std::raise(SIGKILL);
  return 1;
}
