// Offline tampering with a closed log: Verify, or Open, names the sequence where it was done.
//
// The log is written and closed, then changed with plain RocksDB, as anyone holding the files
// could: a flipped byte, a deleted event, two swapped events, a missing last event, and a
// tail cut off with the head rewritten to match, which the chain alone cannot reveal but an
// auditor's saved chain point does (and which the log refuses on open while its derived index
// or its acknowledged-head marker still vouches for the cut events).
//
// The log stores consecutive events in packs (docs/log.md); the codec below is written from
// that description. Most tests first split every pack into packs of one event, so that an
// event can be deleted or swapped as a key; others tamper inside a pack as written.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <spdlog/logger.h>

#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "ledger/engine/log.h"
#include "support/temp_dir.h"

namespace ledger::testing {
namespace {

constexpr std::uint64_t kEvents = 300;
constexpr std::uint64_t kAppendsPerBatch = 50;
constexpr std::size_t kHashBytes = 32;

/// An events key: the last sequence of its pack, big-endian (the log's keys.h).
std::string EventKey(std::uint64_t sequence) {
  std::string key(8, '\0');
  for (int i = 7; i >= 0; --i, sequence >>= 8) key[i] = static_cast<char>(sequence & 0xff);
  return key;
}

std::uint64_t BigEndian(std::string_view bytes) {
  std::uint64_t value = 0;
  for (char byte : bytes) value = (value << 8) | static_cast<std::uint8_t>(byte);
  return value;
}

/// pack := record[count] be32(record_end)[count] be64(first_sequence) be32(count)
std::string EncodePack(std::uint64_t first, const std::vector<std::string>& records) {
  std::string pack;
  std::vector<std::uint32_t> ends;
  for (const std::string& record : records) {
    pack += record;
    ends.push_back(static_cast<std::uint32_t>(pack.size()));
  }
  for (std::uint32_t end : ends) pack += EventKey(end).substr(4);
  pack += EventKey(first);
  pack += EventKey(records.size()).substr(4);
  return pack;
}

struct Pack {
  std::uint64_t first = 0;
  std::vector<std::string> records;
};

Pack DecodePack(std::string_view pack) {
  Pack decoded;
  const std::size_t count = BigEndian(pack.substr(pack.size() - 4));
  decoded.first = BigEndian(pack.substr(pack.size() - 12, 8));
  const std::size_t ends_at = pack.size() - 12 - 4 * count;
  std::size_t begin = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t end = BigEndian(pack.substr(ends_at + 4 * i, 4));
    decoded.records.emplace_back(pack.substr(begin, end - begin));
    begin = end;
  }
  return decoded;
}

std::string Payload(std::uint64_t sequence) { return fmt::format("payload-{:05}", sequence); }

/// The log's database opened with plain RocksDB and default options.
class RawDatabase {
 public:
  explicit RawDatabase(const std::string& path) {
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const char* name : {"default", "events", "streams", "idempotency", "metadata"}) {
      families.emplace_back(name, rocksdb::ColumnFamilyOptions());
    }
    rocksdb::DB* db = nullptr;
    Check(rocksdb::DB::Open(rocksdb::DBOptions(), path, families, &handles_, &db));
    db_.reset(db);
  }
  ~RawDatabase() {
    for (auto* handle : handles_) (void)db_->DestroyColumnFamilyHandle(handle);
    (void)db_->Close();
  }
  RawDatabase(const RawDatabase&) = delete;
  RawDatabase& operator=(const RawDatabase&) = delete;

  rocksdb::ColumnFamilyHandle* events() const { return handles_[1]; }
  rocksdb::ColumnFamilyHandle* streams() const { return handles_[2]; }
  rocksdb::ColumnFamilyHandle* idempotency() const { return handles_[3]; }
  rocksdb::ColumnFamilyHandle* metadata() const { return handles_[4]; }

