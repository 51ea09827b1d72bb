// Append-only view indexes (operations, journal, balance history, activity, order and
// withdrawal lists) stored as pages of entries rather than one row per entry.
//
//   page key   := prefix ‖ be64:first sequence
//   page value := varint:count ‖ count × (varint:sequence − previous sequence ‖ text:entry)
//                 (the first entry's delta is from the page's first sequence: 0)
//
// Entries of one prefix arrive in increasing sequence order. A page takes entries until it
// holds limits::kViewPageEntriesMax of them or about limits::kViewPageBytesMax bytes; the
// next entry starts a new page. Where pages begin thus depends on the entries alone, never
// on how events were batched: rebuilds and crash-resumes give the same rows. One page per
// RocksDB row cuts the rows a rebuild writes several times over, and with them the
// memtable's and compaction's work.
//
// Thread-safety: a PageWriter belongs to its projection (applier thread); cursors to one
// query.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ledger/engine/status.h"
#include "ledger/engine/types.h"
#include "projection.h"
#include "row_batch.h"
#include "store.h"

namespace ledger::projections::internal {

class PageWriter {
 public:
  PageWriter(ViewStore& store, ProjectionId family);

  /// Appends an entry under `prefix`. REQUIRES: `sequence` is above every earlier one there.
  Status Append(std::string_view prefix, SequenceNumber sequence, std::string_view entry,
                RowBatch* batch);
  /// Writes the open pages changed since the last flush.
  void Flush(RowBatch* batch);
  void Committed() { pages_.Committed(); }
  void Reset() { pages_.Clear(); }

 private:
  struct OpenPage {
    SequenceNumber first;
    SequenceNumber last;
    std::uint64_t count = 0;
    /// The entries, encoded as in the page value after the count.
    std::string body;
    bool full() const;
  };
  Result<bool> LoadLast(std::string_view prefix, OpenPage* page) const;
  void Write(std::string_view prefix, const OpenPage& page, RowBatch* batch) const;

  ViewStore& store_;
  ProjectionId family_;
  RowCache<OpenPage> pages_;
};

/// Entries in sequence order, from rows (one per entry, keyed prefix ‖ be64:sequence) or
/// from pages, restricted to [first, last], oldest or newest first.
class EntryCursor {
 public:
  virtual ~EntryCursor() = default;
  virtual bool Valid() const = 0;
  virtual SequenceNumber sequence() const = 0;
  virtual std::string_view entry() const = 0;
  virtual void Next() = 0;
  virtual Status status() const = 0;
};

std::unique_ptr<EntryCursor> PageCursor(const ReadView& view, ProjectionId family,
                                        std::string prefix, SequenceNumber first,
                                        SequenceNumber last, bool newest_first);
std::unique_ptr<EntryCursor> RowCursor(const ReadView& view, ProjectionId family,
                                       const std::string& prefix, SequenceNumber first,
                                       SequenceNumber last, bool newest_first);

/// The last entry at or before `sequence` under a paged prefix; nullopt when none is.
Result<std::optional<std::pair<SequenceNumber, std::string>>> LastEntryAtOrBefore(
    const ReadView& view, ProjectionId family, const std::string& prefix, SequenceNumber sequence);

}  // namespace ledger::projections::internal
