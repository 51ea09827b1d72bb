// Claims: keys an event takes for good (EventDraft::claim), kept unique by the log's derived
// index in every layer (staged, in a tail, written out) and across reopens.
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "log/log_fixture.h"

namespace ledger::testing {
namespace {

AppendRequest Claiming(std::string stream, std::string payload, std::string claim) {
  AppendRequest request = MakeAppend(std::move(stream), std::move(payload));
  request.event.claim = std::move(claim);
  return request;
}

/// What a ClaimingJob saw: its commands' results, and what FindClaim said of its probe before
/// and after staging them.
struct Seen {
  std::vector<AppendResult> results;
  std::optional<SequenceNumber> before;
  std::optional<SequenceNumber> after;
  Status status = Status::Ok();
};

using Command = std::vector<EventDraft>;

/// Asks FindClaim of `probe`, stages the commands given one after the other, asks again, and
/// tells `seen`.
class ClaimingJob final : public WriteJob {
 public:
  ClaimingJob(std::vector<Command> commands, std::string probe, std::promise<Seen>* seen)
      : commands_(std::move(commands)), probe_(std::move(probe)), seen_(seen) {}
  std::size_t EventCountHint() const override {
    std::size_t events = 0;
    for (const Command& command : commands_) events += command.size();
    return events;
  }
  void Stage(StagingBatch& batch) override {
    seen_value_.before = Probe(batch);
    const EventMetadata metadata{"key:test", schema::Environment::Sandbox, "org-1", "", "", ""};
    for (const Command& command : commands_) {
      auto staged = batch.StageCommand(CommandHeader{metadata, "", "", {}}, command);
      EXPECT_TRUE(staged.ok()) << staged.status().ToString();
      seen_value_.results.push_back(staged.ok() ? *staged : AppendResult{});
    }
    seen_value_.after = Probe(batch);
  }
  void Complete(const Status& status) override {
    seen_value_.status = status;
    seen_->set_value(std::move(seen_value_));
  }

 private:
  std::optional<SequenceNumber> Probe(StagingBatch& batch) {
    auto holder = batch.FindClaim(probe_);
    EXPECT_TRUE(holder.ok()) << holder.status().ToString();
    return holder.ok() ? *holder : std::nullopt;
  }

