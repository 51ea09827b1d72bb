#include "log/rocksdb_logger.h"

#include <spdlog/spdlog.h>

#include <cstdarg>
#include <cstdio>
#include <cstring>

namespace ledger::log {

RocksDbLogger::RocksDbLogger(std::shared_ptr<spdlog::logger> logger)
    : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL), logger_(std::move(logger)) {}

void RocksDbLogger::Logv(const rocksdb::InfoLogLevel level, const char* format, va_list arguments) {
  if (level < GetInfoLogLevel()) return;
  char text[1024];
  std::vsnprintf(text, sizeof text, format, arguments);
  auto severity =
      level >= rocksdb::InfoLogLevel::ERROR_LEVEL ? spdlog::level::err : spdlog::level::warn;
  // RocksDB 7.8 records no unique id in the manifest for a file added by ingestion (the index
  // flusher's files, docs/log.md), and says so at every open of one: expected, not a warning.
  // A checkpoint (Log::Backup) pauses file deletions and so does a step inside it: RocksDB
  // warns of the nesting ("already disabled", "not really enabled"), as it should be.
  if (std::strstr(text, "opened without unique ID to verify") != nullptr ||
      std::strstr(format, "File Deletions") != nullptr) {
    severity = spdlog::level::debug;
  }
  logger_->log(severity, "rocksdb: {}", text);
}

void RocksDbLogger::Logv(const char* format, va_list arguments) {
  Logv(rocksdb::InfoLogLevel::INFO_LEVEL, format, arguments);
}

}  // namespace ledger::log
