// A full disk: the data directory sits on a small tmpfs. Writes are refused with a clear
// storage error, reads keep working, nothing acknowledged is lost or damaged, and once space
// is freed a reopened log works again with everything intact.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>
#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include "ledger/engine/log.h"
#include "support/temp_dir.h"

namespace ledger::testing {
namespace {

constexpr const char* kFilesystemSize = "size=24m";
constexpr std::size_t kBallastBytes = 6u << 20;

AppendRequest Event(int n) {
  AppendRequest request;
  request.event.stream = "order/p/" + std::to_string(n % 50);
  request.event.payload = std::string(2000, static_cast<char>('a' + n % 26));
  request.metadata.actor = "key:writer";
  request.idempotency_scope = "p";
  request.idempotency_key = "k" + std::to_string(n);
  return request;
}

class DiskFullTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mount_point_ = directory_.Child("small-disk");
    std::filesystem::create_directories(mount_point_);
    if (mount("tmpfs", mount_point_.c_str(), "tmpfs", 0, kFilesystemSize) != 0) {
      GTEST_SKIP() << "cannot mount a tmpfs here (" << std::strerror(errno)
                   << "); this test needs root";
    }
    mounted_ = true;
  }
  void TearDown() override {
    if (mounted_) umount2(mount_point_.c_str(), MNT_DETACH);
  }

  TempDir directory_;
  std::string mount_point_;
  bool mounted_ = false;
};

TEST_F(DiskFullTest, WritesAreRefusedReadsWorkAndFreedSpaceRecovers) {
  spdlog::set_level(spdlog::level::off);
  // Ballast: room that can be freed once the disk is full.
  std::string ballast = mount_point_ + "/ballast";
  std::ofstream(ballast, std::ios::binary) << std::string(kBallastBytes, 'b');

  LogOptions options;
  options.path = mount_point_ + "/log";
  options.create_if_missing = true;
  std::map<int, std::uint64_t> acknowledged;
  Status refusal;
  {
    auto log = Log::Open(options);
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    for (int n = 0; n < 100000 && refusal.ok(); n += 8) {
      std::vector<AppendRequest> batch;
      for (int i = n; i < n + 8; ++i) batch.push_back(Event(i));
      auto results = (*log)->Append(std::move(batch));
      if (!results.ok()) {
        refusal = results.status();
        break;
      }
      for (int i = 0; i < 8; ++i) acknowledged[n + i] = (*results)[i].first_sequence.value;
    }
    ASSERT_FALSE(refusal.ok()) << "the disk never filled";
    EXPECT_EQ(refusal.code(), StatusCode::kWritesRefusedAfterFailure) << refusal.ToString();
    EXPECT_NE(refusal.message().find("space"), std::string::npos) << refusal.ToString();
    // Later writes are refused too, at once.
    auto again = (*log)->Append({Event(1'000'000)});
    EXPECT_FALSE(again.ok());
    // Reads keep working on a full disk.
    auto first = (*log)->ReadRange(SequenceNumber{1}, 10);
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    EXPECT_EQ(first->size(), 10u);
    auto verified = (*log)->Verify(std::nullopt);
    ASSERT_TRUE(verified.ok());
    EXPECT_TRUE(verified->ok) << verified->problem;
  }
  std::filesystem::remove(ballast);

  auto log = Log::Open(options);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  for (const auto& [n, sequence] : acknowledged) {
    auto events = (*log)->ReadRange(SequenceNumber{sequence}, 1);
    ASSERT_TRUE(events.ok() && events->size() == 1) << "acknowledged event " << n << " lost";
    ASSERT_EQ(events->front().payload(), Event(n).event.payload);
  }
  auto verified = (*log)->Verify(std::nullopt);
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok) << verified->problem;
  auto appended = (*log)->Append({Event(2'000'000)});
  ASSERT_TRUE(appended.ok()) << appended.status().ToString();
  EXPECT_EQ(appended->front().code, AppendCode::kAppended);
  std::printf(
      "disk full after %zu acknowledged events (%s); reads and verify worked while "
      "full; after freeing %zu bytes the reopened log had every one and took writes\n",
      acknowledged.size(), refusal.ToString().c_str(), kBallastBytes);
}

}  // namespace
}  // namespace ledger::testing
