#include "log/rocksdb_logger.h"

#include <spdlog/spdlog.h>

#include <cstdarg>
#include <cstdio>

namespace ledger::log {

RocksDbLogger::RocksDbLogger(std::shared_ptr<spdlog::logger> logger)
    : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL), logger_(std::move(logger)) {}

void RocksDbLogger::Logv(const rocksdb::InfoLogLevel level, const char* format, va_list arguments) {
  if (level < GetInfoLogLevel()) return;
  char text[1024];
  std::vsnprintf(text, sizeof text, format, arguments);
  auto severity =
      level >= rocksdb::InfoLogLevel::ERROR_LEVEL ? spdlog::level::err : spdlog::level::warn;
  logger_->log(severity, "rocksdb: {}", text);
}

void RocksDbLogger::Logv(const char* format, va_list arguments) {
  Logv(rocksdb::InfoLogLevel::INFO_LEVEL, format, arguments);
}

}  // namespace ledger::log
