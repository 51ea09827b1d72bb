// Event packs (event_pack.h): what PackBuilder writes, PackView reads back, and EventCursor
// walks and seeks across packs, including gaps and malformed packs.
#include "log/event_pack.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "log/event_record.h"
#include "log/keys.h"
#include "log/sha256.h"
#include "log/store_test.h"

namespace ledger::log {
namespace {

/// What an event's hash slot holds until the commit thread links it (SealedPack::Link).
const std::string kUnlinkedHash(kHashBytes, '\0');

std::string EnvelopeOf(std::uint64_t sequence) {
  return "envelope-" + std::to_string(sequence) + std::string(sequence % 7, '+');
}

class EventPackTest : public StoreTest {
 protected:
  /// Writes events [first, last] as one pack.
  void WritePack(std::uint64_t first, std::uint64_t last) {
    PackBuilder builder;
    for (std::uint64_t s = first; s <= last; ++s) builder.Add(SequenceNumber{s}, EnvelopeOf(s), 0);
    const SealedPack pack = builder.Seal();
    EXPECT_TRUE(builder.empty());
    EXPECT_EQ(pack.last().value, last);
    rocksdb::WriteBatch batch;
    ASSERT_TRUE(pack.PutInto(&batch, store_->events()).ok());
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

  std::string Expected(std::uint64_t sequence) { return EnvelopeOf(sequence) + kUnlinkedHash; }
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
    builder.Add(SequenceNumber{added}, EnvelopeOf(added), 0);
  }
  EXPECT_EQ(added, kPackEventsMax) << "small records fill a pack by count";
  PackBuilder large;
  large.Add(SequenceNumber{1}, std::string(kPackRecordBytesMax, 'x'), 0);
  EXPECT_TRUE(large.full()) << "one large record fills a pack by size";
}

TEST_F(EventPackTest, LinkingChainsEveryRecordAfterTheOneBefore) {
  const EventMetadata metadata{"user:ana", schema::Environment::Sandbox, "org-1", "plat-1", "", ""};
  const CommandHeader header{metadata, "plat-1", "", {}};
  EventRecordBuilder record;
  PackBuilder builder;
  for (std::uint64_t s = 10; s <= 13; ++s) {
    EventDraft draft{"order-" + std::to_string(s % 2), ExpectedVersion::Any(),
                     schema::EventType::Opaque, std::string(s * 3, 'p'), ""};
    record.Build(header, draft, EventPlacement{SequenceNumber{s}, StreamVersion{s}, 1000});
    builder.Add(SequenceNumber{s}, record.envelope(), record.previous_hash_offset());
  }
  SealedPack pack = builder.Seal();
  Hash256 start{};
  start.fill(0xab);
  Hash256 chain = start;
  pack.Link(&chain);
  rocksdb::WriteBatch batch;
  ASSERT_TRUE(pack.PutInto(&batch, store_->events()).ok());
  ASSERT_TRUE(store_->db()->Write(rocksdb::WriteOptions(), &batch).ok());

  EventCursor cursor(store_->db(), store_->events());
  Hash256 previous = start;
  std::string aligned;
  for (cursor.Seek(SequenceNumber{10}); cursor.Valid(); cursor.Next()) {
    const schema::Envelope* envelope = nullptr;
    ASSERT_TRUE(CopyAndCheckRecord(cursor.record(), &aligned, &envelope).ok());
    EXPECT_EQ(envelope->sequence(), cursor.sequence().value);
    ASSERT_EQ(envelope->previous_hash()->size(), kHashBytes);
    EXPECT_TRUE(std::equal(previous.begin(), previous.end(), envelope->previous_hash()->begin()))
        << "event " << cursor.sequence().value << " names the hash before it";
    const Hash256 hash = StoredHash(aligned);
    EXPECT_EQ(hash, ChainHash(previous, EnvelopeBytes(aligned)))
        << "event " << cursor.sequence().value << " holds its own chain hash";
    previous = hash;
  }
  EXPECT_TRUE(cursor.status().ok());
  EXPECT_EQ(previous, chain) << "the chain ends at the last record's hash";
  EXPECT_NE(chain, start);
}

}  // namespace
}  // namespace ledger::log
