// The read side's rates: rebuilding every projection from a log of millions of events, next
// to scanning the same log raw and through its read API in the same run, and the latency of
// the two queries a dashboard makes most (platform summary, order detail).
//
// The log is built once per run: orders on eight platforms of two organizations, each
// created, paid in one transaction (authorization, capture, fee), one in ten refunded, with a
// withdrawal requested and settled every 200 orders; 64 orders are in flight at a time, so
// events of different orders interleave as they do live.
//
// Usage: projections_bench [--events=N] [Google Benchmark flags]   (default 2,000,000 events)
#include <benchmark/benchmark.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "ledger/engine/domain/event_codec.h"
#include "ledger/engine/log.h"
#include "ledger/projections/projector.h"
#include "support/bench_dir.h"
#include "support/ratio_reporter.h"

namespace ledger::bench {
namespace {

using schema::OperationKind;
using schema::OperationOutcome;

struct Platform {
  std::string organization;
  std::string id;
  schema::Environment environment;
};

std::uint64_t events_wanted = 2'000'000;
std::unique_ptr<BenchDir> dir;
std::unique_ptr<Log> ledger_log;
std::vector<Platform> platforms;
/// (platform index, order id) of every order, for detail queries.
std::vector<std::pair<std::size_t, std::string>> orders;
std::unique_ptr<projections::Projector> projector;

std::unique_ptr<Log> OpenLog(const std::string& path) {
  LogOptions options;
  options.path = path;
  options.create_if_missing = true;
  options.durability = Durability::kAsync;
  auto opened = Log::Open(options);
  if (!opened.ok()) {
    std::fprintf(stderr, "%s\n", opened.status().ToString().c_str());
    std::abort();
  }
  return std::move(opened).value();
}

class LogBuilder {
 public:
  void Add(const Platform& p, domain::Event event, std::string actor = {}) {
    AppendRequest request;
    request.event.stream = domain::StreamOf(event);
    request.event.type = domain::TypeOf(event);
    request.event.payload = domain::EncodeEvent(event);
    request.metadata.actor = actor.empty() ? "key:" + p.id : std::move(actor);
    request.metadata.environment = p.environment;
    request.metadata.organization = p.organization;
    request.metadata.platform = p.id;
    request.idempotency_scope = p.id;
    batch_.push_back(std::move(request));
    ++added_;
    if (batch_.size() == 4096) Flush();
  }
  void Flush() {
    if (batch_.empty()) return;
    auto results = ledger_log->Append(std::exchange(batch_, {}));
    if (!results.ok()) std::abort();
  }
  std::uint64_t added() const { return added_; }

