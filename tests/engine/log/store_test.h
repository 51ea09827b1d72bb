// A fixture with a fresh LogStore (the log's RocksDB database, without a Log on top) in a
// temporary directory, for tests of the parts below the Log.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "log/log_store.h"
#include "support/temp_dir.h"

namespace ledger::log {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    LogOptions options;
    options.path = directory_.Child("log");
    options.create_if_missing = true;
    auto store = LogStore::Open(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }

  testing::TempDir directory_;
  std::unique_ptr<LogStore> store_;
};

}  // namespace ledger::log
