// The appending side of the power-loss test: worker threads that append batches (mostly
// small, some large enough to be written in pieces) to
// their own streams and to shared ones (under expected versions), some under idempotency
// keys, some retrying keys already acknowledged, and record what they submitted and what the
// log acknowledged.
//
// Invariants: payloads are unique over a database's life (they carry the crash point's tag),
// so an event read back names the request it came from. A worker stops at its first failed
// append: the disk died, and nothing of that batch or after it was acknowledged.
// Thread-safety: one Worker per thread, each writing only its own WorkerRecord; History is
// used by one thread between crash points.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "ledger/engine/log.h"

namespace ledger::testing {

/// An append the log acknowledged, and where it said the event went.
struct Acknowledged {
  AppendRequest request;
  SequenceNumber sequence;
  StreamVersion version;
};

/// What one worker sent and saw.
struct WorkerRecord {
  std::vector<AppendRequest> submitted;
  std::vector<Acknowledged> acknowledged;
  std::vector<std::string> problems;
};

/// What one database was asked and what it acknowledged, across its crashes.
struct History {
  std::vector<Acknowledged> acknowledged;
  /// Every request submitted, by its payload.
  std::unordered_map<std::string, AppendRequest> submitted;

  /// Takes in a worker's record; its problems go to `problems`.
  void Add(WorkerRecord& record, std::vector<std::string>* problems);
};

class Worker {
 public:
  /// `tag` names the crash point in payloads and keys; `index` the worker.
  Worker(Log& log, std::string tag, int index, std::uint64_t seed, WorkerRecord* record)
      : log_(log), tag_(std::move(tag)), index_(index), random_(seed), record_(record) {}

  /// Appends batches until done or until the log fails (the disk died).
  void Run();

 private:
  AppendRequest NewRequest();
  bool RefreshBelief(const std::string& stream);
  /// Records one result; false when the worker should stop.
  bool Record(const AppendRequest& request, const AppendResult& result,
              std::optional<std::size_t> retry_of);

  Log& log_;
  const std::string tag_;
  const int index_;
  std::mt19937_64 random_;
  WorkerRecord* record_;
  /// What this worker believes each shared stream's version is (to expect it).
  std::unordered_map<std::string, StreamVersion> believed_;
  /// Its acknowledged appends that carry a key, by index in `record_->acknowledged`.
  std::vector<std::size_t> keyed_;
  std::uint64_t serial_ = 0;
};

}  // namespace ledger::testing
