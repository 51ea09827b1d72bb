#include "store.h"

#include <fmt/format.h>
#include <rocksdb/cache.h>
#include <rocksdb/convenience.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "encoding.h"
#include "insert_hint.h"
#include "keys.h"
#include "ledger/engine/storage_failure_policy.h"
#include "ledger/limits.h"

namespace ledger::projections::internal {
namespace {

constexpr std::size_t kHashBytes = 32;
constexpr std::size_t kCheckpointBytes = 8 + kHashBytes + 4;

rocksdb::ColumnFamilyOptions FamilyOptions(const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions options;
  // Large memtables: a rebuild writes hundreds of megabytes of rows in log order, and
  // fewer, larger flushes keep compaction from competing with the projector for the cores.
  options.write_buffer_size = 64u << 20;
  options.max_write_buffer_number = 4;
  options.target_file_size_base = 64u << 20;
  options.max_bytes_for_level_base = 512u << 20;
  options.level_compaction_dynamic_level_bytes = true;
  // Rows are written once and rewritten by compaction a few times: compressing the upper
  // levels costs a rebuild more CPU than it saves disk. Only the bottom level, where most
  // of the data ends up, is compressed.
  options.compression = rocksdb::kNoCompression;
  const auto supported = rocksdb::GetSupportedCompressions();
  if (std::find(supported.begin(), supported.end(), rocksdb::kLZ4Compression) != supported.end()) {
    options.bottommost_compression = rocksdb::kLZ4Compression;
  }
  options.memtable_insert_with_hint_prefix_extractor = NewInsertHintPrefix();
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  // Point reads (an order, a balance, a summary) mostly miss in most files.
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return options;
}

std::string FamilyName(ProjectionId id) { return std::string(ProjectionName(id)); }

}  // namespace

Status FromRocks(const rocksdb::Status& status, std::string_view doing) {
  if (status.ok()) return Status::Ok();
  std::string message = fmt::format("{}: {}", doing, status.ToString());
  if (status.IsNotFound()) return Status::NotFound(std::move(message));
  if (status.IsCorruption()) return Status::Corruption(std::move(message));
  return Status::IoError(std::move(message));
}

Result<std::unique_ptr<ViewStore>> ViewStore::Open(const std::string& path,
                                                   std::size_t block_cache_bytes,
                                                   std::shared_ptr<spdlog::logger> logger) {
  std::error_code error;
  std::filesystem::create_directories(path, error);
  if (error) {
    return Status::IoError(fmt::format("creating {}: {}", path, error.message()));
  }
  rocksdb::Options options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  options.max_background_jobs = 2;
  // One writer thread: inserts need no synchronization, and only this path uses the
  // memtables' insert hints (insert_hint.h).
  options.allow_concurrent_memtable_write = false;
  ApplyStorageFailurePolicy(&options, std::move(logger));
  auto cache = rocksdb::NewLRUCache(block_cache_bytes);
  const rocksdb::ColumnFamilyOptions family_options = FamilyOptions(cache);

  std::vector<std::string> existing;
  // A missing database lists nothing; it is created below.
  (void)rocksdb::DB::ListColumnFamilies(options, path, &existing);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, family_options);
  for (ProjectionId id : kAllProjections) descriptors.emplace_back(FamilyName(id), family_options);
  for (const std::string& name : existing) {
    const bool known = std::any_of(descriptors.begin(), descriptors.end(),
                                   [&](const auto& d) { return d.name == name; });
    if (!known) descriptors.emplace_back(name, family_options);
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  Status status = FromRocks(rocksdb::DB::Open(options, path, descriptors, &handles, &db),
                            fmt::format("opening the views database {}", path));
  if (!status.ok()) return status;
  std::unique_ptr<ViewStore> store(new ViewStore());
  store->db_.reset(db);
  store->default_family_ = handles[0];
  for (std::size_t i = 0; i < kProjectionCount; ++i) store->families_[i] = handles[i + 1];
  store->other_families_.assign(handles.begin() + 1 + kProjectionCount, handles.end());
  for (ProjectionId id : kAllProjections) {
    auto checkpoint = store->ReadCheckpoint(id);
    if (!checkpoint.ok()) return checkpoint.status();
    store->published_[static_cast<std::size_t>(id)] = checkpoint->point.sequence;
  }
  return store;
}

ViewStore::~ViewStore() {
  if (!db_) return;
  for (auto* handle : families_) (void)db_->DestroyColumnFamilyHandle(handle);
  for (auto* handle : other_families_) (void)db_->DestroyColumnFamilyHandle(handle);
  (void)db_->DestroyColumnFamilyHandle(default_family_);
  (void)db_->Close();
}

Result<Checkpoint> ViewStore::ReadCheckpoint(ProjectionId id,
                                             const rocksdb::Snapshot* snapshot) const {
  rocksdb::ReadOptions read;
  read.snapshot = snapshot;
  std::string value;
  rocksdb::Status status = db_->Get(read, default_family_, keys::Checkpoint(id), &value);
  if (status.IsNotFound()) return Checkpoint{};
  if (!status.ok()) return FromRocks(status, "reading a checkpoint");
  if (value.size() != kCheckpointBytes) {
    return Status::Corruption(
        fmt::format("the {} checkpoint holds {} bytes", ProjectionName(id), value.size()));
  }
  Checkpoint checkpoint;
  checkpoint.point.sequence = SequenceNumber{GetBe64(value.data())};
  std::memcpy(checkpoint.point.hash.data(), value.data() + 8, kHashBytes);
  checkpoint.layout_version = GetBe32(value.data() + 8 + kHashBytes);
  return checkpoint;
}

void ViewStore::PutCheckpoint(rocksdb::WriteBatch* batch, ProjectionId id,
                              const Checkpoint& checkpoint) const {
  std::string value;
  value.reserve(kCheckpointBytes);
  PutBe64(&value, checkpoint.point.sequence.value);
  value.append(reinterpret_cast<const char*>(checkpoint.point.hash.data()), kHashBytes);
  PutBe32(&value, checkpoint.layout_version);
  (void)batch->Put(default_family_, keys::Checkpoint(id), value);
}

Status ViewStore::Write(rocksdb::WriteBatch* batch) {
  rocksdb::WriteOptions write;
  write.sync = false;
  return FromRocks(db_->Write(write, batch), "writing the views");
}

void ViewStore::Publish(ProjectionId id, SequenceNumber sequence) {
  {
    std::lock_guard lock(mutex_);
    published_[static_cast<std::size_t>(id)] = sequence;
  }
  published_changed_.notify_all();
}

SequenceNumber ViewStore::Published(ProjectionId id) const {
  std::lock_guard lock(mutex_);
  return published_[static_cast<std::size_t>(id)];
}

bool ViewStore::WaitFor(std::span<const ProjectionId> ids, SequenceNumber sequence,
                        std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return published_changed_.wait_for(lock, timeout, [&] {
    return std::all_of(ids.begin(), ids.end(), [&](ProjectionId id) {
      return published_[static_cast<std::size_t>(id)] >= sequence;
    });
  });
}

Status WaitForQuery(const ViewStore& store, std::span<const ProjectionId> ids,
                    SequenceNumber min_sequence, std::chrono::milliseconds wait) {
  if (min_sequence.value == 0) return Status::Ok();
  const auto bounded = std::clamp(wait, std::chrono::milliseconds(0),
                                  std::chrono::milliseconds(limits::kQueryWaitMsMax));
  if (store.WaitFor(ids, min_sequence, bounded)) return Status::Ok();
  std::string behind;
  for (ProjectionId id : ids) {
    if (store.Published(id) < min_sequence) {
      behind += fmt::format("{}{} at {}", behind.empty() ? "" : ", ", ProjectionName(id),
                            store.Published(id).value);
    }
  }
  return Status(StatusCode::kTimedOut,
                fmt::format("the views have not reached sequence {} in time ({})",
                            min_sequence.value, behind));
}

std::string PrefixEnd(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty()) {
    auto& last = reinterpret_cast<unsigned char&>(end.back());
    if (last != 0xff) {
      ++last;
      return end;
    }
    end.pop_back();
  }
  return end;
}

