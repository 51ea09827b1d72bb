// A projection: a pure function of the log that keeps rows in its column family.
//
// The projector calls Apply(event, batch) for each event in log order, then Flush(batch)
// once per batch, writes the batch together with the projection's checkpoint, and calls
// Committed(). Rows a projection must read back (an order it updates, a running balance)
// live in a RowCache between batches, so a batch reads each at most once from RocksDB and
// writes it once; rows it never reads back go straight into the batch. After a failed write
// the projector calls Reset() and the caches reload from the database.
//
// A projection's rows depend only on the events (never on how they were batched, when they
// were applied, or what was cached): the canonical digest relies on it.
// Thread-safety: used by the projector's applier thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ledger/engine/domain/events.h"
#include "ledger/engine/status.h"
#include "ledger/engine/types.h"
#include "ledger/projections/types.h"
#include "row_batch.h"
#include "store.h"

namespace ledger::projections::internal {

/// One event as the projections see it: the envelope's fields and the decoded payload.
struct EventContext {
  SequenceNumber sequence;
  std::int64_t recorded_at_us = 0;
  schema::EventType type = schema::EventType::Opaque;
  schema::Environment environment = schema::Environment::Unspecified;
  std::string_view organization;
  std::string_view platform;
  std::string_view actor;
  std::string_view stream;
  /// nullptr for an opaque event (not a domain event).
  const domain::Event* event = nullptr;
};

class Projection {
 public:
  Projection(ViewStore& store, ProjectionId id)
      : store_(store), id_(id), family_(store.family(id)) {}
  virtual ~Projection() = default;
  Projection(const Projection&) = delete;
  Projection& operator=(const Projection&) = delete;

  ProjectionId id() const { return id_; }
  /// Bumped whenever the rows change shape or meaning: a stored checkpoint with another
  /// version makes the projector rebuild the projection on open.
  virtual std::uint32_t layout_version() const = 0;
  virtual Status Apply(const EventContext& event, RowBatch* batch) = 0;
  virtual Status Flush(RowBatch* /*batch*/) { return Status::Ok(); }
  virtual void Committed() {}
  virtual void Reset() {}

 protected:
  /// The row as last written (false when there is none).
  Result<bool> Load(std::string_view key, std::string* value) const;
  /// The same, decoded with decode(bytes, row) -> bool.
  template <typename Row, typename Decode>
  Result<bool> LoadRow(std::string_view key, Row* row, Decode&& decode) const {
    std::string value;
    Result<bool> found = Load(key, &value);
    if (!found.ok() || !*found) return found;
    if (!decode(value, row)) return Corrupt(key);
    return true;
  }
  Status Corrupt(std::string_view key) const;
  void Put(RowBatch* batch, std::string_view key, std::string_view value) const {
    batch->Put(id_, key, value);
  }
  void Delete(RowBatch* batch, std::string_view key) const { batch->Delete(id_, key); }

  ViewStore& store_;

 private:
  ProjectionId id_;
  rocksdb::ColumnFamilyHandle* family_;
};

std::unique_ptr<Projection> MakeDirectoryProjection(ViewStore& store);
std::unique_ptr<Projection> MakePaymentsProjection(ViewStore& store);
std::unique_ptr<Projection> MakeAccountingProjection(ViewStore& store);
std::unique_ptr<Projection> MakeAuditProjection(ViewStore& store);

struct TransparentHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const {
    return std::hash<std::string_view>{}(text);
  }
};

/// Rows read back across events, with the ones the current batch changed. Bounded: after a
/// commit, a full cache becomes the "previous" generation, and rows not used again before
/// the next turn are dropped (the database has them).
template <typename Row>
class RowCache {
 public:
  struct Entry {
    Row row;
    bool dirty = false;
  };
  using Slot = std::pair<const std::string, Entry>;

  explicit RowCache(std::size_t capacity) : capacity_(capacity) {}

  /// The cached row, or the one load(key, &row) -> Result<bool> finds; nullptr when
  /// neither has it.
  template <typename Load>
  Result<Slot*> Find(std::string_view key, Load&& load) {
    if (auto it = current_.find(key); it != current_.end()) return &*it;
    if (auto it = previous_.find(key); it != previous_.end()) {
      // Node handles keep the element's address: the slot stays valid.
      auto inserted = current_.insert(previous_.extract(it));
      return &*inserted.position;
    }
    Row row;
    Result<bool> found = load(key, &row);
    if (!found.ok()) return found.status();
    if (!*found) return static_cast<Slot*>(nullptr);
    return &*current_.emplace(std::string(key), Entry{std::move(row), false}).first;
  }

  /// Adds (or replaces) a row, dirty.
  Slot* Insert(std::string key, Row row) {
    // A stale copy in the previous generation is harmless: Find looks in the current one
    // first, and the previous generation is dropped at the next turn.
    auto it = current_.find(key);
    if (it == current_.end()) {
      it = current_.emplace(std::move(key), Entry{std::move(row), false}).first;
    } else {
      it->second.row = std::move(row);
    }
    MarkDirty(&*it);
    return &*it;
  }

  void MarkDirty(Slot* slot) {
    if (slot->second.dirty) return;
    slot->second.dirty = true;
    dirty_.push_back(slot);
  }

  /// Calls write(key, row) for each row changed since the last commit.
  template <typename Write>
  void ForEachDirty(Write&& write) {
    for (Slot* slot : dirty_) write(slot->first, slot->second.row);
  }

  void Committed() {
    for (Slot* slot : dirty_) slot->second.dirty = false;
    dirty_.clear();
    if (current_.size() >= capacity_ / 2) {
      previous_.swap(current_);
      current_.clear();
      // Sized once for a generation's worth of rows: no rehash while it fills.
      current_.reserve(previous_.size());
    }
  }

  void Clear() {
    dirty_.clear();
    current_.clear();
    previous_.clear();
  }

 private:
  using Map = std::unordered_map<std::string, Entry, TransparentHash, std::equal_to<>>;
  std::size_t capacity_;
  Map current_;
  Map previous_;
  std::vector<Slot*> dirty_;
};

}  // namespace ledger::projections::internal
