#include "log/log_store.h"

#include <fmt/format.h>
#include <rocksdb/convenience.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <vector>

#include "ledger/engine/storage_failure_policy.h"
#include "log/keys.h"

namespace ledger::log {
namespace {

/// The prefix of a streams key is the stream name with its 0x00 terminator, so the prefix
/// bloom filter answers "is there any version of this stream in this file?".
class StreamNameTransform : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "ledger.StreamNameTransform"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    const void* end = std::memchr(key.data(), '\0', key.size());
    std::size_t size = static_cast<const char*>(end) - key.data() + 1;
    return rocksdb::Slice(key.data(), size);
  }
  bool InDomain(const rocksdb::Slice& key) const override {
    return std::memchr(key.data(), '\0', key.size()) != nullptr;
  }
};

rocksdb::CompressionType BestCompression() {
  for (auto type : rocksdb::GetSupportedCompressions()) {
    if (type == rocksdb::kLZ4Compression) return type;
  }
  return rocksdb::kSnappyCompression;
}

rocksdb::ColumnFamilyOptions FamilyOptions(std::string_view family,
                                           const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions options;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  options.compression = BestCompression();
  if (family == kEventsFamily) {
    // Sequence keys arrive in order: compaction moves files down without rewriting them.
    table.filter_policy.reset();
    table.block_size = 16 * 1024;
    // Packs make a flush a few large keys, cheap at any size: smaller memtables bound the
    // memory they hold (at most 4 x 32 MiB) at no cost in throughput.
    options.write_buffer_size = 32 << 20;
    options.max_write_buffer_number = 4;
    // Each insert starts from where the previous one ended instead of from the skip list's
    // top: in-order keys then cost a constant, not a search (one hint for the whole family).
    options.memtable_insert_with_hint_prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(0));
  } else if (family == kStreamsFamily) {
    // Prefix filters serve reads of a stream; whole-key filters serve head-row lookups.
    options.prefix_extractor = std::make_shared<StreamNameTransform>();
  }
  if (family == kStreamsFamily || family == kIdempotencyFamily) {
    // Nearly every lookup here is for a new key or a new stream: a miss that only the filters
    // answer cheaply. Keep them in memory with the table readers (about 1.25 bytes a key)
    // rather than in the block cache, where event reads would evict them.
    table.cache_index_and_filter_blocks = false;
    // The flusher's files are ingested on the write path's machine and rewritten by
    // compaction anyway (random keys): they are written uncompressed (derived_index.cc), and
    // only the bottommost level, where entries settle, is compressed.
    options.compression = rocksdb::kNoCompression;
    options.bottommost_compression = BestCompression();
  }
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return options;
}

rocksdb::DBOptions DatabaseOptions(const LogOptions& options, WalReplay replay) {
  rocksdb::DBOptions db;
  db.create_if_missing = options.create_if_missing && replay == WalReplay::kTolerateTornTail;
  db.create_missing_column_families = db.create_if_missing;
  db.paranoid_checks = true;
  db.wal_recovery_mode = replay == WalReplay::kTolerateTornTail
                             ? rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords
                             : rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  db.track_and_verify_wals_in_manifest = true;
  db.max_background_jobs = 2;
  db.bytes_per_sync = 1 << 20;
  db.keep_log_file_num = 4;
  ApplyStorageFailurePolicy(&db, options.logger);
  if (options.env != nullptr) db.env = options.env;
  return db;
}

}  // namespace

Status FromRocks(const rocksdb::Status& status, std::string_view context) {
  if (status.ok()) return Status::Ok();
  std::string message = fmt::format("{}: {}", context, status.ToString());
  if (status.IsCorruption()) return Status::Corruption(std::move(message));
  if (status.IsNotFound()) return Status::NotFound(std::move(message));
  if (status.IsInvalidArgument()) return Status::InvalidArgument(std::move(message));
  return Status::IoError(std::move(message));
}

Result<std::unique_ptr<LogStore>> LogStore::Open(const LogOptions& options, WalReplay replay) {
  std::unique_ptr<LogStore> store(new LogStore());
  store->path_ = options.path;
  store->read_only_ = replay == WalReplay::kStopAtFirstDamageReadOnly;
  if (options.create_if_missing && replay == WalReplay::kTolerateTornTail) {
    std::error_code error;
    std::filesystem::create_directories(options.path, error);
    if (error) return Status::IoError("creating " + options.path + ": " + error.message());
  }
  auto cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  const std::string_view families[] = {kEventsFamily, kStreamsFamily, kIdempotencyFamily,
                                       kMetadataFamily};
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions());
  for (auto family : families) {
    descriptors.emplace_back(std::string(family), FamilyOptions(family, cache));
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::DBOptions db_options = DatabaseOptions(options, replay);
  rocksdb::Status opened =
      store->read_only_
          ? rocksdb::DB::OpenForReadOnly(db_options, options.path, descriptors, &handles, &raw)
          : rocksdb::DB::Open(db_options, options.path, descriptors, &handles, &raw);
  if (!opened.ok()) return FromRocks(opened, fmt::format("opening the log at {}", options.path));
  store->db_.reset(raw);
  store->default_ = handles[0];
  store->events_ = handles[1];
  store->streams_ = handles[2];
  store->idempotency_ = handles[3];
  store->metadata_ = handles[4];

  std::string version;
  rocksdb::Status read =
      raw->Get(rocksdb::ReadOptions(), store->metadata_, std::string(kFormatVersionKey), &version);
  if (read.IsNotFound() && store->read_only_) {
    return Status::Corruption("the log at " + options.path + " has no format version");
  }
  if (read.IsNotFound()) {
    // A new database: stamp its format and a genesis head, durably, before any append.
    std::string stamp;
    PutBigEndian32(&stamp, kFormatVersion);
    rocksdb::WriteBatch batch;
    batch.Put(store->metadata_, std::string(kFormatVersionKey), stamp);
    batch.Put(store->metadata_, std::string(kHeadKey), EncodeHead(ChainPoint{}));
    rocksdb::WriteOptions sync;
    sync.sync = true;
    Status written = FromRocks(raw->Write(sync, &batch), "stamping a new log");
    if (!written.ok()) return written;
  } else if (!read.ok()) {
    return FromRocks(read, "reading the log's format version");
  } else if (version.size() != 4) {
    return Status::Corruption(
        fmt::format("the log at {} has a malformed format version", options.path));
  } else if (GetBigEndian32(version.data()) != kFormatVersion) {
    return Status::Corruption(fmt::format(
        "the log at {} has format version {}; this build reads format version {} only (see "
        "docs/log.md, Storage layout)",
        options.path, GetBigEndian32(version.data()), kFormatVersion));
  }
  return store;
}

LogStore::~LogStore() {
  if (!db_) return;
  for (auto* handle : {events_, streams_, idempotency_, metadata_, default_}) {
    if (handle != nullptr) (void)db_->DestroyColumnFamilyHandle(handle);
  }
  (void)db_->Close();
}

Status LogStore::FlushMemtables() {
  if (read_only_) return Status::Ok();
  return FromRocks(
      db_->Flush(rocksdb::FlushOptions(), {events_, streams_, idempotency_, metadata_}),
      "flushing memtables");
}

Result<ChainPoint> LogStore::ReadStoredHead() const {
  std::string value;
  Status read = FromRocks(
      db_->Get(rocksdb::ReadOptions(), metadata_, std::string(kHeadKey), &value), "reading head");
  if (!read.ok()) return read;
  ChainPoint head;
  if (!DecodeHead(value, &head)) return Status::Corruption("the stored head is malformed");
  return head;
}

}  // namespace ledger::log