  std::string Get(rocksdb::ColumnFamilyHandle* family, const std::string& key) const {
    std::string value;
    Check(db_->Get(rocksdb::ReadOptions(), family, key, &value));
    return value;
  }
  void Put(rocksdb::ColumnFamilyHandle* family, const std::string& key, const std::string& value) {
    Check(db_->Put(rocksdb::WriteOptions(), family, key, value));
  }
  void Delete(rocksdb::ColumnFamilyHandle* family, const std::string& key) {
    Check(db_->Delete(rocksdb::WriteOptions(), family, key));
  }
  /// Every pack of the events family, by its key's sequence.
  std::map<std::uint64_t, Pack> Packs() const {
    std::map<std::uint64_t, Pack> packs;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), events()));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      packs.emplace(BigEndian(it->key().ToStringView()), DecodePack(it->value().ToStringView()));
    }
    Check(it->status());
    return packs;
  }
  /// Rewrites every pack as packs of one event each, keyed by that event's sequence.
  void SplitPacks() {
    for (auto& [last, pack] : Packs()) {
      Delete(events(), EventKey(last));
      for (std::size_t i = 0; i < pack.records.size(); ++i) {
        PutEvent(pack.first + i, pack.records[i]);
      }
    }
  }
  /// The record of event `sequence`, wherever its pack is.
  std::string GetEvent(std::uint64_t sequence) const {
    for (const auto& [last, pack] : Packs()) {
      if (sequence >= pack.first && sequence <= last) return pack.records[sequence - pack.first];
    }
    throw std::runtime_error(fmt::format("no event {}", sequence));
  }
  void PutEvent(std::uint64_t sequence, const std::string& record) {
    Put(events(), EventKey(sequence), EncodePack(sequence, {record}));
  }
  /// Deletes every key of `family`.
  void Clear(rocksdb::ColumnFamilyHandle* family) {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), family));
    for (it->SeekToFirst(); it->Valid(); it->Next()) Delete(family, it->key().ToString());
    Check(it->status());
  }

 private:
  /// Tampering that does not happen is a broken test, not a finding.
  static void Check(const rocksdb::Status& status) {
    if (!status.ok()) throw std::runtime_error("raw RocksDB: " + status.ToString());
  }

  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::unique_ptr<rocksdb::DB> db_;
};

class TamperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = OpenLog();
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    Log& log = **opened;
    for (std::uint64_t first = 1; first <= kEvents; first += kAppendsPerBatch) {
      std::vector<AppendRequest> batch;
      for (std::uint64_t sequence = first; sequence < first + kAppendsPerBatch; ++sequence) {
        AppendRequest request;
        request.event.stream = fmt::format("account-{}", sequence % 7);
        request.event.payload = Payload(sequence);
        request.metadata.platform = "platform-1";
        request.idempotency_scope = "platform-1";
        if (sequence % 3 == 0) request.idempotency_key = fmt::format("key-{}", sequence);
        batch.push_back(std::move(request));
      }
      auto results = log.Append(std::move(batch));
      ASSERT_TRUE(results.ok()) << results.status().ToString();
    }
    head_ = log.Head();
    ASSERT_EQ(head_.sequence.value, kEvents);
    for (std::uint64_t sequence : {kEvents / 2, kEvents - 10}) {
      auto events = log.ReadRange(SequenceNumber{sequence}, 1);
      ASSERT_TRUE(events.ok() && events->size() == 1);
      audited_.push_back(ChainPoint{SequenceNumber{sequence}, events->front().hash()});
    }
  }

  Result<std::unique_ptr<Log>> OpenLog() {
    LogOptions options;
    options.path = directory_.Child("log");
    options.create_if_missing = true;
    options.logger = quiet_;
    return Log::Open(std::move(options));
  }

  /// Opening the log must fail as corruption, with a message that says `says`.
  void ExpectOpenRefused(const std::string& says) {
    auto opened = OpenLog();
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.status().code(), StatusCode::kCorruption);
    EXPECT_THAT(opened.status().message(), ::testing::HasSubstr(says));
  }

  /// Reopens the log and verifies it from `from`.
  VerifyReport VerifyFrom(std::optional<ChainPoint> from) {
    auto opened = OpenLog();
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    if (!opened.ok()) return {};
    auto report = (*opened)->Verify(from);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : VerifyReport{};
  }

  std::string path() const { return directory_.Child("log"); }

  TempDir directory_;
  std::shared_ptr<spdlog::logger> quiet_ = std::make_shared<spdlog::logger>("tamper");
  ChainPoint head_;
  /// Points an auditor kept: events 150 and 290.
  std::vector<ChainPoint> audited_;
};

