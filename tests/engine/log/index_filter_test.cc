// The log with its durable index's key filters: saved on a clean close and taken on the next
// open, rebuilt in the background when missing or not for this index, and in every case never
// letting a written-out idempotency key or stream be taken for a new one.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "log/log_fixture.h"

namespace ledger::testing {
namespace {

class IndexFilterTest : public LogTest {
 protected:
  void SetUp() override {
    index_tail_events_max_ = limits::kGroupCommitEventsMax;  // Tails written out often.
    LogTest::SetUp();
  }

  std::filesystem::path FilterFile() {
    return std::filesystem::path(directory_.Child("log")) / "INDEX_FILTER";
  }

  /// Appends events `first`..`first + count - 1`, event n on stream "s-<n/2>" with key "k-<n>".
  void AppendRange(int first, int count) {
    for (int done = 0; done < count;) {
      std::vector<AppendRequest> batch;
      for (int i = 0; i < 1000 && done < count; ++i, ++done) batch.push_back(Request(first + done));
      auto results = log_->Append(std::move(batch));
      ASSERT_TRUE(results.ok()) << results.status().ToString();
      for (const auto& result : *results) ASSERT_EQ(result.code, AppendCode::kAppended);
    }
  }
  static AppendRequest Request(int n) {
    return MakeAppend("s-" + std::to_string(n / 2), "payload-" + std::to_string(n),
                      ExpectedVersion::Any(), "k-" + std::to_string(n));
  }

  /// Every event of the range sent again is a duplicate, and each stream of it refuses to be
  /// created anew: nothing of it is taken for new.
  void ExpectAllKnown(int first, int count) {
    for (int start = first; start < first + count; start += 1000) {
      const int end = std::min(first + count, start + 1000);
      std::vector<AppendRequest> batch;
      for (int n = start; n < end; ++n) batch.push_back(Request(n));
      auto results = log_->Append(std::move(batch));
      ASSERT_TRUE(results.ok()) << results.status().ToString();
      for (int n = start; n < end; ++n) {
        ASSERT_EQ((*results)[n - start].code, AppendCode::kDuplicate) << "key k-" << n;
      }
      std::vector<AppendRequest> creations;
      for (int n = start; n < end; ++n) {
        if (n % 2 == 0) {
          creations.push_back(
              MakeAppend("s-" + std::to_string(n / 2), "again", ExpectedVersion::NoStream()));
        }
      }
      auto created = log_->Append(std::move(creations));
      ASSERT_TRUE(created.ok()) << created.status().ToString();
      for (const auto& result : *created) {
        ASSERT_EQ(result.code, AppendCode::kWrongExpectedVersion) << "a stream was taken for new";
      }
    }
  }

