// The payment domain's cost: a realistic mixed workload through Ledger::Execute (decide,
// encode, stage, apply; durable, batched) next to the very same events appended raw with
// Log::Append, in one run; and, with --scale-orders, the memory and reopen time of a large
// ledger.
//
// Workload, per caller (each caller owns two platforms, so their wallets never race): orders
// of 10.00 to 1000.00 in EUR or JPY; 1 to 3 transactions splitting the order; an
// authorization each (5% fail); a capture of every authorized transaction; 10% partially
// refunded, 30% charged a fee; every 200 orders a withdrawal of half the wallet, settled in
// the next batch. Every command carries an idempotency key, as a recording service's retries
// need. Batches hold whole orders (about --batch commands).
//
//   domain_bench [--orders=N] [--batch=N] [--callers=N] [--durability=sync|async]
//                [--rounds=N] [--scale-orders=N] [--light] [--no-keys] [--keep]
//                [--hot-orders=N] [--reopen=PATH [--cold-touches=N --scale-orders=N]]
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "ledger/engine/domain/event_codec.h"
#include "ledger/engine/ledger.h"
#include "support/bench_dir.h"

namespace ledger::bench {
namespace {

using domain::Principal;
using schema::Environment;
using schema::OperationKind;
using schema::OperationOutcome;
using Clock = std::chrono::steady_clock;

struct Options {
  std::uint64_t orders = 200000;
  std::size_t batch = 256;
  int callers = 2;
  Durability durability = Durability::kSync;
  std::uint64_t scale_orders = 0;
  /// Transactions per order: 1 to 3 evenly; light: 1 (70%), 2 (20%) or 3 (10%), about five
  /// events per order, the shape of "10 million events over 2 million orders".
  bool light = false;
  /// Commands without idempotency keys (both runs), to measure without the key lookups.
  bool no_keys = false;
  bool keep = false;
  /// LedgerOptions::hot_orders_max; 0: its default.
  std::size_t hot_orders = 0;
  /// With --reopen: commands naming random orders of the kept ledger (--scale-orders of them),
  /// none in memory after the reopen, to time loading orders back from the log.
  std::uint64_t cold_touches = 0;
  /// Throughput rounds (raw then domain each).
  int rounds = 3;
  /// Only reopen the ledger kept at this path (by --scale-orders ... --keep) and time it.
  std::string reopen;
};

/// One command and the log-level append of the event it yields, for the raw baseline.
struct Item {
  CommandRequest command;
  AppendRequest append;
};

class Workload {
 public:
  Workload(int caller, int callers, bool light, bool keys)
      : caller_(caller), light_(light), keys_(keys), random_(1000 + caller) {
    platforms_ = {PlatformId(caller), PlatformId(caller + callers)};
  }

  static std::string PlatformId(int index) { return "p" + std::to_string(index); }

  /// Whole orders until the batch holds about `size` commands.
  std::vector<Item> NextBatch(std::size_t size) {
    std::vector<Item> batch;
    for (const Pending& settle : pending_settles_) {
      Add(batch, KeyOf(settle.platform),
          domain::SettleWithdrawal{settle.platform, settle.id, "bank-ref"},
          domain::WithdrawalSettled{settle.platform, settle.id, "bank-ref",
                                    "bank-" + settle.currency, settle.amount, settle.currency});
    }
    pending_settles_.clear();
    while (batch.size() + 8 <= size) {
      AddOrder(batch);
      if (++orders_ % 200 == 0) AddWithdrawal(batch);
    }
    return batch;
  }

  std::uint64_t orders() const { return orders_; }

 private:
  struct Pending {
    std::string platform, id, currency;
    std::int64_t amount;
  };

  Principal KeyOf(const std::string& platform) {
    return Principal::ApiKey("key-" + platform, "org", platform, Environment::Production);
  }

