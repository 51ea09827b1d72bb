#include "engine/domain/domain_testing.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

namespace ledger::testing {

LedgerOptions TestLedgerOptions(const std::string& path) {
  LedgerOptions options;
  options.log.path = path;
  options.log.create_if_missing = true;
  options.log.durability = Durability::kAsync;
  auto now = std::make_shared<std::int64_t>(1'700'000'000'000'000);
  options.log.clock = [now] { return ++*now; };
  options.logger =
      std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
  options.log.logger = options.logger;
  return options;
}

std::unique_ptr<Ledger> OpenTestLedger(const LedgerOptions& options) {
  auto ledger = Ledger::Open(options);
  EXPECT_TRUE(ledger.ok()) << ledger.status().ToString();
  return ledger.ok() ? std::move(ledger).value() : nullptr;
}

}  // namespace ledger::testing
