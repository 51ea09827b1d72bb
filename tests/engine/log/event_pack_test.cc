// Event packs (event_pack.h): what PackBuilder writes, PackView reads back, and EventCursor
// walks and seeks across packs, including gaps and malformed packs.
#include "log/event_pack.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "log/keys.h"
#include "log/store_test.h"

namespace ledger::log {
namespace {

constexpr std::string_view kHash = "0123456789abcdef0123456789abcdef";

std::string EnvelopeOf(std::uint64_t sequence) {
  return "envelope-" + std::to_string(sequence) + std::string(sequence % 7, '+');
}

class EventPackTest : public StoreTest {
 protected:
  /// Writes events [first, last] as one pack.
  void WritePack(std::uint64_t first, std::uint64_t last) {
    PackBuilder builder;
    for (std::uint64_t s = first; s <= last; ++s) {
      builder.Add(SequenceNumber{s}, EnvelopeOf(s), kHash);
    }
    rocksdb::WriteBatch batch;
    ASSERT_TRUE(builder.PutInto(&batch, store_->events()).ok());
    EXPECT_TRUE(builder.empty());
    ASSERT_TRUE(store_->db()->Write(rocksdb::WriteOptions(), &batch).ok());
  }

  /// Writes events [first, last] as one pack and returns the value stored for it.
  std::string StoredPack(std::uint64_t first, std::uint64_t last) {
    WritePack(first, last);
    std::string value;
    EXPECT_TRUE(
        store_->db()
            ->Get(rocksdb::ReadOptions(), store_->events(), EventKey(SequenceNumber{last}), &value)
            .ok())
        << "a pack is keyed by its last sequence";
    return value;
  }

  void PutRaw(std::uint64_t key_sequence, const std::string& value) {
    ASSERT_TRUE(store_->db()
                    ->Put(rocksdb::WriteOptions(), store_->events(),
                          EventKey(SequenceNumber{key_sequence}), value)
                    .ok());
  }

