// Shared set-up for the log tests: a log in a temporary directory, request builders.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "ledger/engine/log.h"
#include "ledger/limits.h"
#include "support/temp_dir.h"

namespace ledger::testing {

inline AppendRequest MakeAppend(std::string stream, std::string payload,
                                ExpectedVersion expected = ExpectedVersion::Any(),
                                std::string idempotency_key = {}) {
  AppendRequest request;
  request.event.stream = std::move(stream);
  request.event.expected = expected;
  request.event.payload = std::move(payload);
  request.metadata.actor = "key:test";
  request.metadata.environment = schema::Environment::Sandbox;
  request.metadata.organization = "org-1";
  request.metadata.platform = "platform-1";
  request.idempotency_scope = "platform-1";
  request.idempotency_key = std::move(idempotency_key);
  return request;
}

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  LogOptions Options() {
    LogOptions options;
    options.path = directory_.Child("log");
    options.create_if_missing = true;
    options.index_tail_events_max = index_tail_events_max_;
    options.clock = [this] { return ++clock_us_; };
    return options;
  }

  void Reopen() {
    log_.reset();
    auto opened = Log::Open(Options());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    log_ = std::move(opened).value();
  }

  AppendResult AppendOne(AppendRequest request) {
    std::vector<AppendRequest> batch;
    batch.push_back(std::move(request));
    auto results = log_->Append(std::move(batch));
    EXPECT_TRUE(results.ok()) << results.status().ToString();
    EXPECT_EQ(results->size(), 1u);
    return results->front();
  }

  TempDir directory_;
  std::size_t index_tail_events_max_ = limits::kIndexTailEventsMax;
  std::int64_t clock_us_ = 1'700'000'000'000'000;
  std::unique_ptr<Log> log_;
};

}  // namespace ledger::testing