 private:
  std::vector<AppendRequest> batch_;
  std::uint64_t added_ = 0;
};

/// One order's lifecycle, one event per step.
struct Flight {
  std::size_t platform = 0;
  std::string id;
  std::string currency;
  std::int64_t amount = 0;
  int step = 0;
  bool refund = false;
};

void Advance(LogBuilder& builder, Flight& f) {
  const Platform& p = platforms[f.platform];
  const std::string tx = f.id + "-t";
  auto op = [&](OperationKind kind, std::int64_t amount, const char* suffix) {
    return domain::OperationRecorded{p.id,
                                     f.id,
                                     tx,
                                     f.id + suffix,
                                     kind,
                                     OperationOutcome::Succeeded,
                                     amount,
                                     f.currency,
                                     "psp-" + f.id + suffix,
                                     1'763'700'000'000'000};
  };
  switch (f.step++) {
    case 0:
      builder.Add(
          p, domain::OrderCreated{p.id, f.id, f.amount, f.currency, "checkout", "cart-" + f.id});
      break;
    case 1:
      builder.Add(p, domain::TransactionCreated{p.id, f.id, tx, f.amount});
      break;
    case 2:
      builder.Add(p, op(OperationKind::Authorization, f.amount, "-a"));
      break;
    case 3:
      builder.Add(p, op(OperationKind::Capture, f.amount, "-c"));
      break;
    case 4:
      builder.Add(p, op(OperationKind::Fee, f.amount / 50 + 1, "-f"));
      break;
    default:
      builder.Add(p, op(OperationKind::Refund, f.amount / 2, "-r"), "user:support");
      break;
  }
}

void BuildLog() {
  dir = std::make_unique<BenchDir>("projections");
  ledger_log = OpenLog(dir->path() + "/log");
  platforms.clear();
  for (std::string organization : {"acme", "globex"}) {
    for (int i = 0; i < 4; ++i) {
      platforms.push_back(
          Platform{organization, organization + "-p" + std::to_string(i),
                   i == 0 ? schema::Environment::Sandbox : schema::Environment::Production});
    }
  }
  LogBuilder builder;
  for (const Platform& p : platforms) {
    builder.Add(p, domain::OrganizationCreated{p.organization, p.organization}, "root");
    builder.Add(p, domain::PlatformCreated{p.organization, p.id, p.id, p.environment});
    builder.Add(
        p, domain::BankAccountAdded{p.organization, p.id, "bank-eur", "H", "FR76****1", "EUR"});
  }
  std::mt19937 random(42);
  std::vector<Flight> flights(64);
  std::uint64_t next_order = 0;
  auto start = [&](Flight& f) {
    f = Flight{random() % platforms.size(),
               "o" + std::to_string(++next_order),
               random() % 4 == 0 ? "JPY" : "EUR",
               1000 + static_cast<std::int64_t>(random() % 90000),
               0,
               random() % 10 == 0};
    orders.emplace_back(f.platform, f.id);
    if (next_order % 200 == 0) {
      const Platform& p = platforms[f.platform];
      const std::string w = "w" + std::to_string(next_order);
      builder.Add(p, domain::WithdrawalRequested{p.id, w, "bank-eur", 100, "EUR"}, "user:admin");
      builder.Add(p, domain::WithdrawalSettled{p.id, w, "bank-ref", "bank-eur", 100, "EUR"});
    }
  };
  for (Flight& f : flights) start(f);
  const auto began = std::chrono::steady_clock::now();
  while (builder.added() < events_wanted) {
    Flight& f = flights[random() % flights.size()];
    Advance(builder, f);
    if (f.step == (f.refund ? 6 : 5)) start(f);
  }
  builder.Flush();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  std::printf("log: %llu events in %.1f s (%.0f events/s appended, async)\n",
              static_cast<unsigned long long>(ledger_log->Head().sequence.value), seconds,
              static_cast<double>(ledger_log->Head().sequence.value) / seconds);
}

/// CPU seconds used by the whole process (every thread, RocksDB's included).
double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

std::int64_t EventCount() { return static_cast<std::int64_t>(ledger_log->Head().sequence.value); }

/// A plain RocksDB database holding the log's records under the same keys (big-endian
/// sequences): the ceiling for scanning those bytes.
std::unique_ptr<rocksdb::DB> raw;

void CopyLogToRaw() {
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* db = nullptr;
  if (!rocksdb::DB::Open(options, dir->path() + "/raw", &db).ok()) std::abort();
  raw.reset(db);
  rocksdb::WriteOptions write;
  write.disableWAL = true;
  for (std::uint64_t from = 1;;) {
    auto page = ledger_log->ReadRange(SequenceNumber{from}, 8192);
    if (!page.ok() || page->empty()) break;
    rocksdb::WriteBatch batch;
    for (const RecordedEvent& event : *page) {
      std::string key(8, '\0');
      std::uint64_t sequence = event.sequence().value;
      for (int i = 7; i >= 0; --i, sequence >>= 8) key[i] = static_cast<char>(sequence & 0xff);
      (void)batch.Put(key, event.record());
    }
    (void)raw->Write(write, &batch);
    from += page->size();
  }
  // Compacted like a log that has been written for a while: one sorted run to scan.
  (void)raw->Flush(rocksdb::FlushOptions());
  (void)raw->CompactRange(rocksdb::CompactRangeOptions(), nullptr, nullptr);
}

void BM_RawRocksDbScan(benchmark::State& state) {
  std::int64_t read = 0;
  const double cpu_before = ProcessCpuSeconds();
  for (auto _ : state) {
    std::unique_ptr<rocksdb::Iterator> it(raw->NewIterator(rocksdb::ReadOptions()));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      std::string copy = it->value().ToString();  // The log hands out owned copies too.
      benchmark::DoNotOptimize(copy);
      ++read;
    }
  }
  state.SetItemsProcessed(read);
  state.counters["events_per_cpu_s"] =
      static_cast<double>(read) / (ProcessCpuSeconds() - cpu_before);
}

void BM_LogReadRange(benchmark::State& state) {
  std::int64_t read = 0;
  for (auto _ : state) {
    for (std::uint64_t from = 1;;) {
      auto page = ledger_log->ReadRange(SequenceNumber{from}, 8192);
      if (!page.ok() || page->empty()) break;
      read += static_cast<std::int64_t>(page->size());
      from += page->size();
    }
  }
  state.SetItemsProcessed(read);
}

void BM_LogReadAndDecode(benchmark::State& state) {
  std::int64_t read = 0;
  for (auto _ : state) {
    for (std::uint64_t from = 1;;) {
      auto page = ledger_log->ReadRange(SequenceNumber{from}, 8192);
      if (!page.ok() || page->empty()) break;
      for (const RecordedEvent& event : *page) {
        auto decoded = domain::DecodeEvent(event.type(), event.payload());
        benchmark::DoNotOptimize(decoded);
      }
      read += static_cast<std::int64_t>(page->size());
      from += page->size();
    }
  }
  state.SetItemsProcessed(read);
}

void BM_Rebuild(benchmark::State& state) {
  double cpu_seconds = 0;
  for (auto _ : state) {
    state.PauseTiming();
    projector.reset();
    std::filesystem::remove_all(dir->path() + "/views");
    projections::ProjectorOptions options;
    options.path = dir->path() + "/views";
    options.log = ledger_log.get();
    auto opened = projections::Projector::Open(options);
    if (!opened.ok()) std::abort();
    projector = std::move(opened).value();
    state.ResumeTiming();
    const double cpu_before = ProcessCpuSeconds();
    if (!projector->Start().ok()) std::abort();
    if (!projector->WaitForSequence(ledger_log->Head().sequence, std::chrono::minutes(30))) {
      state.SkipWithError(projector->Stats().failure.c_str());
    }
    cpu_seconds += ProcessCpuSeconds() - cpu_before;
  }
  const auto events = EventCount() * static_cast<std::int64_t>(state.iterations());
  state.SetItemsProcessed(events);
  // Under load from other processes the wall clock says little; CPU time says what it costs.
  state.counters["cpu_s"] = cpu_seconds;
  state.counters["events_per_cpu_s"] = static_cast<double>(events) / cpu_seconds;
}

/// Runs `query` each iteration and reports its p50 and p99 latency in microseconds.
template <typename Query>
void MeasureLatency(benchmark::State& state, Query&& query) {
  std::vector<double> micros;
  micros.reserve(1 << 20);
  std::mt19937 random(7);
  for (auto _ : state) {
    const auto began = std::chrono::steady_clock::now();
    if (!query(random)) state.SkipWithError("query failed");
    micros.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - began)
            .count());
  }
  std::sort(micros.begin(), micros.end());
  state.counters["p50_us"] = micros[micros.size() / 2];
  state.counters["p99_us"] = micros[micros.size() * 99 / 100];
  state.SetItemsProcessed(static_cast<std::int64_t>(micros.size()));
}