  template <typename Command, typename Event>
  void Add(std::vector<Item>& batch, Principal principal, Command command, Event event) {
    Item item;
    item.command.principal = std::move(principal);
    if (keys_)
      item.command.idempotency_key = "c" + std::to_string(caller_) + "-" + std::to_string(next_);
    ++next_;
    item.command.command = std::move(command);
    item.append.event.stream = domain::StreamOf(event);
    item.append.event.type = domain::TypeOf(event);
    item.append.event.payload = domain::EncodeEvent(event);
    item.append.metadata.actor = item.command.principal.Actor();
    item.append.metadata.environment = Environment::Production;
    item.append.metadata.organization = "org";
    item.append.metadata.platform = item.command.principal.platform;
    item.append.idempotency_scope = item.command.principal.platform;
    item.append.idempotency_key = item.command.idempotency_key;
    batch.push_back(std::move(item));
  }

  void AddOperation(std::vector<Item>& batch, const std::string& platform, const std::string& order,
                    const std::string& transaction, OperationKind kind, OperationOutcome outcome,
                    std::int64_t amount, const std::string& currency) {
    std::string id = "op" + std::to_string(next_);
    Add(batch, KeyOf(platform),
        domain::RecordOperation{platform, order, transaction, id, kind, outcome, amount, "", "psp",
                                1'700'000'000'000'000},
        domain::OperationRecorded{platform, order, transaction, id, kind, outcome, amount, currency,
                                  "psp", 1'700'000'000'000'000});
  }

  void AddOrder(std::vector<Item>& batch) {
    const std::string& platform = platforms_[random_() % 2];
    const std::string currency = random_() % 2 == 0 ? "EUR" : "JPY";
    const std::string order = "o" + std::to_string(caller_) + "-" + std::to_string(orders_);
    const std::int64_t amount = 1000 + static_cast<std::int64_t>(random_() % 99001);
    Add(batch, KeyOf(platform),
        domain::CreateOrder{platform, order, amount, currency, "checkout", "ref"},
        domain::OrderCreated{platform, order, amount, currency, "checkout", "ref"});
    const int draw = static_cast<int>(random_() % 30);
    const int parts = light_ ? (draw < 21 ? 1 : draw < 27 ? 2 : 3) : 1 + draw % 3;
    std::int64_t& wallet = wallets_[platform + currency];
    for (int part = 0; part < parts; ++part) {
      const std::int64_t share = part + 1 < parts ? amount / parts : amount - amount / parts * part;
      const std::string transaction = order + "-t" + std::to_string(part);
      Add(batch, KeyOf(platform),
          domain::CreateTransaction{platform, order, transaction, share, ""},
          domain::TransactionCreated{platform, order, transaction, share});
      const bool fails = random_() % 100 < 5;
      AddOperation(batch, platform, order, transaction, OperationKind::Authorization,
                   fails ? OperationOutcome::Failed : OperationOutcome::Succeeded, share, currency);
      if (fails) continue;
      AddOperation(batch, platform, order, transaction, OperationKind::Capture,
                   OperationOutcome::Succeeded, share, currency);
      wallet += share;
      if (random_() % 100 < 10) {
        AddOperation(batch, platform, order, transaction, OperationKind::Refund,
                     OperationOutcome::Succeeded, share / 2 + 1, currency);
        wallet -= share / 2 + 1;
      }
      if (random_() % 100 < 30) {
        AddOperation(batch, platform, order, transaction, OperationKind::Fee,
                     OperationOutcome::Succeeded, share / 50 + 1, currency);
        wallet -= share / 50 + 1;
      }
    }
  }

  void AddWithdrawal(std::vector<Item>& batch) {
    const std::string& platform = platforms_[random_() % 2];
    const std::string currency = random_() % 2 == 0 ? "EUR" : "JPY";
    std::int64_t& wallet = wallets_[platform + currency];
    if (wallet < 2) return;
    const std::int64_t amount = wallet / 2;
    wallet -= amount;
    const std::string id = "w" + std::to_string(caller_) + "-" + std::to_string(next_);
    const Principal admin = Principal::User("admin", Environment::Production);
    Add(batch, admin, domain::RequestWithdrawal{platform, id, "bank-" + currency, amount, currency},
        domain::WithdrawalRequested{platform, id, "bank-" + currency, amount, currency});
    batch.back().append.metadata.platform = platform;
    batch.back().append.idempotency_scope = platform;
    pending_settles_.push_back(Pending{platform, id, currency, amount});
  }

  int caller_;
  bool light_;
  bool keys_;
  std::mt19937_64 random_;
  std::vector<std::string> platforms_;
  std::map<std::string, std::int64_t> wallets_;
  std::vector<Pending> pending_settles_;
  std::uint64_t orders_ = 0;
  std::uint64_t next_ = 0;
};

}  // namespace
}  // namespace ledger::bench

namespace ledger::bench {
namespace {

std::uint64_t StatusKilobytes(const char* field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field, 0) == 0)
      return std::strtoull(line.c_str() + std::strlen(field), nullptr, 10);
  }
  return 0;
}

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

Options Parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const std::size_t equals = arg.find('=');
    const std::string name = arg.substr(0, equals);
    const std::string value = equals == std::string::npos ? "" : arg.substr(equals + 1);
    if (name == "--orders") {
      options.orders = std::strtoull(value.c_str(), nullptr, 10);
    } else if (name == "--batch") {
      options.batch = std::strtoull(value.c_str(), nullptr, 10);
    } else if (name == "--callers") {
      options.callers = std::atoi(value.c_str());
    } else if (name == "--scale-orders") {
      options.scale_orders = std::strtoull(value.c_str(), nullptr, 10);
    } else if (name == "--durability" && (value == "sync" || value == "async")) {
      options.durability = value == "sync" ? Durability::kSync : Durability::kAsync;
    } else if (arg == "--light") {
      options.light = true;
    } else if (arg == "--no-keys") {
      options.no_keys = true;
    } else if (name == "--hot-orders") {
      options.hot_orders = std::strtoull(value.c_str(), nullptr, 10);
    } else if (name == "--cold-touches") {
      options.cold_touches = std::strtoull(value.c_str(), nullptr, 10);
    } else if (name == "--rounds") {
      options.rounds = std::max(1, std::atoi(value.c_str()));
    } else if (name == "--reopen") {
      options.reopen = value;
    } else if (arg == "--keep") {
      options.keep = true;
    } else {
      std::fprintf(stderr, "unknown argument %s\n", arg.c_str());
      std::exit(2);
    }
  }
  return options;
}