  std::vector<Command> commands_;
  std::string probe_;
  std::promise<Seen>* seen_;
  Seen seen_value_;
};

/// Runs a ClaimingJob to completion.
Seen RunJob(Log& log, std::vector<Command> commands, std::string probe) {
  std::promise<Seen> seen;
  auto done = seen.get_future();
  EXPECT_TRUE(
      log.Submit(std::make_unique<ClaimingJob>(std::move(commands), std::move(probe), &seen)).ok());
  return done.get();
}

EventDraft Draft(std::string stream, std::string claim) {
  EventDraft draft;
  draft.stream = std::move(stream);
  draft.payload = "p";
  draft.claim = std::move(claim);
  return draft;
}

TEST_F(LogTest, AClaimIsHeldByItsFirstEventOnly) {
  EXPECT_EQ(AppendOne(MakeAppend("s", "before")).code, AppendCode::kAppended);
  AppendResult first = AppendOne(Claiming("s", "a", "op/p1/x"));
  ASSERT_EQ(first.code, AppendCode::kAppended);
  AppendResult again = AppendOne(Claiming("other", "b", "op/p1/x"));
  EXPECT_EQ(again.code, AppendCode::kClaimTaken);
  EXPECT_EQ(again.first_sequence, first.first_sequence);
  EXPECT_NE(again.message.find("op/p1/x"), std::string::npos) << again.message;
  EXPECT_EQ(log_->Head().sequence.value, 2u);
  EXPECT_EQ(AppendOne(Claiming("s", "c", "op/p1/y")).code, AppendCode::kAppended);

  auto read = log_->ReadRange(first.first_sequence, 1);
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->size(), 1u);
  ASSERT_NE(read->front().envelope().claim(), nullptr);
  EXPECT_EQ(read->front().envelope().claim()->string_view(), "op/p1/x");
}

TEST_F(LogTest, AClaimSeesEarlierAppendsOfTheSameBatch) {
  std::vector<AppendRequest> batch;
  batch.push_back(Claiming("s1", "a", "c"));
  batch.push_back(Claiming("s2", "b", "c"));
  auto results = log_->Append(std::move(batch));
  ASSERT_TRUE(results.ok());
  EXPECT_EQ((*results)[0].code, AppendCode::kAppended);
  EXPECT_EQ((*results)[1].code, AppendCode::kClaimTaken);
  EXPECT_EQ((*results)[1].first_sequence, (*results)[0].first_sequence);
}

TEST_F(LogTest, ClaimsAndIdempotencyKeysAreApart) {
  // The same bytes as a ledger-wide idempotency key, and as a key of the scope "".
  AppendRequest keyed = MakeAppend("s", "a", ExpectedVersion::Any(), "k");
  keyed.idempotency_scope = "";
  EXPECT_EQ(AppendOne(keyed).code, AppendCode::kAppended);
  EXPECT_EQ(AppendOne(Claiming("s", "b", "k")).code, AppendCode::kAppended);
  AppendRequest keyed_again = MakeAppend("s", "c", ExpectedVersion::Any(), "k2");
  keyed_again.idempotency_scope = "";
  keyed_again.event.claim = "k2";
  EXPECT_EQ(AppendOne(keyed_again).code, AppendCode::kAppended);
  // A retry of a recorded command is a duplicate, not a claim taken by itself.
  EXPECT_EQ(AppendOne(keyed_again).code, AppendCode::kDuplicate);
}

TEST_F(LogTest, AnInvalidClaimIsRefused) {
  EXPECT_EQ(AppendOne(Claiming("s", "a", std::string("a\0b", 3))).code,
            AppendCode::kInvalidArgument);
  EXPECT_EQ(AppendOne(Claiming("s", "a", std::string(limits::kClaimBytesMax + 1, 'c'))).code,
            AppendCode::kInvalidArgument);
  EXPECT_EQ(AppendOne(Claiming("s", "a", std::string(limits::kClaimBytesMax, 'c'))).code,
            AppendCode::kAppended);
}

TEST_F(LogTest, EventsOfOneCommandCannotShareAClaim) {
  Seen seen = RunJob(*log_, {{Draft("s1", "c"), Draft("s2", "d"), Draft("s3", "c")}}, "c");
  ASSERT_EQ(seen.results.size(), 1u);
  EXPECT_EQ(seen.results[0].code, AppendCode::kClaimTaken);
  EXPECT_EQ(seen.results[0].first_sequence.value, 0u);
  EXPECT_FALSE(seen.after.has_value());
  EXPECT_EQ(log_->Head().sequence.value, 0u);
}

TEST_F(LogTest, AStagedClaimIsFoundBeforeItIsDurable) {
  Seen seen = RunJob(*log_, {{Draft("s1", "c"), Draft("s2", "d")}}, "d");
  ASSERT_TRUE(seen.status.ok()) << seen.status.ToString();
  EXPECT_EQ(seen.results[0].code, AppendCode::kAppended);
  EXPECT_FALSE(seen.before.has_value());
  ASSERT_TRUE(seen.after.has_value());
  EXPECT_EQ(seen.after->value, 2u);
}

// A claim found free stays known as free only until the next event is staged.
TEST_F(LogTest, AClaimFoundFreeIsTakenByTheFirstCommandThatStagesIt) {
  Seen seen = RunJob(*log_, {{Draft("s1", "x")}, {Draft("s2", "x")}, {Draft("s3", "y")}}, "x");
  ASSERT_TRUE(seen.status.ok()) << seen.status.ToString();
  EXPECT_FALSE(seen.before.has_value());
  ASSERT_EQ(seen.results.size(), 3u);
  EXPECT_EQ(seen.results[0].code, AppendCode::kAppended);
  EXPECT_EQ(seen.results[1].code, AppendCode::kClaimTaken);
  EXPECT_EQ(seen.results[1].first_sequence.value, 1u);
  EXPECT_EQ(seen.results[2].code, AppendCode::kAppended);
  ASSERT_TRUE(seen.after.has_value());
  EXPECT_EQ(seen.after->value, 1u);
  EXPECT_EQ(log_->Head().sequence.value, 2u);
}

class ClaimLayersTest : public LogTest {
 protected:
  void SetUp() override {
    index_tail_events_max_ = limits::kGroupCommitEventsMax;  // The smallest allowed.
    LogTest::SetUp();
  }
};

TEST_F(ClaimLayersTest, ClaimsInEveryLayerSurviveReopen) {
  constexpr int kEvents = 20000;
  for (int done = 0; done < kEvents;) {
    std::vector<AppendRequest> batch;
    for (int i = 0; i < 1000 && done < kEvents; ++i, ++done) {
      batch.push_back(Claiming("s" + std::to_string(done % 3), std::to_string(done),
                               "claim-" + std::to_string(done)));
    }
    auto results = log_->Append(std::move(batch));
    ASSERT_TRUE(results.ok());
    for (const auto& result : *results) ASSERT_EQ(result.code, AppendCode::kAppended);
  }
  auto expect_held = [&](int n) {
    AppendResult again = AppendOne(Claiming("x", "again", "claim-" + std::to_string(n)));
    EXPECT_EQ(again.code, AppendCode::kClaimTaken) << n;
    EXPECT_EQ(again.first_sequence.value, static_cast<std::uint64_t>(n + 1)) << n;
  };
  for (int n : {0, 8191, 8192, 12345, 19999}) expect_held(n);
  Reopen();
  for (int n : {0, 8191, 8192, 12345, 19999}) expect_held(n);
  EXPECT_EQ(log_->Head().sequence.value, static_cast<std::uint64_t>(kEvents));
  EXPECT_EQ(AppendOne(Claiming("x", "new", "claim-new")).code, AppendCode::kAppended);
}

}  // namespace
}  // namespace ledger::testing
