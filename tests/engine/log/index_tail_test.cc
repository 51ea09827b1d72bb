// The in-memory index tail on its own: flat tables that grow past their reservation, lookups
// that must tell keys apart even when their hashes share a slot, and sorted rows for the files.
#include "log/index_tail.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "log/keys.h"

namespace ledger::log {
namespace {

/// A hash with the given tag (high half) and low bits, to force shared slots.
KeyHash Forced(std::uint32_t tag) { return KeyHash{std::uint64_t{tag} << 32 | 0x1234}; }

TEST(FlatSlotsTest, FindsEveryKeyAfterGrowingAndTellsSharedTagsApartByKey) {
  FlatSlots slots(4);  // Reserved for 4: grows several times below.
  std::vector<std::string> keys;
  for (int i = 0; i < 1000; ++i) keys.push_back("key-" + std::to_string(i));
  for (std::uint32_t i = 0; i < keys.size(); ++i) {
    // Every tenth key shares tag 7 with the others of its kind: a collision chain.
    KeyHash hash = i % 10 == 0 ? Forced(7) : HashKey(keys[i]);
    slots.Insert(hash, i);
  }
  for (std::uint32_t i = 0; i < keys.size(); ++i) {
    KeyHash hash = i % 10 == 0 ? Forced(7) : HashKey(keys[i]);
    auto found = slots.Find(hash, [&](std::uint32_t index) { return keys[index] == keys[i]; });
    ASSERT_TRUE(found.has_value()) << keys[i];
    EXPECT_EQ(*found, i);
  }
  // A key whose candidates all fail the byte comparison is absent.
  EXPECT_FALSE(slots.Find(Forced(7), [](std::uint32_t) { return false; }).has_value());
  EXPECT_FALSE(slots.Find(HashKey("absent"), [](std::uint32_t) { return false; }).has_value());
}

TEST(IndexTailTest, StreamsAndKeysReadBackAfterGrowingPastTheReservation) {
  IndexTail tail(8);  // Far fewer than added below.
  std::map<std::string, std::vector<std::uint64_t>> streams;
  std::uint64_t sequence = 0;
  for (int i = 0; i < 5000; ++i) {
    std::string stream = "order/p/" + std::to_string(i % 613);
    auto& sequences = streams[stream];
    StreamVersion version{100 + sequences.size()};  // Starts past 1: earlier ones are durable.
    ++sequence;
    tail.AddEvent(stream, HashKey(stream), version, SequenceNumber{sequence});
    sequences.push_back(sequence);
    if (i % 2 == 0) {
      std::string key = IdempotencyKey("p", "key-" + std::to_string(i));
      tail.AddIdempotency(key, HashKey(key),
                          IdempotencyRecord{SequenceNumber{sequence}, version, 1, {}});
    }
  }
  EXPECT_EQ(tail.event_count(), 5000u);
  EXPECT_EQ(tail.last_sequence().value, sequence);

  for (const auto& [stream, sequences] : streams) {
    auto last = tail.LastVersion(stream, HashKey(stream));
    ASSERT_TRUE(last.has_value()) << stream;
    EXPECT_EQ(last->value, 100 + sequences.size() - 1);
    std::vector<StreamEntry> entries;
    tail.CollectStream(stream, HashKey(stream), StreamVersion{101}, StreamVersion{102}, &entries);
    ASSERT_EQ(entries.size(), 2u) << stream;
    EXPECT_EQ(entries[0].version.value, 101u);
    EXPECT_EQ(entries[0].sequence.value, sequences[1]);
    EXPECT_EQ(entries[1].sequence.value, sequences[2]);
  }
  EXPECT_FALSE(tail.LastVersion("order/p/none", HashKey("order/p/none")).has_value());

  for (int i = 0; i < 5000; ++i) {
    std::string key = IdempotencyKey("p", "key-" + std::to_string(i));
    const IdempotencyRecord* record = tail.FindIdempotency(key, HashKey(key));
    EXPECT_EQ(record != nullptr, i % 2 == 0) << key;
  }
  std::string first = IdempotencyKey("p", "key-0");
  tail.ExtendIdempotency(first, HashKey(first));
  EXPECT_EQ(tail.FindIdempotency(first, HashKey(first))->event_count, 2u);
}

TEST(IndexTailTest, RowsComeInKeyOrderWithOneHeadRowPerStream) {
  IndexTail tail(16);
  const std::vector<std::string> names = {"b", "a", "ab", "b", "a", "c"};
  std::map<std::string, std::uint64_t> next_version;
  std::uint64_t sequence = 0;
  for (const std::string& name : names) {
    std::uint64_t version = ++next_version[name];
    tail.AddEvent(name, HashKey(name), StreamVersion{version}, SequenceNumber{++sequence});
  }
  std::vector<std::pair<std::string, std::string>> rows;
  Status status = tail.SortedStreamRows([&](std::string_view key, std::string_view value) {
    rows.emplace_back(key, value);
    return Status::Ok();
  });
  ASSERT_TRUE(status.ok());
  // Six events and four streams: ten rows, bytewise ascending.
  ASSERT_EQ(rows.size(), 10u);
  for (std::size_t i = 1; i < rows.size(); ++i) EXPECT_LT(rows[i - 1].first, rows[i].first);
  EXPECT_EQ(rows[0].first, StreamKey("a", StreamVersion{1}));
  EXPECT_EQ(GetBigEndian64(rows[0].second.data()), 2u);
  EXPECT_EQ(rows[2].first, StreamHeadKey("a"));
  EXPECT_EQ(GetBigEndian64(rows[2].second.data()), 2u);      // last version
  EXPECT_EQ(GetBigEndian64(rows[2].second.data() + 8), 5u);  // its sequence

  // A failing sink stops the walk and its error comes back.
  int calls = 0;
  Status stopped = tail.SortedStreamRows([&](std::string_view, std::string_view) {
    ++calls;
    return Status::IoError("disk full");
  });
  EXPECT_EQ(stopped.code(), StatusCode::kIoError);
  EXPECT_EQ(calls, 1);
}

TEST(IndexTailTest, IdempotencyRowsAreInBytewiseOrderWhateverPrefixesTheKeysShare) {
  // Keys that share long prefixes, that are prefixes of one another, and that hold 0x00 (the
  // scope separator) and high bytes: the order must be std::string's, every key once.
  std::mt19937_64 random(20261121);
  const std::string alphabet(
      "\0\x01"
      "ab\x7f\x80\xff",
      7);
  std::set<std::string> keys;
  for (int i = 0; i < 3000; ++i) {
    std::string key = i % 3 == 0 ? "" : std::string("platform-1\0k", 12);
    const std::size_t length = 1 + random() % 12;
    for (std::size_t j = 0; j < length; ++j) key.push_back(alphabet[random() % alphabet.size()]);
    keys.insert(key);
  }
  keys.insert(std::string("platform-1\0k", 12));  // A prefix of many others.
  IndexTail tail(16);
  for (const std::string& key : keys) {
    tail.AddIdempotency(key, HashKey(key), IdempotencyRecord{SequenceNumber{1}, {}, 1, {}});
  }
  std::vector<std::string> rows;
  ASSERT_TRUE(tail.SortedIdempotencyRows([&](std::string_view key, std::string_view) {
                    rows.emplace_back(key);
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(rows, std::vector<std::string>(keys.begin(), keys.end()));
}

}  // namespace
}  // namespace ledger::log
