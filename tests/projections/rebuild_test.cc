// Rebuilds and freshness: the canonical digest is the same after live application in small
// batches, after a rebuild of everything or of one projection, and after reopening; queries
// wait for min_sequence; lag and apply rate are reported.
#include <filesystem>
#include <thread>

#include "projections/fixture.h"

namespace ledger::testing {
namespace {

using projections::ProjectionId;
using schema::Environment;

class RebuildTest : public ProjectionTest {
 protected:
  Hash256 Digest() {
    auto digest = views().CanonicalDigest();
    EXPECT_TRUE(digest.ok()) << digest.status().ToString();
    for (const auto& projection : digest->projections) {
      EXPECT_EQ(projection.checkpoint.sequence, log_->Head().sequence);
    }
    return digest.ok() ? digest->digest : Hash256{};
  }
};

TEST_F(RebuildTest, RebuildGivesTheDigestOfLiveApplication) {
  scenario_->SetUp();
  // Live: the projector tails while the scenario appends, in batches of at most 3 events.
  OpenProjector(/*batch_events_max=*/3);
  scenario_->Run(2000, 3);
  CatchUp();
  const Hash256 live = Digest();
  EXPECT_GT(projector_->Stats().batches_written, 200u);

  ASSERT_TRUE(projector_->RebuildAll().ok());
  CatchUp();
  EXPECT_EQ(Digest(), live);

  // A projection rebuilt alone replays while the others stay where they are.
  const ProjectionId accounting[] = {ProjectionId::kAccounting};
  ASSERT_TRUE(projector_->Rebuild(accounting).ok());
  CatchUp();
  EXPECT_EQ(Digest(), live);

  // A fresh database built in large batches.
  projector_.reset();
  std::filesystem::remove_all(directory_.Child("views"));
  OpenProjector();
  CatchUp();
  EXPECT_EQ(Digest(), live);
}

TEST_F(RebuildTest, DigestChangesWithTheViews) {
  scenario_->SetUp();
  scenario_->Run(200, 5);
  OpenProjector();
  CatchUp();
  const Hash256 before = Digest();
  scenario_->Run(1, 1);
  CatchUp();
  EXPECT_NE(Digest(), before);
}

TEST_F(RebuildTest, ReopenResumesFromTheCheckpoint) {
  scenario_->SetUp();
  scenario_->Run(500, 5);
  OpenProjector();
  CatchUp();
  const SequenceNumber first = log_->Head().sequence;
  projector_.reset();
  scenario_->Run(500, 5);
  OpenProjector();
  CatchUp();
  const auto stats = projector_->Stats();
  for (const auto& projection : stats.projections) {
    EXPECT_EQ(projection.events_applied, log_->Head().sequence.value - first.value)
        << "only the new events are applied";
  }
  const Hash256 resumed = Digest();
  projector_.reset();
  std::filesystem::remove_all(directory_.Child("views"));
  OpenProjector();
  CatchUp();
  EXPECT_EQ(Digest(), resumed);
}

TEST_F(RebuildTest, ViewsOfAnotherLogAreRebuilt) {
  scenario_->SetUp();
  scenario_->Run(300, 5);
  OpenProjector();
  CatchUp();
  projector_.reset();
  // Another log with as many events, then the same views directory on top of it.
  log_.reset();
  std::filesystem::remove_all(directory_.Child("log"));
  OpenLog();
  scenario_ = std::make_unique<Scenario>(log_.get(), &clock_us_, 7);
  scenario_->SetUp();
  scenario_->Run(300, 5);
  OpenProjector();
  CatchUp();
  const Hash256 reused = Digest();
  projector_.reset();
  std::filesystem::remove_all(directory_.Child("views"));
  OpenProjector();
  CatchUp();
  EXPECT_EQ(Digest(), reused);
}

TEST_F(RebuildTest, QueriesWaitForMinSequence) {
  scenario_->SetUp();
  OpenProjector();
  const ScenarioPlatform& platform = scenario_->platforms().back();
  const SequenceNumber written = scenario_->Append(
      {{scenario_->PlatformMetadata(platform),
        domain::OrderCreated{platform.id, "fresh-order", 4200, "EUR", "checkout", "mine"}}});
  projections::QueryOptions options;
  options.min_sequence = written;
  options.wait = std::chrono::seconds(10);
  auto detail = views().GetOrderDetail(
      ScopeOf(platform.environment, platform.organization, platform.id), "fresh-order", options);
  ASSERT_TRUE(detail.ok()) << detail.status().ToString();
  EXPECT_GE(detail->as_of, written);
  EXPECT_EQ(detail->order.amount_minor, 4200);

  options.min_sequence = written.Next().Next();
  options.wait = std::chrono::milliseconds(50);
  auto later = views().GetPlatformSummary(
      ScopeOf(platform.environment, platform.organization, platform.id), options);
  EXPECT_EQ(later.status().code(), StatusCode::kTimedOut);
}

TEST_F(RebuildTest, StatsReportLagAndApplyRate) {
  scenario_->SetUp();
  scenario_->Run(800, 8);
  OpenProjector(0, /*start=*/false);
  auto stats = projector_->Stats();
  EXPECT_FALSE(stats.running);
  for (const auto& projection : stats.projections) {
    EXPECT_EQ(projection.checkpoint.value, 0u);
    EXPECT_EQ(projection.lag, log_->Head().sequence.value);
  }
  ASSERT_TRUE(projector_->Start().ok());
  CatchUp();
  stats = projector_->Stats();
  EXPECT_TRUE(stats.running);
  EXPECT_TRUE(stats.failure.empty());
  for (const auto& projection : stats.projections) {
    EXPECT_EQ(projection.lag, 0u);
    EXPECT_EQ(projection.checkpoint, log_->Head().sequence);
    EXPECT_GT(projection.apply_rate_events_per_second, 0) << "applied within the last second";
    EXPECT_EQ(projection.events_applied, log_->Head().sequence.value);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(projector_->Stats().projections[0].apply_rate_events_per_second, 0);
  projector_->Stop();
  EXPECT_FALSE(projector_->Stats().running);
}

TEST_F(RebuildTest, OpaqueEventsAreAuditedOnly) {
  scenario_->SetUp();
  AppendRequest opaque;
  opaque.event.stream = "embedder/stream";
  opaque.event.payload = "bytes the domain does not read";
  opaque.metadata.actor = "key:embedder";
  opaque.metadata.organization = "acme";
  ASSERT_TRUE(log_->Append({opaque}).ok());
  OpenProjector();
  CatchUp();
  projections::ActivityFilter filter;
  filter.organization_id = "acme";
  filter.actor = "key:embedder";
  auto page = views().GetActivity(filter);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->entries.size(), 1u);
  EXPECT_EQ(page->entries[0].stream, "embedder/stream");
}

}  // namespace
}  // namespace ledger::testing
