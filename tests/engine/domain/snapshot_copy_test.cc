// A snapshot's copy of the domain state is taken in the writer thread and written on another
// while the state goes on changing: the large tables are shared copy-on-write. The copy must
// keep what it had, the live state must see every change, and memory must be shared only
// while the copy lives.
#include <gtest/gtest.h>

#include "domain/chunked_vector.h"
#include "domain/id_table.h"

namespace ledger::testing {
namespace {

using domain::ChunkedVector;
using domain::IdKey;
using domain::IdKind;
using domain::IdTable;
using domain::MakeIdKey;

constexpr std::size_t kChunk = ChunkedVector<std::uint64_t>::kChunkRecords;

TEST(SnapshotCopyTest, AChunkedVectorCopyKeepsItsRecordsWhileTheOriginalChanges) {
  ChunkedVector<std::uint64_t> live;
  for (std::uint64_t i = 0; i < 3 * kChunk + 10; ++i) live.push_back(i);
  auto copy = std::make_unique<const ChunkedVector<std::uint64_t>>(live);
  EXPECT_EQ(live.SharedChunks(), 4u);

  live[5] = 1'000'000;                 // Chunk 0 gets its own storage.
  live[2 * kChunk + 1] = 2'000'000;    // Chunk 2 too.
  live.push_back(42);                  // Into the last chunk, shared until now.
  EXPECT_EQ(live.SharedChunks(), 1u);  // Chunk 1 is still the copy's as well.

  EXPECT_EQ((*copy)[5], 5u);
  EXPECT_EQ((*copy)[2 * kChunk + 1], 2 * kChunk + 1);
  EXPECT_EQ(copy->size(), 3 * kChunk + 10);
  EXPECT_EQ(live[5], 1'000'000u);
  EXPECT_EQ(live[2 * kChunk + 1], 2'000'000u);
  EXPECT_EQ(live[kChunk + 7], kChunk + 7);
  EXPECT_EQ(live.size(), 3 * kChunk + 11);

  copy.reset();
  EXPECT_EQ(live.SharedChunks(), 0u);
  live[kChunk + 7] = 7;  // No copy left to protect: written in place.
  EXPECT_EQ(live[kChunk + 7], 7u);
}

TEST(SnapshotCopyTest, AnIdTableCopyKeepsItsKeysWhileTheOriginalTakesNewOnes) {
  auto key = [](int i) { return MakeIdKey(IdKind::kOrder, "shop", "o-" + std::to_string(i)); };
  IdTable live;
  for (int i = 0; i < 5000; ++i) live.Insert(key(i), static_cast<std::uint32_t>(i + 1));
  auto copy = std::make_unique<const IdTable>(live);

  for (int i = 5000; i < 10000; ++i) live.Insert(key(i), static_cast<std::uint32_t>(i + 1));
  // Every shard is shared with the copy, so the new keys wait in the overlay.
  EXPECT_EQ(live.overlay_size(), 5000u);
  EXPECT_EQ(live.size(), 10000u);
  for (int i = 0; i < 10000; ++i) {
    const std::uint32_t* found = live.Find(key(i));
    ASSERT_NE(found, nullptr) << i;
    EXPECT_EQ(*found, static_cast<std::uint32_t>(i + 1));
  }
  EXPECT_EQ(copy->size(), 5000u);
  for (int i = 0; i < 10000; ++i) EXPECT_EQ(copy->Find(key(i)) != nullptr, i < 5000) << i;

  live.Settle();  // The copy still holds the shards: nothing moves.
  EXPECT_EQ(live.overlay_size(), 5000u);
  copy.reset();
  live.Settle();
  EXPECT_EQ(live.overlay_size(), 0u);
  for (int i = 0; i < 10000; ++i) ASSERT_NE(live.Find(key(i)), nullptr) << i;
  std::size_t in_shards = 0;
  for (std::size_t shard = 0; shard < IdTable::kShards; ++shard) in_shards += live.ShardSize(shard);
  EXPECT_EQ(in_shards, 10000u);
  EXPECT_EQ(live.Find(key(10000)), nullptr);
}

}  // namespace
}  // namespace ledger::testing
