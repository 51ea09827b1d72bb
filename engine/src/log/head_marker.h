// The acknowledged-head marker: a small file, apart from the write-ahead log, naming a point
// of the chain (sequence, hash) that the log has acknowledged as durable.
//
// RocksDB's recovery drops a torn tail of the write-ahead log without a word. That is right
// for a tail whose fsync never finished (never acknowledged), but a WAL truncated or lost
// below what was acknowledged would look the same. The marker tells them apart: on open, a
// log whose head is before the marker lost acknowledged events, and refuses to open.
//
// A background thread rewrites the marker (temp file, fsync, rename, directory fsync) at most
// every kHeadMarkerPeriodMs while the head moves, and once more on close. Writes go through
// the log's file system, so fault-injection tests see them too.
//
//   file := "ledger-acknowledged-head 1 " decimal(sequence) " " hex(hash) "\n"
//
// Thread-safety: Publish() from any thread; the rest from the owner.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "ledger/engine/status.h"
#include "ledger/engine/types.h"

namespace rocksdb {
class FileSystem;
}

namespace ledger::log {

inline constexpr int kHeadMarkerPeriodMs = 20;

/// Writes the marker file in `directory` naming `head`, durably (temp file, fsync, rename,
/// directory fsync). For a log that is not open, e.g. a backup (backup.cc); an open log's
/// marker is HeadMarker's alone.
Status WriteHeadMarker(rocksdb::FileSystem& file_system, const std::string& directory,
                       const ChainPoint& head);

class HeadMarker {
 public:
  /// `make_durable` runs before each write and must make every published head durable (a
  /// no-op with sync durability, where a head is published only after its fsync; a WAL sync
  /// with async durability, which bounds what a power loss can take to one period).
  HeadMarker(std::shared_ptr<rocksdb::FileSystem> file_system, std::string directory,
             std::function<Status()> make_durable);
  ~HeadMarker();
  HeadMarker(const HeadMarker&) = delete;
  HeadMarker& operator=(const HeadMarker&) = delete;

  /// The marker on disk, or nullopt when there is none (a log that never acknowledged).
  Result<std::optional<ChainPoint>> Read() const;
  /// Starts the writer thread; `initial` is what the marker says already.
  void Start(const ChainPoint& initial);
  /// Notes a new durable head; the thread writes it soon.
  void Publish(const ChainPoint& head);
  /// Stops the thread and writes the last published head now.
  Status StopAndWrite();

 private:
  Status Write(const ChainPoint& head) const;
  void Loop();

  std::shared_ptr<rocksdb::FileSystem> file_system_;
  std::function<Status()> make_durable_;
  std::string directory_;
  std::string path_;
  std::mutex mutex_;
  std::condition_variable wake_;
  ChainPoint published_;
  ChainPoint written_;
  bool stopping_ = false;
  bool failed_ = false;
  std::thread thread_;
};

}  // namespace ledger::log
