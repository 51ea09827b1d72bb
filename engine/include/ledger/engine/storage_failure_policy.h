// What every RocksDB database of Ledger (the event log, the views) does about a storage
// failure, in one place:
//
// - RocksDB's messages go to an spdlog logger, not to its default LOG file in the database
//   directory: on a full disk that file's append fails, and its next one (RocksDB reports its
//   background error again every few seconds) trips an assertion in Debian's RocksDB build,
//   aborting the process.
// - No automatic recovery from a background error. A database that failed a write stays
//   failed until it is reopened: the log refuses writes until then (never retry-and-ack), the
//   views stop, and neither is resumed behind their owner's back once space comes back.
//
// Thread-safety: call before the database opens.
#pragma once

#include <memory>

namespace rocksdb {
struct DBOptions;
}
namespace spdlog {
class logger;
}

namespace ledger {

void ApplyStorageFailurePolicy(rocksdb::DBOptions* options, std::shared_ptr<spdlog::logger> logger);

}  // namespace ledger
