#include "ledger/engine/storage_failure_policy.h"

#include <rocksdb/listener.h>
#include <rocksdb/options.h>
#include <spdlog/spdlog.h>

#include "log/rocksdb_logger.h"

namespace ledger {
namespace {

class NoAutomaticRecovery final : public rocksdb::EventListener {
 public:
  const char* Name() const override { return "ledger.NoAutomaticRecovery"; }
  void OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason, rocksdb::Status,
                            bool* auto_recovery) override {
    *auto_recovery = false;
  }
};

}  // namespace

void ApplyStorageFailurePolicy(rocksdb::DBOptions* options,
                               std::shared_ptr<spdlog::logger> logger) {
  options->info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  options->info_log =
      std::make_shared<log::RocksDbLogger>(logger ? std::move(logger) : spdlog::default_logger());
  options->max_bgerror_resume_count = 0;
  options->listeners.push_back(std::make_shared<NoAutomaticRecovery>());
}

}  // namespace ledger
