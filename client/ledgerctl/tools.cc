#include "tools.h"

#include <memory>

#include "bench.h"
#include "demo.h"
#include "ledger/limits.h"

namespace ledger::ctl {

void AddToolCommands(CLI::App& app, Ctl& ctl) {
  auto bench = std::make_shared<BenchOptions>();
  auto* b = app.add_subcommand("bench", "load generator: events/s and latency percentiles");
  b->add_option("--connections", bench->connections, "connections (default 4)")
      ->check(CLI::Range(1, 1024));
  b->add_option("--pipeline", bench->pipeline, "requests in flight per connection (default 8)")
      ->check(CLI::Range(1, static_cast<int>(limits::kRequestsInFlightMax)));
  b->add_option("--batch", bench->batch, "commands per request (default 256)")
      ->check(CLI::Range(1, static_cast<int>(limits::kBatchCommandsMax)));
  b->add_option("--duration", bench->duration_s, "measured seconds (default 10)")
      ->check(CLI::Range(0.1, 86400.0));
  b->add_option("--warmup", bench->warmup_s, "unmeasured seconds first (default 1)")
      ->check(CLI::Range(0.0, 3600.0));
  b->add_option("--workload", bench->workload, "realistic (default), orders or opaque")
      ->check(CLI::IsMember({"realistic", "orders", "opaque"}));
  b->callback([&ctl, bench] { ctl.action = [bench](Ctl& c) { return RunBench(c, *bench); }; });

  auto demo = std::make_shared<DemoOptions>();
  auto* d = app.add_subcommand("demo", "fill a fresh server with a realistic sample (root)");
  d->add_option("--orders", demo->orders, "orders in all (default 3000)")
      ->check(CLI::Range(0, 1'000'000));
  d->add_option("--save-credentials", demo->credentials_directory,
                "write each user's and key's credential to DIR/<id>.credential (0600)");
  d->callback([&ctl, demo] { ctl.action = [demo](Ctl& c) { return RunDemo(c, *demo); }; });
}

}  // namespace ledger::ctl