  bool WaitForCompleteFilters() {
    for (int i = 0; i < 1000 && !log_->Stats().index_filters_complete; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return log_->Stats().index_filters_complete;
  }

  static constexpr int kEvents = 3 * limits::kGroupCommitEventsMax;
};

TEST_F(IndexFilterTest, SavedOnCloseAndTakenOnOpen) {
  ASSERT_TRUE(WaitForCompleteFilters()) << "a new log's filters are built at once";
  AppendRange(0, kEvents);
  Reopen();
  ASSERT_TRUE(std::filesystem::exists(FilterFile()));
  LogStats stats = log_->Stats();
  EXPECT_TRUE(stats.index_filters_complete) << "taken from the file, no scan needed";
  EXPECT_GT(stats.index_filters_bytes, 0u);
  EXPECT_EQ(stats.indexed_through.value, static_cast<std::uint64_t>(kEvents));
  ExpectAllKnown(0, kEvents);
  AppendRange(kEvents, 10);  // New keys and streams are still new.
}

TEST_F(IndexFilterTest, MissingFileIsRebuiltFromTheIndex) {
  AppendRange(0, kEvents);
  log_.reset();
  ASSERT_TRUE(std::filesystem::remove(FilterFile()));
  Reopen();
  ASSERT_TRUE(WaitForCompleteFilters());
  ExpectAllKnown(0, kEvents);
}

// A streams filter with every bit cleared, its structure intact, would take every stream for
// new: only the file's checksum stands in the way.
TEST_F(IndexFilterTest, DamagedFileIsIgnored) {
  AppendRange(0, kEvents);
  log_.reset();
  std::string contents;
  {
    std::ifstream in(FilterFile(), std::ios::binary);
    contents.assign(std::istreambuf_iterator<char>(in), {});
  }
  // index_filter_file.h: magic line, be64 sequence, 32-byte hash, then the streams filter
  // (key_filter.cc: be32 segments, then be64 capacity, be64 blocks, be64 keys, the bits).
  const std::size_t streams = contents.find('\n') + 1 + 8 + 32;
  auto be64 = [&](std::size_t at) {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < 8; ++i)
      value = value << 8 | static_cast<unsigned char>(contents[at + i]);
    return value;
  };
  ASSERT_EQ(contents[streams + 3], 1) << "one segment expected";
  const std::size_t bits = streams + 4 + 24;
  const std::uint64_t bit_bytes = be64(streams + 4 + 8) * 64;
  ASSERT_LT(bits + bit_bytes, contents.size());
  std::fill_n(contents.begin() + static_cast<std::ptrdiff_t>(bits), bit_bytes, '\0');
  {
    std::ofstream out(FilterFile(), std::ios::binary | std::ios::trunc);
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  }
  Reopen();
  ASSERT_TRUE(WaitForCompleteFilters());
  ExpectAllKnown(0, kEvents);
}

// The scan seeks over the rows of a long stream: streams whose names extend its name, before
// and after it in key order, must all be found.
TEST_F(IndexFilterTest, TheScanFindsStreamsBesideLongOnes) {
  const std::vector<std::string> names = {"lon", "long", "long-1", "long.2", "longer", "lonh"};
  constexpr int kPerStream = 40;
  for (int round = 0; round < kPerStream; ++round) {
    std::vector<AppendRequest> batch;
    for (const std::string& name : names) batch.push_back(MakeAppend(name, "e"));
    ASSERT_TRUE(log_->Append(std::move(batch)).ok());
  }
  log_.reset();
  ASSERT_TRUE(std::filesystem::remove(FilterFile()));
  Reopen();
  ASSERT_TRUE(WaitForCompleteFilters());
  for (const std::string& name : names) {
    AppendResult created = AppendOne(MakeAppend(name, "again", ExpectedVersion::NoStream()));
    EXPECT_EQ(created.code, AppendCode::kWrongExpectedVersion) << name << " taken for new";
    AppendResult next = AppendOne(MakeAppend(name, "next"));
    EXPECT_EQ(next.first_version.value, static_cast<std::uint64_t>(kPerStream + 1)) << name;
  }
}

// Closing while the filters are still being rebuilt saves none, or complete ones.
TEST_F(IndexFilterTest, ClosingDuringTheRebuildLeavesNothingWrong) {
  AppendRange(0, kEvents);
  log_.reset();
  ASSERT_TRUE(std::filesystem::remove(FilterFile()));
  Reopen();
  log_.reset();  // Most likely while the scan runs.
  Reopen();
  ExpectAllKnown(0, kEvents);
  ASSERT_TRUE(WaitForCompleteFilters());
  ExpectAllKnown(0, 100);
}

// A file from an earlier close names an earlier head: trusting it would take every key
// written out since for new, and record its command twice.
TEST_F(IndexFilterTest, FileOfAnEarlierHeadIsIgnored) {
  AppendRange(0, kEvents);
  log_.reset();
  const std::filesystem::path earlier = directory_.Child("INDEX_FILTER.earlier");
  std::filesystem::copy_file(FilterFile(), earlier);
  Reopen();
  AppendRange(kEvents, kEvents);
  log_.reset();
  std::filesystem::copy_file(earlier, FilterFile(),
                             std::filesystem::copy_options::overwrite_existing);
  Reopen();
  ExpectAllKnown(kEvents, kEvents);
  ExpectAllKnown(0, 100);
}

}  // namespace
}  // namespace ledger::testing
