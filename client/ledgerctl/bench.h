// `ledgerctl bench`: the end-to-end load generator. It sets up its own organization,
// platform and API key (as root), then drives `connections` connections, each keeping
// `pipeline` requests of `batch` commands in flight for `duration`, and reports accepted
// events per second and request latency percentiles (p50, p99, p99.9).
//
// Workloads: "realistic" (orders with transactions, authorizations, captures, fees, some
// refunds and failed authorizations: about 5 events per order), "orders" (order creations
// only), "opaque" (root appends of opaque events: the log alone, without the domain).
#pragma once

#include <cstdint>
#include <string>

#include "ctl.h"

namespace ledger::ctl {

struct BenchOptions {
  int connections = 4;
  int pipeline = 8;
  int batch = 256;
  double duration_s = 10;
  double warmup_s = 1;
  std::string workload = "realistic";
};

int RunBench(Ctl& ctl, const BenchOptions& options);

}  // namespace ledger::ctl
