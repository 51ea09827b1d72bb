// The event log's write and read rates, next to raw RocksDB doing the same I/O in the same run.
//
// Raw: one WriteBatch of `batch` puts (8-byte big-endian key, a value as long as a Ledger event
// record) written with sync=true — the ceiling for per-event keys. Ledger: Log::Append of
// `batch` events, each with its own idempotency key, orders of four events per stream, durable.
#include <benchmark/benchmark.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "ledger/engine/log.h"
#include "support/bench_dir.h"
#include "support/process_cpu.h"
#include "support/ratio_reporter.h"

namespace ledger::bench {
namespace {

constexpr std::size_t kPayloadBytes = 60;  // With the envelope, a record of about 200 bytes.
std::size_t record_bytes = 200;            // Measured in main() from a real record.

std::string BigEndian(std::uint64_t value) {
  std::string key(8, '\0');
  for (int i = 7; i >= 0; --i, value >>= 8) key[i] = static_cast<char>(value & 0xff);
  return key;
}

std::unique_ptr<rocksdb::DB> OpenRaw(const std::string& path) {
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* db = nullptr;
  if (!rocksdb::DB::Open(options, path, &db).ok()) std::abort();
  return std::unique_ptr<rocksdb::DB>(db);
}

std::unique_ptr<Log> OpenLog(const std::string& path, Durability durability) {
  LogOptions options;
  options.path = path;
  options.create_if_missing = true;
  options.durability = durability;
  auto log = Log::Open(options);
  if (!log.ok()) {
    std::fprintf(stderr, "%s\n", log.status().ToString().c_str());
    std::abort();
  }
  return std::move(log).value();
}

AppendRequest MakeRequest(std::uint64_t n) {
  AppendRequest request;
  request.event.stream = "order/platform-1/" + std::to_string(n / 4);
  request.event.type = schema::EventType::Opaque;
  request.event.payload.assign(kPayloadBytes, static_cast<char>('a' + n % 26));
  request.metadata.actor = "key:bench";
  request.metadata.environment = schema::Environment::Production;
  request.metadata.organization = "org-1";
  request.metadata.platform = "platform-1";
  request.idempotency_scope = "platform-1";
  request.idempotency_key = "k" + std::to_string(n);
  return request;
}

// Benchmarks run with Threads(N) share one database or log, opened by the first thread in.
template <typename Store>
class Shared {
 public:
  template <typename OpenFunction>
  Store* Acquire(OpenFunction open) {
    std::lock_guard lock(mutex_);
    if (users_++ == 0) {
      dir_ = std::make_unique<BenchDir>("shared");
      store_ = open(dir_->path());
    }
    return store_.get();
  }
  void Release() {
    std::lock_guard lock(mutex_);
    if (--users_ > 0) return;
    store_.reset();
    dir_.reset();
  }

