// Time → sequence: one row per distinct recorded time ('t' rows, keys.h), naming the first
// and last sequence recorded at that time. The log records one time per group commit and
// its times never decrease along the log (docs/log.md), so these rows are few, arrive in
// key order, and answer "which sequences were recorded in [from, to)" and "the last event
// at or before t" with one seek each. Payments and accounting each keep their own, so each
// projection stays a function of the log alone.
// Thread-safety: a TimeIndexWriter belongs to its projection (applier thread); the lookups
// are pure reads of a ReadView.
#pragma once

#include <cstdint>
#include <optional>

#include "ledger/engine/status.h"
#include "ledger/engine/types.h"
#include "row_batch.h"
#include "rows.h"
#include "store.h"

namespace ledger::projections::internal {

class TimeIndexWriter {
 public:
  TimeIndexWriter(ViewStore& store, ProjectionId family)
      : store_(store), id_(family), family_(store.family(family)) {}

  Status Record(std::int64_t time_us, SequenceNumber sequence, RowBatch* batch);
  /// Writes the row of the latest time if it changed since the last flush.
  void Flush(RowBatch* batch);
  void Reset();

 private:
  void PutCurrent(RowBatch* batch);

  ViewStore& store_;
  ProjectionId id_;
  rocksdb::ColumnFamilyHandle* family_;
  bool loaded_ = false;
  bool dirty_ = false;
  std::optional<std::int64_t> time_us_;
  TimeRow row_;
};

/// Sequences [first, last]; empty when first > last.
struct SequenceRange {
  SequenceNumber first;
  SequenceNumber last;
  bool empty() const { return first > last; }
};

/// The sequences recorded in [from_us, to_us) (either bound optional) among those applied
/// through `applied`.
Result<SequenceRange> SequencesRecordedIn(const ReadView& view, ProjectionId family,
                                          std::optional<std::int64_t> from_us,
                                          std::optional<std::int64_t> to_us,
                                          SequenceNumber applied);

/// The last sequence recorded at or before `time_us` (0: none).
Result<SequenceNumber> LastSequenceAtOrBefore(const ReadView& view, ProjectionId family,
                                              std::int64_t time_us);

}  // namespace ledger::projections::internal