  std::string Expected(std::uint64_t sequence) { return EnvelopeOf(sequence) + std::string(kHash); }
};

TEST_F(EventPackTest, BuilderAndViewAgreeOnEveryRecord) {
  const std::string value = StoredPack(40, 45);
  PackView view;
  ASSERT_EQ(PackView::Parse(EventKey(SequenceNumber{45}), value, &view), std::nullopt);
  EXPECT_EQ(view.first().value, 40u);
  EXPECT_EQ(view.last().value, 45u);
  ASSERT_EQ(view.count(), 6u);
  for (std::size_t i = 0; i < view.count(); ++i) EXPECT_EQ(view.record(i), Expected(40 + i));
}

TEST_F(EventPackTest, ParseRefusesPacksThatDisagreeWithTheirKeyOrOffsets) {
  const std::string value = StoredPack(1, 3);
  PackView view;
  EXPECT_EQ(PackView::Parse(EventKey(SequenceNumber{3}), value, &view), std::nullopt);
  // Stored under another sequence than its last event.
  EXPECT_NE(PackView::Parse(EventKey(SequenceNumber{4}), value, &view), std::nullopt);
  // A key of the wrong length, a value shorter than its trailer, a count of zero.
  EXPECT_NE(PackView::Parse("short", value, &view), std::nullopt);
  EXPECT_NE(PackView::Parse(EventKey(SequenceNumber{3}), value.substr(0, 5), &view), std::nullopt);
  std::string zero_count = value;
  zero_count.replace(zero_count.size() - 4, 4, std::string(4, '\0'));
  EXPECT_NE(PackView::Parse(EventKey(SequenceNumber{3}), zero_count, &view), std::nullopt);
  // The second record's end pointing past the records, then before the first's.
  const std::size_t ends_at = value.size() - 12 - 3 * 4;
  for (char byte : {'\x7f', '\x00'}) {
    std::string bad = value;
    bad[ends_at + 4] = byte;
    bad[ends_at + 5] = byte;
    bad[ends_at + 6] = byte;
    bad[ends_at + 7] = byte;
    EXPECT_NE(PackView::Parse(EventKey(SequenceNumber{3}), bad, &view), std::nullopt)
        << "offset byte " << int(byte);
  }
}

TEST_F(EventPackTest, CursorWalksAcrossPacksAndSeeksInsideThem) {
  WritePack(1, 5);
  WritePack(6, 6);
  WritePack(7, 20);
  EventCursor cursor(store_->db(), store_->events());
  std::vector<std::uint64_t> seen;
  for (cursor.Seek(SequenceNumber{3}); cursor.Valid(); cursor.Next()) {
    EXPECT_EQ(cursor.record(), Expected(cursor.sequence().value));
    seen.push_back(cursor.sequence().value);
  }
  EXPECT_TRUE(cursor.status().ok());
  ASSERT_EQ(seen.size(), 18u);
  EXPECT_EQ(seen.front(), 3u);
  EXPECT_EQ(seen.back(), 20u);

  // Backward and forward seeks, within a pack and across packs.
  for (std::uint64_t s : {12u, 9u, 6u, 2u, 20u, 7u, 1u}) {
    cursor.Seek(SequenceNumber{s});
    ASSERT_TRUE(cursor.Valid()) << s;
    EXPECT_EQ(cursor.sequence().value, s);
    EXPECT_EQ(cursor.record(), Expected(s));
  }
  cursor.Seek(SequenceNumber{21});
  EXPECT_FALSE(cursor.Valid());
  EXPECT_TRUE(cursor.status().ok());

  cursor.SeekToLast();
  ASSERT_TRUE(cursor.Valid());
  EXPECT_EQ(cursor.sequence().value, 20u);
  EXPECT_EQ(cursor.pack().first().value, 7u);
}

TEST_F(EventPackTest, CursorLandsAfterAGap) {
  WritePack(1, 4);
  WritePack(9, 12);  // 5 to 8 are missing.
  EventCursor cursor(store_->db(), store_->events());
  cursor.Seek(SequenceNumber{6});
  ASSERT_TRUE(cursor.Valid());
  EXPECT_EQ(cursor.sequence().value, 9u) << "the first event after the missing one";
  cursor.Seek(SequenceNumber{4});
  cursor.Next();
  ASSERT_TRUE(cursor.Valid());
  EXPECT_EQ(cursor.sequence().value, 9u);
}

TEST_F(EventPackTest, CursorStopsAtAMalformedPackAndSaysWhere) {
  WritePack(1, 4);
  PutRaw(8, "not a pack at all");
  EventCursor cursor(store_->db(), store_->events());
  cursor.Seek(SequenceNumber{3});
  ASSERT_TRUE(cursor.Valid());
  cursor.Next();
  ASSERT_TRUE(cursor.Valid());
  EXPECT_EQ(cursor.sequence().value, 4u);
  cursor.Next();
  EXPECT_FALSE(cursor.Valid());
  EXPECT_EQ(cursor.status().code(), StatusCode::kCorruption);
  EXPECT_NE(cursor.status().message().find("sequence 8"), std::string::npos)
      << cursor.status().ToString();
}

TEST_F(EventPackTest, BuilderClosesAFullPack) {
  PackBuilder builder;
  std::uint64_t added = 0;
  while (!builder.full()) {
    ++added;
    builder.Add(SequenceNumber{added}, EnvelopeOf(added), kHash);
  }
  EXPECT_EQ(added, kPackEventsMax) << "small records fill a pack by count";
  PackBuilder large;
  large.Add(SequenceNumber{1}, std::string(kPackRecordBytesMax, 'x'), kHash);
  EXPECT_TRUE(large.full()) << "one large record fills a pack by size";
}

}  // namespace
}  // namespace ledger::log