TEST_F(TamperTest, UntouchedLogVerifiesFromGenesisAndFromAnAuditedPoint) {
  VerifyReport from_genesis = VerifyFrom(std::nullopt);
  EXPECT_TRUE(from_genesis.ok) << from_genesis.problem;
  EXPECT_EQ(from_genesis.events_checked, kEvents);
  EXPECT_EQ(from_genesis.last_good, head_);

  VerifyReport from_midpoint = VerifyFrom(audited_[0]);
  EXPECT_TRUE(from_midpoint.ok) << from_midpoint.problem;
  EXPECT_EQ(from_midpoint.events_checked, kEvents - audited_[0].sequence.value);
  EXPECT_EQ(from_midpoint.last_good, from_genesis.last_good);

  ChainPoint forged = audited_[0];
  forged.hash[0] ^= 0x01;
  VerifyReport from_forged = VerifyFrom(forged);
  EXPECT_FALSE(from_forged.ok);
  EXPECT_EQ(from_forged.first_bad_sequence, forged.sequence);
}

TEST_F(TamperTest, FlippedByteIsNamedWhereverItFalls) {
  constexpr std::uint64_t kVictim = 137;
  std::string original;
  {
    RawDatabase raw(path());
    raw.SplitPacks();
    original = raw.GetEvent(kVictim);
  }
  const std::size_t payload_at = original.find(Payload(kVictim));
  ASSERT_NE(payload_at, std::string::npos);
  // The root offset, the middle of the envelope, the payload, the envelope's last byte and
  // the stored hash's last byte.
  const std::size_t envelope_bytes = original.size() - kHashBytes;
  for (std::size_t offset : {std::size_t{0}, envelope_bytes / 2, payload_at + 3, envelope_bytes - 1,
                             original.size() - 1}) {
    SCOPED_TRACE(fmt::format("byte {} of {}", offset, original.size()));
    {
      RawDatabase raw(path());
      std::string altered = original;
      altered[offset] = static_cast<char>(altered[offset] ^ 0x20);
      raw.PutEvent(kVictim, altered);
    }
    VerifyReport report = VerifyFrom(std::nullopt);
    EXPECT_FALSE(report.ok);
    EXPECT_EQ(report.first_bad_sequence.value, kVictim) << report.problem;
    {
      RawDatabase raw(path());
      raw.PutEvent(kVictim, original);
    }
  }
  EXPECT_TRUE(VerifyFrom(std::nullopt).ok);
}

TEST_F(TamperTest, DeletedEventIsNamed) {
  {
    RawDatabase raw(path());
    raw.SplitPacks();
    raw.Delete(raw.events(), EventKey(150));
  }
  VerifyReport report = VerifyFrom(std::nullopt);
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_sequence.value, 150u) << report.problem;
}

TEST_F(TamperTest, SwappedEventsAreNamedAtTheFirst) {
  {
    RawDatabase raw(path());
    raw.SplitPacks();
    std::string first = raw.GetEvent(150);
    std::string second = raw.GetEvent(151);
    raw.PutEvent(150, second);
    raw.PutEvent(151, first);
  }
  VerifyReport report = VerifyFrom(std::nullopt);
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_sequence.value, 150u) << report.problem;
}

// Events are appended 50 to a batch, so each group commit is one pack of 50: 101 to 150 holds
// both victims below.
TEST_F(TamperTest, EventDeletedFromInsideItsPackIsNamed) {
  constexpr std::uint64_t kVictim = 137;
  {
    RawDatabase raw(path());
    auto packs = raw.Packs();
    auto holder = packs.lower_bound(kVictim);
    ASSERT_NE(holder, packs.end());
    Pack& pack = holder->second;
    ASSERT_LT(pack.first, kVictim) << "the victim should sit inside its pack";
    // A consistent pack one event shorter: every event after the victim moves up one place.
    pack.records.erase(pack.records.begin() + (kVictim - pack.first));
    raw.Delete(raw.events(), EventKey(holder->first));
    raw.Put(raw.events(), EventKey(holder->first - 1), EncodePack(pack.first, pack.records));
  }
  VerifyReport report = VerifyFrom(std::nullopt);
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_sequence.value, kVictim) << report.problem;
}

