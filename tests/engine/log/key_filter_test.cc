// The durable index's key filters (key_filter.h) and their file (index_filter_file.h): a key
// added is never reported absent, across growth and a save and load; a file is taken only if
// intact and written for the head asked for.
#include "log/key_filter.h"

#include <gtest/gtest.h>
#include <xxhash.h>

#include <string>

#include "log/index_filter_file.h"

namespace ledger::log {
namespace {

KeyHash HashOf(const std::string& prefix, int n) { return HashKey(prefix + std::to_string(n)); }

/// Keys "in-0".."in-<count-1>" added to a filter whose first segment holds `first_capacity`.
void AddKeys(KeyFilter& filter, int count) {
  for (int i = 0; i < count; ++i) filter.Add(HashOf("in-", i));
}

/// How many of `count` keys never added pass the filter.
int FalsePositives(const KeyFilter& filter, int count) {
  int passed = 0;
  for (int i = 0; i < count; ++i) passed += filter.MayContain(HashOf("out-", i)) ? 1 : 0;
  return passed;
}

TEST(KeyFilterTest, EveryAddedKeyMayBeContainedAcrossGrowth) {
  KeyFilter filter(1024);  // Grows through several segments below.
  constexpr int kKeys = 200'000;
  AddKeys(filter, kKeys);
  EXPECT_EQ(filter.added(), static_cast<std::size_t>(kKeys));
  for (int i = 0; i < kKeys; ++i) ASSERT_TRUE(filter.MayContain(HashOf("in-", i))) << i;
  // Segments of 1 Ki, 4 Ki, 16 Ki, 64 Ki, 256 Ki keys at 12 bits each.
  EXPECT_EQ(filter.MemoryBytes(), (1024 + 4096 + 16384 + 65536 + 262144) * 12 / 8);
}

TEST(KeyFilterTest, FewAbsentKeysPass) {
  KeyFilter filter(1 << 16);
  AddKeys(filter, 1 << 16);  // Full: the worst case of one segment.
  constexpr int kProbes = 100'000;
  const int passed = FalsePositives(filter, kProbes);
  EXPECT_LT(passed, kProbes / 50) << "more than 2% of absent keys pass a full segment";
  EXPECT_GT(passed, 0) << "a full 12-bit-per-key filter passes some absent keys";
}

TEST(KeyFilterTest, IsIncompleteUntilMarked) {
  KeyFilter filter;
  EXPECT_FALSE(filter.complete());
  filter.MarkComplete();
  EXPECT_TRUE(filter.complete());
}

TEST(KeyFilterTest, EncodedFilterDecodesToTheSameAnswers) {
  KeyFilter filter(1024);
  AddKeys(filter, 10'000);
  std::string encoded;
  filter.EncodeTo(&encoded);
  encoded += "after";

  KeyFilter decoded(1);
  std::string_view in = encoded;
  ASSERT_TRUE(decoded.DecodeFrom(&in));
  EXPECT_EQ(in, "after") << "decoding stops where the filter ends";
  EXPECT_EQ(decoded.added(), filter.added());
  EXPECT_EQ(decoded.MemoryBytes(), filter.MemoryBytes());
  for (int i = 0; i < 10'000; ++i) ASSERT_TRUE(decoded.MayContain(HashOf("in-", i)));
  for (int i = 0; i < 10'000; ++i) {
    ASSERT_EQ(decoded.MayContain(HashOf("out-", i)), filter.MayContain(HashOf("out-", i)));
  }
  // It goes on growing from where the original stopped.
  decoded.Add(HashOf("new-", 1));
  EXPECT_TRUE(decoded.MayContain(HashOf("new-", 1)));
}

TEST(KeyFilterTest, MalformedEncodingsAreRefused) {
  KeyFilter filter(1024);
  AddKeys(filter, 3000);
  std::string encoded;
  filter.EncodeTo(&encoded);

  auto refused = [](std::string bytes) {
    KeyFilter target(1);
    std::string_view in = bytes;
    return !target.DecodeFrom(&in) && target.added() == 0;
  };
  EXPECT_TRUE(refused(""));
  EXPECT_TRUE(refused(encoded.substr(0, encoded.size() - 1))) << "truncated bits";
  EXPECT_TRUE(refused(encoded.substr(0, 20))) << "truncated header";
  std::string zero_segments = encoded;
  zero_segments[3] = 0;
  EXPECT_TRUE(refused(zero_segments));
  std::string wrong_blocks = encoded;
  wrong_blocks[4 + 15] ^= 1;  // The first segment's block count no longer fits its capacity.
  EXPECT_TRUE(refused(wrong_blocks));

  // Segments that did not grow as a filter grows them.
  KeyFilter two_segments(1024);
  AddKeys(two_segments, 1500);
  std::string grown;
  two_segments.EncodeTo(&grown);
  ASSERT_TRUE(!refused(grown)) << "a filter's own encoding is taken";
  std::string second_not_four_times = grown;
  // The second segment's capacity (4096, at 4 + 24 + 1024 * 12 / 8 bytes) read as 8192.
  const std::size_t second = 4 + 24 + 1024 * 12 / 8;
  second_not_four_times[second + 6] = 0x20;
  EXPECT_TRUE(refused(second_not_four_times));
  std::string first_not_full = grown;
  first_not_full[4 + 16 + 6] = 0x03;  // The first segment's key count: 1023, not full.
  first_not_full[4 + 16 + 7] = static_cast<char>(0xff);
  EXPECT_TRUE(refused(first_not_full));

  KeyFilter not_empty(1);
  not_empty.Add(HashOf("in-", 0));
  std::string_view in = encoded;
  EXPECT_FALSE(not_empty.DecodeFrom(&in)) << "only an empty filter takes an encoding";
}

// INDEX_FILTER files are read by later builds: how a key is hashed and where its bits go must
// not change without a new version in the file's magic line (index_filter_file.cc).
TEST(KeyFilterTest, EncodingOfKnownKeysIsPinned) {
  KeyFilter filter(1024);
  for (int i = 0; i < 10; ++i) filter.Add(HashOf("golden-", i));
  std::string encoded;
  filter.EncodeTo(&encoded);
  EXPECT_EQ(XXH3_64bits(encoded.data(), encoded.size()), 0x47c0b46838c93295ull)
      << "keys are hashed or probed differently: change the INDEX_FILTER version";
}

ChainPoint PointAt(std::uint64_t sequence, std::uint8_t fill) {
  ChainPoint point;
  point.sequence = SequenceNumber{sequence};
  point.hash.fill(fill);
  return point;
}

TEST(IndexFilterFileTest, IsTakenOnlyIntactAndForItsHead) {
  KeyFilter streams(1024);
  KeyFilter keys(1024);
  for (int i = 0; i < 500; ++i) streams.Add(HashOf("stream-", i));
  for (int i = 0; i < 700; ++i) keys.Add(HashOf("key-", i));
  const ChainPoint head = PointAt(1200, 0xab);
  const std::string file = EncodeIndexFilters(head, streams, keys);

  {
    KeyFilter loaded_streams(1), loaded_keys(1);
    ASSERT_TRUE(DecodeIndexFilters(file, head, &loaded_streams, &loaded_keys));
    EXPECT_EQ(loaded_streams.added(), 500u);
    EXPECT_EQ(loaded_keys.added(), 700u);
    for (int i = 0; i < 500; ++i) ASSERT_TRUE(loaded_streams.MayContain(HashOf("stream-", i)));
    for (int i = 0; i < 700; ++i) ASSERT_TRUE(loaded_keys.MayContain(HashOf("key-", i)));
  }
  auto refused = [&](const std::string& contents, const ChainPoint& at) {
    KeyFilter loaded_streams(1), loaded_keys(1);
    return !DecodeIndexFilters(contents, at, &loaded_streams, &loaded_keys);
  };
  EXPECT_TRUE(refused(file, PointAt(1201, 0xab))) << "another sequence";
  EXPECT_TRUE(refused(file, PointAt(1200, 0xac))) << "another hash at the same sequence";
  for (std::size_t at : {std::size_t{0}, std::size_t{30}, file.size() / 2, file.size() - 1}) {
    std::string damaged = file;
    damaged[at] ^= 0x10;
    EXPECT_TRUE(refused(damaged, head)) << "byte " << at << " flipped";
  }
  EXPECT_TRUE(refused(file.substr(0, file.size() - 9), head)) << "truncated";
  EXPECT_TRUE(refused(file + "x", head)) << "trailing bytes";
}

}  // namespace
}  // namespace ledger::log