 private:
  std::mutex mutex_;
  std::unique_ptr<BenchDir> dir_;
  std::unique_ptr<Store> store_;
  int users_ = 0;
};

Shared<rocksdb::DB> shared_raw;
Shared<Log> shared_log;

void RawRocksDb(benchmark::State& state, bool sync) {
  rocksdb::DB* db = shared_raw.Acquire(OpenRaw);
  const std::size_t batch_size = static_cast<std::size_t>(state.range(0));
  const std::string value(record_bytes, 'v');
  rocksdb::WriteOptions write;
  write.sync = sync;
  // Each thread writes its own key range, as each Ledger caller gets its own sequences.
  std::uint64_t sequence = static_cast<std::uint64_t>(state.thread_index()) << 40;
  std::int64_t written = 0;
  ProcessCpuPerItem cpu(state);
  for (auto _ : state) {
    rocksdb::WriteBatch batch;
    for (std::size_t i = 0; i < batch_size; ++i) batch.Put(BigEndian(++sequence), value);
    if (!db->Write(write, &batch).ok()) state.SkipWithError("write failed");
    written += static_cast<std::int64_t>(batch_size);
  }
  cpu.Report(state, written);
  state.SetItemsProcessed(written);
  shared_raw.Release();
}

void LedgerAppend(benchmark::State& state, Durability durability) {
  Log* log = shared_log.Acquire(
      [durability](const std::string& path) { return OpenLog(path, durability); });
  const std::size_t batch_size = static_cast<std::size_t>(state.range(0));
  std::uint64_t n = static_cast<std::uint64_t>(state.thread_index()) << 40;
  std::int64_t appended = 0;
  ProcessCpuPerItem cpu(state);
  for (auto _ : state) {
    std::vector<AppendRequest> batch;
    batch.reserve(batch_size);
    for (std::size_t i = 0; i < batch_size; ++i) batch.push_back(MakeRequest(n++));
    auto results = log->Append(std::move(batch));
    if (!results.ok()) state.SkipWithError(results.status().ToString().c_str());
    appended += static_cast<std::int64_t>(batch_size);
  }
  cpu.Report(state, appended);
  state.SetItemsProcessed(appended);
  shared_log.Release();
}

void BM_RawRocksDbSync(benchmark::State& state) { RawRocksDb(state, true); }
void BM_LedgerAppendSync(benchmark::State& state) { LedgerAppend(state, Durability::kSync); }
void BM_RawRocksDbAsync(benchmark::State& state) { RawRocksDb(state, false); }
void BM_LedgerAppendAsync(benchmark::State& state) { LedgerAppend(state, Durability::kAsync); }

// Many threads, each appending one event at a time: group commit must share the fsyncs.
std::atomic<std::uint64_t> next_single{0};

void BM_LedgerSingleEventAppenders(benchmark::State& state) {
  Log* log =
      shared_log.Acquire([](const std::string& path) { return OpenLog(path, Durability::kSync); });
  std::int64_t appended = 0;
  for (auto _ : state) {
    std::vector<AppendRequest> batch;
    batch.push_back(MakeRequest(next_single.fetch_add(1)));
    auto results = log->Append(std::move(batch));
    if (!results.ok()) state.SkipWithError(results.status().ToString().c_str());
    ++appended;
  }
  state.SetItemsProcessed(appended);
  shared_log.Release();
}

constexpr std::uint64_t kScanEvents = 200000;

void BM_RawRocksDbScan(benchmark::State& state) {
  BenchDir dir("raw-scan");
  auto db = OpenRaw(dir.path());
  const std::string value(record_bytes, 'v');
  for (std::uint64_t s = 1; s <= kScanEvents;) {
    rocksdb::WriteBatch batch;
    for (int i = 0; i < 4096 && s <= kScanEvents; ++i) batch.Put(BigEndian(s++), value);
    (void)db->Write(rocksdb::WriteOptions(), &batch);
  }
  std::int64_t read = 0;
  for (auto _ : state) {
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      benchmark::DoNotOptimize(it->value().data());
      std::string copy = it->value().ToString();  // The log hands out owned copies too.
      benchmark::DoNotOptimize(copy);
      ++read;
    }
  }
  state.SetItemsProcessed(read);
}

void BM_LedgerReadRange(benchmark::State& state) {
  BenchDir dir("ledger-scan");
  auto log = OpenLog(dir.path(), Durability::kAsync);
  for (std::uint64_t n = 0; n < kScanEvents;) {
    std::vector<AppendRequest> batch;
    for (int i = 0; i < 4096 && n < kScanEvents; ++i) batch.push_back(MakeRequest(n++));
    (void)log->Append(std::move(batch));
  }
  std::int64_t read = 0;
  for (auto _ : state) {
    for (std::uint64_t from = 1; from <= kScanEvents;) {
      auto page = log->ReadRange(SequenceNumber{from}, 10000);
      if (!page.ok() || page->empty()) break;
      read += static_cast<std::int64_t>(page->size());
      from += page->size();
    }
  }
  state.SetItemsProcessed(read);
}

void BM_LedgerReadStream(benchmark::State& state) {
  BenchDir dir("ledger-stream");
  auto log = OpenLog(dir.path(), Durability::kAsync);
  constexpr std::uint64_t kEvents = 100000;
  for (std::uint64_t n = 0; n < kEvents;) {
    std::vector<AppendRequest> batch;
    for (int i = 0; i < 4096 && n < kEvents; ++i) batch.push_back(MakeRequest(n++));
    (void)log->Append(std::move(batch));
  }
  std::int64_t read = 0;
  std::uint64_t order = 0;
  for (auto _ : state) {
    auto events = log->ReadStream("order/platform-1/" + std::to_string(order++ % (kEvents / 4)),
                                  StreamVersion{1}, ReadDirection::kForward, 100);
    if (!events.ok() || events->size() != 4) state.SkipWithError("stream read failed");
    read += 4;
  }
  state.SetItemsProcessed(read);
}

BENCHMARK(BM_RawRocksDbSync)->ArgName("batch")->Arg(1)->Arg(16)->Arg(256)->Arg(4096)->UseRealTime();
BENCHMARK(BM_LedgerAppendSync)
    ->ArgName("batch")
    ->Arg(1)
    ->Arg(16)
    ->Arg(256)
    ->Arg(4096)
    ->UseRealTime();
// Two callers: the writer stages one batch while the previous one is being fsynced.
BENCHMARK(BM_RawRocksDbSync)->ArgName("batch")->Arg(256)->Arg(4096)->Threads(2)->UseRealTime();
BENCHMARK(BM_LedgerAppendSync)->ArgName("batch")->Arg(256)->Arg(4096)->Threads(2)->UseRealTime();
BENCHMARK(BM_RawRocksDbAsync)->ArgName("batch")->Arg(256)->UseRealTime();
BENCHMARK(BM_LedgerAppendAsync)->ArgName("batch")->Arg(256)->UseRealTime();
BENCHMARK(BM_LedgerSingleEventAppenders)->Threads(1)->Threads(64)->UseRealTime();
BENCHMARK(BM_RawRocksDbScan)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LedgerReadRange)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LedgerReadStream)->UseRealTime();

