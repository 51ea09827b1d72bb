#include "row_batch.h"

#include <algorithm>

namespace ledger::projections::internal {

void RowBatch::Add(ProjectionId family, std::string_view key, std::string_view value,
                   bool is_delete) {
  rows_.push_back(Row{static_cast<std::uint32_t>(arena_.size()),
                      static_cast<std::uint32_t>(key.size()),
                      static_cast<std::uint32_t>(value.size()), family, is_delete});
  arena_.append(key);
  arena_.append(value);
}

Status RowBatch::MoveTo(const ViewStore& store, rocksdb::WriteBatch* batch) {
  std::stable_sort(rows_.begin(), rows_.end(), [this](const Row& a, const Row& b) {
    if (a.family != b.family) return a.family < b.family;
    return KeyOf(a) < KeyOf(b);
  });
  for (const Row& row : rows_) {
    rocksdb::ColumnFamilyHandle* family = store.family(row.family);
    const rocksdb::Status status = row.is_delete ? batch->Delete(family, KeyOf(row))
                                                 : batch->Put(family, KeyOf(row), ValueOf(row));
    if (!status.ok()) return FromRocks(status, "staging the views' rows");
  }
  Clear();
  return Status::Ok();
}

void RowBatch::Clear() {
  arena_.clear();
  rows_.clear();
}

}  // namespace ledger::projections::internal
