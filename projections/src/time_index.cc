#include "time_index.h"

#include "keys.h"

namespace ledger::projections::internal {

Status TimeIndexWriter::Record(std::int64_t time_us, SequenceNumber sequence, RowBatch* batch) {
  if (!loaded_) {
    // The first event after open may share its time with the last one applied before.
    loaded_ = true;
    std::string value;
    rocksdb::Status status =
        store_.db()->Get(rocksdb::ReadOptions(), family_, keys::Time(time_us), &value);
    if (status.ok()) {
      if (!DecodeTime(value, &row_)) return Status::Corruption("a time index row is malformed");
      time_us_ = time_us;
    } else if (!status.IsNotFound()) {
      return FromRocks(status, "reading the time index");
    }
  }
  if (time_us_ && *time_us_ == time_us) {
    row_.last = sequence;
    dirty_ = true;
    return Status::Ok();
  }
  if (time_us_ && dirty_) PutCurrent(batch);
  time_us_ = time_us;
  row_ = TimeRow{sequence, sequence};
  dirty_ = true;
  return Status::Ok();
}

void TimeIndexWriter::Flush(RowBatch* batch) {
  if (time_us_ && dirty_) PutCurrent(batch);
  dirty_ = false;
}

void TimeIndexWriter::Reset() {
  loaded_ = false;
  dirty_ = false;
  time_us_.reset();
}

void TimeIndexWriter::PutCurrent(RowBatch* batch) {
  batch->Put(id_, keys::Time(*time_us_), EncodeTime(row_));
}

Result<SequenceRange> SequencesRecordedIn(const ReadView& view, ProjectionId family,
                                          std::optional<std::int64_t> from_us,
                                          std::optional<std::int64_t> to_us,
                                          SequenceNumber applied) {
  SequenceRange range{SequenceNumber{1}, applied};
  const std::string prefix(1, keys::kTime);
  RowIterator it = RowIterator::OverPrefix(view, family, prefix);
  TimeRow row;
  if (from_us) {
    it.Seek(keys::Time(*from_us));
    if (!it.Valid()) {
      if (!it.status().ok()) return it.status();
      return SequenceRange{applied.Next(), applied};
    }
    if (!DecodeTime(it.value(), &row)) return Status::Corruption("a time index row is malformed");
    range.first = row.first;
  }
  if (to_us) {
    if (*to_us == INT64_MIN) return SequenceRange{SequenceNumber{1}, SequenceNumber{0}};
    it.SeekForPrev(keys::Time(*to_us - 1));
    if (!it.Valid()) {
      if (!it.status().ok()) return it.status();
      return SequenceRange{SequenceNumber{1}, SequenceNumber{0}};
    }
    if (!DecodeTime(it.value(), &row)) return Status::Corruption("a time index row is malformed");
    range.last = std::min(row.last, applied);
  }
  return range;
}

Result<SequenceNumber> LastSequenceAtOrBefore(const ReadView& view, ProjectionId family,
                                              std::int64_t time_us) {
  RowIterator it = RowIterator::OverPrefix(view, family, std::string(1, keys::kTime));
  it.SeekForPrev(keys::Time(time_us));
  if (!it.Valid()) {
    if (!it.status().ok()) return it.status();
    return SequenceNumber{0};
  }
  TimeRow row;
  if (!DecodeTime(it.value(), &row)) return Status::Corruption("a time index row is malformed");
  return row.last;
}

}  // namespace ledger::projections::internal