std::shared_ptr<spdlog::logger> QuietLogger() {
  auto logger =
      std::make_shared<spdlog::logger>("bench", std::make_shared<spdlog::sinks::null_sink_mt>());
  return logger;
}

LogOptions MakeLogOptions(const std::string& path, const Options& options) {
  LogOptions log;
  log.path = path;
  log.create_if_missing = true;
  log.durability = options.durability;
  log.logger = QuietLogger();
  return log;
}

template <typename T>
T Check(Result<T> result, const char* what) {
  if (!result.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, result.status().ToString().c_str());
    std::exit(1);
  }
  return std::move(result).value();
}

void SetUpDirectory(Ledger& ledger, int platforms) {
  const Principal root = Principal::Root();
  std::vector<CommandRequest> setup;
  auto add = [&](domain::Command command) {
    setup.push_back(CommandRequest{root, std::move(command), {}, {}, {}, ExpectedVersion::Any()});
  };
  add(domain::CreateOrganization{"org", "Org"});
  add(domain::RegisterUser{"admin", "admin@org.test", "Admin"});
  add(domain::GrantRole{"org", "admin", schema::Role::Admin, true, {}});
  for (int i = 0; i < platforms; ++i) {
    const std::string platform = Workload::PlatformId(i);
    add(domain::CreatePlatform{"org", platform, platform, Environment::Production});
    add(domain::IssueApiKey{platform, "key-" + platform, Ledger::HashSecret(platform)});
    for (const char* currency : {"EUR", "JPY"}) {
      add(domain::AddBankAccount{platform, std::string("bank-") + currency, "Org", "FR7612345678",
                                 currency});
    }
  }
  for (const CommandResult& result : Check(ledger.Execute(std::move(setup)), "setup")) {
    if (!result.ok()) {
      std::fprintf(stderr, "setup refused: %s\n", result.message.c_str());
      std::exit(1);
    }
  }
}

struct RunResult {
  double seconds = 0;
  std::uint64_t events = 0;
  std::uint64_t rejected = 0;
  double rate() const { return seconds > 0 ? static_cast<double>(events) / seconds : 0; }
};