TEST_F(TamperTest, MalformedPackIsNamedAtItsFirstEvent) {
  std::uint64_t first = 0;
  {
    RawDatabase raw(path());
    auto packs = raw.Packs();
    auto holder = packs.lower_bound(137);
    ASSERT_NE(holder, packs.end());
    first = holder->second.first;
    std::string stored = raw.Get(raw.events(), EventKey(holder->first));
    stored[stored.size() - 1] = static_cast<char>(stored[stored.size() - 1] ^ 0x01);  // The count.
    raw.Put(raw.events(), EventKey(holder->first), stored);
  }
  VerifyReport report = VerifyFrom(std::nullopt);
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_sequence.value, first) << report.problem;
  EXPECT_THAT(report.problem, ::testing::HasSubstr("malformed"));
}

TEST_F(TamperTest, AnotherStorageFormatIsRefusedAndLeftAlone) {
  {
    RawDatabase raw(path());
    raw.Put(raw.metadata(), "format_version", std::string("\0\0\0\1", 4));
  }
  ExpectOpenRefused("format version 1");
  RawDatabase raw(path());
  EXPECT_EQ(raw.Packs().rbegin()->first, kEvents) << "nothing may be changed";
}

TEST_F(TamperTest, MissingLastEventIsRefusedOnOpen) {
  {
    RawDatabase raw(path());
    raw.SplitPacks();
    raw.Delete(raw.events(), EventKey(kEvents));
  }
  ExpectOpenRefused(fmt::format("sequence {}", kEvents));
}

/// Rewrites the head to name the event `count` before the last, leaving the events after it.
void RewindHead(RawDatabase& raw, std::uint64_t count) {
  const std::string last = raw.GetEvent(kEvents - count);
  raw.Put(raw.metadata(), "head",
          EventKey(kEvents - count) + last.substr(last.size() - kHashBytes));
}

/// Cuts the last `count` events off and rewrites the head to the new last event.
void TruncateTail(RawDatabase& raw, std::uint64_t count) {
  for (std::uint64_t sequence = kEvents - count + 1; sequence <= kEvents; ++sequence) {
    raw.Delete(raw.events(), EventKey(sequence));
  }
  RewindHead(raw, count);
}

constexpr std::uint64_t kCut = 20;

/// What a consistent cut must also remove: the log keeps state derived from, or vouching
/// for, the events past the new head.
enum class Leftover { kNone, kIndex, kAcknowledgedHeadMarker };

class TruncationTest : public TamperTest {
 protected:
  void Truncate(Leftover leftover) {
    {
      RawDatabase raw(path());
      raw.SplitPacks();
      TruncateTail(raw, kCut);
      // The stream and idempotency indexes cover the cut events: the log rebuilds them from
      // the events on open when they are gone.
      if (leftover != Leftover::kIndex) {
        raw.Clear(raw.streams());
        raw.Clear(raw.idempotency());
      }
    }
    // The marker file names the last head the log acknowledged (the log's head_marker.h).
    if (leftover != Leftover::kAcknowledgedHeadMarker) {
      std::filesystem::remove(std::filesystem::path(path()) / "ACKNOWLEDGED_HEAD");
    }
  }
};

TEST_F(TruncationTest, ConsistentCutIsCaughtByAnAuditedPoint) {
  Truncate(Leftover::kNone);
  const std::uint64_t new_head = kEvents - kCut;
  VerifyReport from_genesis = VerifyFrom(std::nullopt);
  EXPECT_TRUE(from_genesis.ok) << "a consistent cut is invisible to the chain alone";
  EXPECT_EQ(from_genesis.last_good.sequence.value, new_head);

  for (const ChainPoint& audited : {head_, audited_[1]}) {
    SCOPED_TRACE(fmt::format("audited at {}", audited.sequence.value));
    VerifyReport report = VerifyFrom(audited);
    EXPECT_FALSE(report.ok);
    EXPECT_EQ(report.first_bad_sequence.value, new_head + 1) << report.problem;
  }
}

TEST_F(TruncationTest, CutLeavingTheIndexIsRefusedOnOpen) {
  Truncate(Leftover::kIndex);
  ExpectOpenRefused(std::to_string(kEvents));
}