void BM_PlatformSummaryQuery(benchmark::State& state) {
  MeasureLatency(state, [](std::mt19937& random) {
    const Platform& p = platforms[random() % platforms.size()];
    auto summary = projector->views().GetPlatformSummary(
        projections::Scope{p.environment, p.organization, p.id});
    return summary.ok() && !summary->currencies.empty();
  });
}

void BM_OrderDetailQuery(benchmark::State& state) {
  MeasureLatency(state, [](std::mt19937& random) {
    const auto& [index, order] = orders[random() % orders.size()];
    const Platform& p = platforms[index];
    auto detail = projector->views().GetOrderDetail(
        projections::Scope{p.environment, p.organization, p.id}, order);
    return detail.ok() || detail.status().code() == StatusCode::kNotFound;
  });
}

BENCHMARK(BM_RawRocksDbScan)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LogReadRange)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LogReadAndDecode)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Rebuild)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PlatformSummaryQuery)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_OrderDetailQuery)->UseRealTime()->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace ledger::bench

int main(int argc, char** argv) {
  using namespace ledger::bench;
  spdlog::set_level(spdlog::level::warn);
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--events=", 9) == 0) {
      events_wanted = std::strtoull(argv[i] + 9, nullptr, 10);
      std::copy(argv + i + 1, argv + argc, argv + i);
      --argc;
      --i;
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  BuildLog();
  CopyLogToRaw();
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  // Single-iteration benchmarks carry "/iterations:1" in their names.
  const std::string rebuild = "BM_Rebuild/iterations:1";
  const std::string raw_scan = "BM_RawRocksDbScan/iterations:1";
  const std::string read_range = "BM_LogReadRange/iterations:1";
  reporter.PrintRatios("Rebuild of every projection against scans of the same log, same run",
                       {{rebuild, raw_scan},
                        {rebuild, read_range},
                        {read_range, raw_scan},
                        {"BM_LogReadAndDecode/iterations:1", raw_scan}});
  projector.reset();
  raw.reset();
  ledger_log.reset();
  dir.reset();
  return 0;
}