RowIterator::RowIterator(const ReadView& view, ProjectionId family, std::string lower,
                         std::string upper)
    : lower_(std::make_unique<std::string>(std::move(lower))),
      upper_(std::make_unique<std::string>(std::move(upper))) {
  rocksdb::ReadOptions read;
  read.snapshot = view.snapshot();
  lower_slice_ = std::make_unique<rocksdb::Slice>(*lower_);
  read.iterate_lower_bound = lower_slice_.get();
  if (!upper_->empty()) {
    upper_slice_ = std::make_unique<rocksdb::Slice>(*upper_);
    read.iterate_upper_bound = upper_slice_.get();
  }
  iterator_.reset(view.store().db()->NewIterator(read, view.store().family(family)));
}

RowIterator RowIterator::OverPrefix(const ReadView& view, ProjectionId family, std::string prefix) {
  std::string end = PrefixEnd(prefix);
  return RowIterator(view, family, std::move(prefix), std::move(end));
}

ReadView::ReadView(const ViewStore& store) : store_(store), snapshot_(store.db()->GetSnapshot()) {}

ReadView::~ReadView() { store_.db()->ReleaseSnapshot(snapshot_); }

Status ReadView::Get(ProjectionId family, std::string_view key, std::string* value) const {
  rocksdb::ReadOptions read;
  read.snapshot = snapshot_;
  return FromRocks(store_.db()->Get(read, store_.family(family), key, value), "reading a view");
}

}  // namespace ledger::projections::internal