TEST_F(TruncationTest, CutLeavingTheAcknowledgedHeadMarkerIsRefusedOnOpen) {
  Truncate(Leftover::kAcknowledgedHeadMarker);
  ExpectOpenRefused(std::to_string(kEvents));
}

// A group commit is written in pieces and only its last piece carries the head, so events past
// the stored head are those of a group that never completed: never acknowledged, dropped on
// open. Only when they follow the head and nothing vouches for them.
class IncompleteGroupTest : public TamperTest {
 protected:
  static constexpr std::uint64_t kUnfinished = 20;
  static constexpr std::uint64_t kHead = kEvents - kUnfinished;

  /// Leaves the last kUnfinished events past the head, as a crash between pieces would.
  /// With `split_packs`, as whole packs would be (each event its own pack); without, the head
  /// falls inside the last pack.
  void LeaveEventsPastTheHead(bool keep_marker, bool split_packs = true) {
    {
      RawDatabase raw(path());
      if (split_packs) raw.SplitPacks();
      RewindHead(raw, kUnfinished);
      // Only durable events are ever indexed: an index past the head is damage of its own.
      raw.Clear(raw.streams());
      raw.Clear(raw.idempotency());
    }
    if (!keep_marker) std::filesystem::remove(std::filesystem::path(path()) / "ACKNOWLEDGED_HEAD");
  }
};

TEST_F(IncompleteGroupTest, EventsPastTheHeadAreDroppedOnOpen) {
  LeaveEventsPastTheHead(/*keep_marker=*/false);
  {
    auto opened = OpenLog();
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    Log& log = **opened;
    EXPECT_EQ(log.Head().sequence.value, kHead);
    auto events = log.ReadRange(SequenceNumber{kHead}, 100);
    ASSERT_TRUE(events.ok());
    EXPECT_EQ(events->size(), 1u);
    auto report = log.Verify(std::nullopt);
    ASSERT_TRUE(report.ok());
    EXPECT_TRUE(report->ok) << report->problem;
    EXPECT_EQ(report->events_checked, kHead);

    // The dropped events' idempotency keys were never acknowledged: they are free again, and
    // the next event takes the first dropped sequence.
    AppendRequest request;
    request.event.stream = "account-1";
    request.event.payload = "after the incomplete group";
    request.idempotency_scope = "platform-1";
    request.idempotency_key = fmt::format("key-{}", kEvents);
    auto results = log.Append({request});
    ASSERT_TRUE(results.ok()) << results.status().ToString();
    EXPECT_EQ(results->front().code, AppendCode::kAppended);
    EXPECT_EQ(results->front().first_sequence.value, kHead + 1);
  }
  VerifyReport reopened = VerifyFrom(std::nullopt);
  EXPECT_TRUE(reopened.ok) << reopened.problem;
  EXPECT_EQ(reopened.events_checked, kHead + 1);
}

TEST_F(IncompleteGroupTest, EventsPastTheHeadAreRefusedWhileTheMarkerVouchesForThem) {
  LeaveEventsPastTheHead(/*keep_marker=*/true);
  ExpectOpenRefused("acknowledged");
  // Nothing was dropped: the events are still there for whoever investigates.
  RawDatabase raw(path());
  EXPECT_FALSE(raw.Get(raw.events(), EventKey(kEvents)).empty());
}

TEST_F(IncompleteGroupTest, EventsPastTheHeadThatDoNotFollowItAreRefused) {
  LeaveEventsPastTheHead(/*keep_marker=*/false);
  {
    RawDatabase raw(path());
    raw.Delete(raw.events(), EventKey(kHead + 1));
  }
  ExpectOpenRefused("do not follow");
}

TEST_F(IncompleteGroupTest, AHeadInsideAPackIsRefused) {
  // Pieces are whole packs, so the head ends one; a head inside a pack is damage, and dropping
  // the pack would take events up to the head with it.
  LeaveEventsPastTheHead(/*keep_marker=*/false, /*split_packs=*/false);
  ExpectOpenRefused("do not follow");
  RawDatabase raw(path());
  EXPECT_EQ(raw.Packs().rbegin()->first, kEvents) << "nothing may be dropped";
}

}  // namespace
}  // namespace ledger::testing