/// Runs `options.callers` threads, each sending whole batches through `send` until it has
/// made `orders_per_caller` orders. `send` returns (events written, commands rejected).
template <typename Send>
RunResult RunCallers(const Options& options, std::uint64_t orders_per_caller, Send send,
                     bool progress = false) {
  std::atomic<std::uint64_t> events{0};
  std::atomic<std::uint64_t> rejected{0};
  const Clock::time_point start = Clock::now();
  std::vector<std::thread> threads;
  for (int caller = 0; caller < options.callers; ++caller) {
    threads.emplace_back([&, caller] {
      Workload workload(caller, options.callers, options.light, !options.no_keys);
      std::uint64_t next_report = 1'000'000;
      while (workload.orders() < orders_per_caller) {
        auto [written, refused] = send(workload.NextBatch(options.batch));
        events += written;
        rejected += refused;
        if (progress && caller == 0 && events.load() >= next_report) {
          next_report += 1'000'000;
          std::printf("  %9.1f s  %11llu events  %9.0f events/s  RSS %6llu MiB\n", Seconds(start),
                      static_cast<unsigned long long>(events.load()),
                      static_cast<double>(events.load()) / Seconds(start),
                      static_cast<unsigned long long>(StatusKilobytes("VmRSS:") / 1024));
          std::fflush(stdout);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  return RunResult{Seconds(start), events.load(), rejected.load()};
}

RunResult RunRaw(const Options& options) {
  BenchDir dir("raw");
  std::unique_ptr<Log> log = Check(Log::Open(MakeLogOptions(dir.path() + "/log", options)), "open");
  return RunCallers(options, options.orders / options.callers, [&log](std::vector<Item> batch) {
    std::vector<AppendRequest> appends;
    appends.reserve(batch.size());
    for (Item& item : batch) appends.push_back(std::move(item.append));
    std::uint64_t written = 0;
    for (const AppendResult& result : Check(log->Append(std::move(appends)), "append")) {
      written += result.code == AppendCode::kAppended ? result.event_count : 0;
    }
    return std::pair<std::uint64_t, std::uint64_t>{written, 0};
  });
}

auto DomainSender(Ledger& ledger) {
  return [&ledger](std::vector<Item> batch) {
    std::vector<CommandRequest> commands;
    commands.reserve(batch.size());
    for (Item& item : batch) commands.push_back(std::move(item.command));
    std::uint64_t written = 0;
    std::uint64_t refused = 0;
    for (const CommandResult& result : Check(ledger.Execute(std::move(commands)), "execute")) {
      if (result.code == domain::ResultCode::kAccepted) {
        written += result.event_count;
      } else if (refused++ == 0) {
        std::fprintf(stderr, "refused: %s: %s\n",
                     std::string(domain::ResultCodeName(result.code)).c_str(),
                     result.message.c_str());
      }
    }
    return std::pair<std::uint64_t, std::uint64_t>{written, refused};
  };
}

LedgerOptions MakeLedgerOptions(const std::string& path, const Options& options) {
  LedgerOptions ledger;
  ledger.log = MakeLogOptions(path, options);
  ledger.logger = QuietLogger();
  if (options.hot_orders > 0) ledger.hot_orders_max = options.hot_orders;
  return ledger;
}

RunResult RunDomain(const Options& options) {
  BenchDir dir("domain");
  std::unique_ptr<Ledger> ledger =
      Check(Ledger::Open(MakeLedgerOptions(dir.path() + "/log", options)), "open");
  SetUpDirectory(*ledger, options.callers * 2);
  return RunCallers(options, options.orders / options.callers, DomainSender(*ledger));
}

/// Alternates raw and domain runs (the machine's other load hits both alike) and reports
/// each round and the median ratio.
int Throughput(const Options& options) {
  std::printf(
      "mixed workload: %llu orders, batches of ~%zu commands, %d callers, %s%s, %d "
      "rounds\n",
      static_cast<unsigned long long>(options.orders), options.batch, options.callers,
      options.durability == Durability::kSync ? "sync (fsync per group commit)" : "async",
      options.no_keys ? ", no idempotency keys" : "", options.rounds);
  std::vector<double> ratios;
  std::uint64_t refused = 0;
  for (int round = 1; round <= options.rounds; ++round) {
    const RunResult raw = RunRaw(options);
    const RunResult domain = RunDomain(options);
    refused += domain.rejected;
    ratios.push_back(domain.rate() / raw.rate());
    std::printf(
        "round %d: raw log appends %9.0f events/s, domain commands %9.0f events/s "
        "(%llu events each), domain / raw %.2f\n",
        round, raw.rate(), domain.rate(), static_cast<unsigned long long>(domain.events),
        ratios.back());
    std::fflush(stdout);
  }
  std::sort(ratios.begin(), ratios.end());
  const double median = ratios[ratios.size() / 2];
  std::printf(
      "median domain / raw %.2f: the domain costs %.0f%% of raw throughput "
      "(target <= 30%%); %llu commands refused\n",
      median, (1 - median) * 100, static_cast<unsigned long long>(refused));
  return refused == 0 ? 0 : 1;
}

/// Opens the ledger at `path` and prints how long it took and where the time went.
std::unique_ptr<Ledger> TimedOpen(const std::string& path, const Options& options) {
  Clock::time_point opening = Clock::now();
  std::unique_ptr<Ledger> ledger = Check(Ledger::Open(MakeLedgerOptions(path, options)), "open");
  const double seconds = Seconds(opening);
  const LedgerStats stats = ledger->Stats();
  std::error_code ignored;
  std::uintmax_t snapshot_bytes = std::filesystem::file_size(path + "/domain.snapshot", ignored);
  if (ignored) snapshot_bytes = 0;
  std::printf(
      "reopen: %.2f s (log %.2f s, snapshot of %llu MiB %.2f s, %llu events replayed in "
      "%.2f s); resident memory %llu MiB\n",
      seconds, stats.open_log_ms / 1000.0, static_cast<unsigned long long>(snapshot_bytes >> 20),
      stats.open_snapshot_ms / 1000.0, static_cast<unsigned long long>(stats.replayed_on_open),
      stats.open_replay_ms / 1000.0,
      static_cast<unsigned long long>(StatusKilobytes("VmRSS:") / 1024));
  return ledger;
}

int Scale(const Options& options) {
  std::unique_ptr<BenchDir> dir;
  std::string path = "/tmp/ledger-bench-scale-kept";
  if (options.keep) {
    std::filesystem::remove_all(path);
  } else {
    dir = std::make_unique<BenchDir>("scale");
    path = dir->path() + "/log";
  }
  std::printf("scale: %llu orders through the domain, batches of ~%zu, %d callers, %s%s\n",
              static_cast<unsigned long long>(options.scale_orders), options.batch, options.callers,
              options.durability == Durability::kSync ? "sync" : "async",
              options.no_keys ? ", no idempotency keys" : "");
  std::unique_ptr<Ledger> ledger = Check(Ledger::Open(MakeLedgerOptions(path, options)), "open");
  SetUpDirectory(*ledger, options.callers * 2);
  const RunResult run = RunCallers(options, options.scale_orders / options.callers,
                                   DomainSender(*ledger), /*progress=*/true);
  const LedgerStats stats = ledger->Stats();
  std::printf(
      "wrote %llu events in %.1f s: %.0f events/s, %llu refused; in memory %llu orders and "
      "%llu transactions (%llu orders evicted, %llu loaded back)\n",
      static_cast<unsigned long long>(run.events), run.seconds, run.rate(),
      static_cast<unsigned long long>(run.rejected),
      static_cast<unsigned long long>(stats.hot_orders),
      static_cast<unsigned long long>(stats.hot_transactions),
      static_cast<unsigned long long>(stats.orders_evicted),
      static_cast<unsigned long long>(stats.orders_loaded));
  std::printf(
      "resident memory %llu MiB (peak %llu MiB); domain state tables %llu MiB; "
      "snapshots written %llu (longest pause of appends %llu ms)\n",
      static_cast<unsigned long long>(StatusKilobytes("VmRSS:") / 1024),
      static_cast<unsigned long long>(StatusKilobytes("VmHWM:") / 1024),
      static_cast<unsigned long long>(stats.state_bytes >> 20),
      static_cast<unsigned long long>(stats.snapshots_written),
      static_cast<unsigned long long>(stats.snapshot_pause_ms_max));
  Clock::time_point closing = Clock::now();
  ledger.reset();
  std::printf("close (final snapshot, index flush): %.2f s\n", Seconds(closing));
  ledger = TimedOpen(path, options);
  if (options.keep)
    std::printf("kept: %s (time a reopen with --reopen=%s)\n", path.c_str(), path.c_str());
  return run.rejected == 0 ? 0 : 1;
}

/// Commands that each name a random order of the kept ledger: a transaction of one minor unit
/// (refused when the order is fully committed, as most are), which loads the order from the
/// log first unless it is in memory. The platform is drawn from the caller's two, so about
/// half name an order that is not on it: those cost a lookup of a stream that does not exist.
void ColdTouches(Ledger& ledger, const Options& options) {
  const std::uint64_t per_caller = options.scale_orders / options.callers;
  if (per_caller == 0) {
    std::printf("--cold-touches needs the --scale-orders the ledger was written with\n");
    return;
  }
  std::mt19937_64 random(7);
  const LedgerStats before = ledger.Stats();
  const Clock::time_point start = Clock::now();
  std::uint64_t sent = 0;
  while (sent < options.cold_touches) {
    std::vector<CommandRequest> batch;
    for (; batch.size() < 256 && sent < options.cold_touches; ++sent) {
      const int caller = static_cast<int>(random() % options.callers);
      const std::string platform =
          Workload::PlatformId(caller + static_cast<int>(random() % 2) * options.callers);
      const std::string order =
          "o" + std::to_string(caller) + "-" + std::to_string(random() % per_caller);
      CommandRequest request;
      request.principal =
          Principal::ApiKey("key-" + platform, "org", platform, Environment::Production);
      request.command =
          domain::CreateTransaction{platform, order, "probe-" + std::to_string(sent), 1, ""};
      batch.push_back(std::move(request));
    }
    Check(ledger.Execute(std::move(batch)), "cold touches");
  }
  const double seconds = Seconds(start);
  const LedgerStats after = ledger.Stats();
  std::printf(
      "cold touches: %llu commands naming random old orders in %.2f s: %.0f commands/s; "
      "%llu orders loaded from the log (%.0f/s)\n",
      static_cast<unsigned long long>(sent), seconds, static_cast<double>(sent) / seconds,
      static_cast<unsigned long long>(after.orders_loaded - before.orders_loaded),
      static_cast<double>(after.orders_loaded - before.orders_loaded) / seconds);
}

int Reopen(const Options& options) {
  Clock::time_point opening = Clock::now();
  std::unique_ptr<Ledger> ledger = TimedOpen(options.reopen, options);
  // Complete as the open returns only when taken from the INDEX_FILTER file.
  const bool filters_loaded = ledger->log().Stats().index_filters_complete;
  // Without a saved filter file (deleted, or after a crash) the log scans its index for them
  // in the background; until then lookups of new keys read RocksDB.
  for (int waited = 0; !ledger->log().Stats().index_filters_complete && waited < 60'000;
       waited += 10) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!ledger->log().Stats().index_filters_complete) {
    std::printf("index key filters not ready after 60 s (see the log's warnings)\n");
  } else {
    std::printf("index key filters ready %.2f s after opening began (%s), %llu MiB\n",
                Seconds(opening), filters_loaded ? "loaded from INDEX_FILTER" : "rebuilt by a scan",
                static_cast<unsigned long long>(ledger->log().Stats().index_filters_bytes >> 20));
  }
  std::printf("orders in memory %llu, transactions %llu\n",
              static_cast<unsigned long long>(ledger->Stats().hot_orders),
              static_cast<unsigned long long>(ledger->Stats().hot_transactions));
  if (options.cold_touches > 0) ColdTouches(*ledger, options);
  return 0;
}

}  // namespace
}  // namespace ledger::bench

int main(int argc, char** argv) {
  const ledger::bench::Options options = ledger::bench::Parse(argc, argv);
  if (!options.reopen.empty()) return ledger::bench::Reopen(options);
  if (options.scale_orders > 0) return ledger::bench::Scale(options);
  return ledger::bench::Throughput(options);
}
