// RocksDB's own messages, sent to the log's spdlog logger instead of a LOG file.
//
// RocksDB's default info log is a file in the data directory. On a full disk its append fails
// and the next one trips an assertion inside RocksDB and aborts the process, so the log must
// not depend on being able to write that file. Warnings and errors go to spdlog.
// Thread-safety: RocksDB calls it from any thread; spdlog loggers are thread-safe.
#pragma once

#include <rocksdb/env.h>

#include <memory>

namespace spdlog {
class logger;
}

namespace ledger::log {

class RocksDbLogger final : public rocksdb::Logger {
 public:
  explicit RocksDbLogger(std::shared_ptr<spdlog::logger> logger);
  using rocksdb::Logger::Logv;
  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list arguments) override;
  void Logv(const char* format, va_list arguments) override;

 private:
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace ledger::log
