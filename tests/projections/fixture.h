// Shared set-up for the projection tests: a log (async durability: these tests are not about
// fsync) with a test clock, a scenario writing into it, and the views on top.
#pragma once

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>
#include <string>

#include "ledger/engine/log.h"
#include "ledger/projections/projector.h"
#include "projections/expected.h"
#include "projections/scenario.h"
#include "support/temp_dir.h"

namespace ledger::testing {

class ProjectionTest : public ::testing::Test {
 protected:
  static constexpr std::int64_t kStartUs = 1'763'700'000'000'000;  // 2025-11-21

  void SetUp() override {
    OpenLog();
    scenario_ = std::make_unique<Scenario>(log_.get(), &clock_us_, Seed());
  }

  virtual std::uint32_t Seed() const { return 20251121; }

  void OpenLog() {
    LogOptions options;
    options.path = directory_.Child("log");
    options.create_if_missing = true;
    options.durability = Durability::kAsync;
    options.clock = [this] { return clock_us_; };
    options.logger = quiet_;
    auto opened = Log::Open(options);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    log_ = std::move(opened).value();
  }

  projections::ProjectorOptions ProjectorOptions(std::size_t batch_events_max = 0) {
    projections::ProjectorOptions options;
    options.path = directory_.Child("views");
    options.log = log_.get();
    options.batch_events_max = batch_events_max;
    options.logger = quiet_;
    return options;
  }

  void OpenProjector(std::size_t batch_events_max = 0, bool start = true) {
    projector_.reset();
    auto opened = projections::Projector::Open(ProjectorOptions(batch_events_max));
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    projector_ = std::move(opened).value();
    if (start) {
      ASSERT_TRUE(projector_->Start().ok());
    }
  }

  /// Waits until every projection has applied the log's head.
  void CatchUp() {
    const SequenceNumber head = log_->Head().sequence;
    ASSERT_TRUE(projector_->WaitForSequence(head, std::chrono::seconds(60)))
        << "projector stuck: " << projector_->Stats().failure;
  }

  const projections::Views& views() const { return projector_->views(); }

  projections::Scope ScopeOf(schema::Environment environment, std::string organization,
                             std::string platform = {}) const {
    return projections::Scope{environment, std::move(organization), std::move(platform)};
  }

  /// A logger without sinks: state changes are not what these tests look at.
  std::shared_ptr<spdlog::logger> quiet_ = std::make_shared<spdlog::logger>("quiet");
  TempDir directory_;
  std::int64_t clock_us_ = kStartUs;
  std::unique_ptr<Log> log_;
  std::unique_ptr<Scenario> scenario_;
  std::unique_ptr<projections::Projector> projector_;
};

}  // namespace ledger::testing