std::size_t MeasureRecordBytes() {
  BenchDir dir("measure");
  auto log = OpenLog(dir.path(), Durability::kAsync);
  (void)log->Append({MakeRequest(123456)});
  auto events = log->ReadRange(SequenceNumber{1}, 1);
  return events.ok() && !events->empty() ? events->front().record().size() : 200;
}

}  // namespace
}  // namespace ledger::bench

int main(int argc, char** argv) {
  using namespace ledger::bench;
  spdlog::set_level(spdlog::level::warn);
  record_bytes = MeasureRecordBytes();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  std::printf("event record: %zu bytes (raw RocksDB values are the same size)\n", record_bytes);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintRatios(
      "Ledger against raw RocksDB, same run",
      {{"BM_LedgerAppendSync/batch:1", "BM_RawRocksDbSync/batch:1"},
       {"BM_LedgerAppendSync/batch:16", "BM_RawRocksDbSync/batch:16"},
       {"BM_LedgerAppendSync/batch:256", "BM_RawRocksDbSync/batch:256"},
       {"BM_LedgerAppendSync/batch:4096", "BM_RawRocksDbSync/batch:4096"},
       {"BM_LedgerAppendSync/batch:256/threads:2", "BM_RawRocksDbSync/batch:256/threads:2"},
       {"BM_LedgerAppendSync/batch:4096/threads:2", "BM_RawRocksDbSync/batch:4096/threads:2"},
       {"BM_LedgerAppendAsync/batch:256", "BM_RawRocksDbAsync/batch:256"},
       {"BM_LedgerReadRange", "BM_RawRocksDbScan"}});
  reporter.PrintRatios(
      "Group commit: 64 single-event appenders against one",
      {{"BM_LedgerSingleEventAppenders/threads:64", "BM_LedgerSingleEventAppenders"}});
  benchmark::Shutdown();
  return 0;
}
