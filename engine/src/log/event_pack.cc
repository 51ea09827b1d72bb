#include "log/event_pack.h"

#include <fmt/format.h>

#include "log/event_record.h"
#include "log/keys.h"
#include "log/log_store.h"

namespace ledger::log {
namespace {

constexpr std::size_t kTrailerBytes = 8 + 4;  // be64(first_sequence) be32(count)

}  // namespace

void PackBuilder::Add(SequenceNumber sequence, std::string_view envelope,
                      std::size_t previous_hash_offset) {
  if (places_.empty()) {
    first_ = sequence;
    records_.reserve(kPackRecordBytesMax + kPackRecordBytesMax / 4);
  }
  const std::size_t begin = records_.size();
  records_.append(envelope);
  records_.append(kHashBytes, '\0');  // LinkRecord writes the hash.
  places_.push_back({static_cast<std::uint32_t>(records_.size()),
                     static_cast<std::uint32_t>(begin + previous_hash_offset)});
}

SealedPack PackBuilder::Seal() {
  SealedPack pack;
  pack.last_ = SequenceNumber{first_.value + places_.size() - 1};
  PutBigEndian64(&pack.key_, pack.last_.value);
  for (const SealedPack::RecordPlace& place : places_) PutBigEndian32(&records_, place.end);
  PutBigEndian64(&records_, first_.value);
  PutBigEndian32(&records_, static_cast<std::uint32_t>(places_.size()));
  pack.value_ = std::move(records_);
  pack.places_ = std::move(places_);
  records_.clear();  // Moved-from strings and vectors are valid; make them empty as well.
  places_.clear();
  return pack;
}

void SealedPack::Link(Hash256* chain) {
  std::uint32_t begin = 0;
  for (const RecordPlace& place : places_) {
    LinkRecord(value_.data() + begin, place.end - begin, place.previous_hash_at - begin, chain);
    begin = place.end;
  }
}

rocksdb::Status SealedPack::PutInto(rocksdb::WriteBatch* batch,
                                    rocksdb::ColumnFamilyHandle* events) const {
  return batch->Put(events, key_, value_);
}

std::optional<std::string> PackView::Parse(std::string_view key, std::string_view value,
                                           PackView* out) {
  SequenceNumber last;
  if (!ParseEventKey(key, &last)) return "an events key is not 8 bytes";
  if (value.size() < kTrailerBytes) return "the pack is shorter than its trailer";
  const char* trailer = value.data() + value.size() - kTrailerBytes;
  const std::uint64_t first = GetBigEndian64(trailer);
  const std::uint32_t count = GetBigEndian32(trailer + 8);
  if (count == 0) return "the pack holds no event";
  if (first == 0 || first + (count - 1) < first || first + (count - 1) != last.value) {
    return fmt::format("the pack says it holds events {} to {} but is stored under {}", first,
                       first + (count - 1), last.value);
  }
  const std::size_t ends_bytes = std::size_t{4} * count;
  if (value.size() - kTrailerBytes < ends_bytes) return "the pack is shorter than its offsets";
  const std::size_t records_bytes = value.size() - kTrailerBytes - ends_bytes;
  const char* ends = value.data() + records_bytes;
  std::uint32_t previous = 0;
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::uint32_t end = GetBigEndian32(ends + std::size_t{4} * i);
    if (end < previous || end > records_bytes) return "the pack's record offsets are out of order";
    previous = end;
  }
  if (previous != records_bytes) return "the pack's records do not fill it";
  out->value_ = value;
  out->record_ends_ = ends;
  out->first_ = SequenceNumber{first};
  out->count_ = count;
  return std::nullopt;
}

std::string_view PackView::record(std::size_t index) const {
  const std::uint32_t begin = index == 0 ? 0 : GetBigEndian32(record_ends_ + 4 * (index - 1));
  const std::uint32_t end = GetBigEndian32(record_ends_ + 4 * index);
  return value_.substr(begin, end - begin);
}

EventCursor::EventCursor(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* events)
    : it_(db->NewIterator(rocksdb::ReadOptions(), events)) {}

bool EventCursor::LoadPack() {
  valid_ = false;
  if (!it_->Valid()) {
    if (!it_->status().ok()) status_ = FromRocks(it_->status(), "reading the log's events");
    return false;
  }
  if (auto problem =
          PackView::Parse(it_->key().ToStringView(), it_->value().ToStringView(), &pack_)) {
    SequenceNumber last;
    status_ = ParseEventKey(it_->key().ToStringView(), &last)
                  ? Status::Corruption(fmt::format("the pack of events stored under sequence {} "
                                                   "is malformed: {}",
                                                   last.value, *problem))
                  : Status::Corruption(*problem);
    return false;
  }
  valid_ = true;
  return true;
}

void EventCursor::Seek(SequenceNumber sequence) {
  if (valid_ && sequence >= pack_.first() && sequence <= pack_.last()) {
    index_ = sequence.value - pack_.first().value;
    return;
  }
  it_->Seek(EventKey(sequence));
  if (!LoadPack()) return;
  index_ = sequence > pack_.first() ? sequence.value - pack_.first().value : 0;
}

void EventCursor::SeekToLast() {
  it_->SeekToLast();
  if (LoadPack()) index_ = pack_.count() - 1;
}

void EventCursor::Next() {
  if (++index_ < pack_.count()) return;
  it_->Next();
  index_ = 0;
  LoadPack();
}

}  // namespace ledger::log
