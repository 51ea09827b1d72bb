// `ledgerctl demo`: fills a fresh server with a realistic sample, so that a new user sees
// something at once: two organizations, sandbox and production platforms, a user for each
// role (and a platform admin), API keys, bank accounts, a few thousand orders with their
// transactions and operations (captures, fees, refunds, chargebacks, failures), withdrawals
// settled and failed, and a role change. Everything carries an idempotency key; on a server
// that already holds the sample the demo says so and writes nothing.
#pragma once

#include <string>

#include "ctl.h"

namespace ledger::ctl {

struct DemoOptions {
  int orders = 3000;
  /// Where to write "<id>.credential" files; empty: print the credentials instead.
  std::string credentials_directory;
};

int RunDemo(Ctl& ctl, const DemoOptions& options);

/// One platform of the sample and the commands its payment processing records.
struct DemoPlatform {
  std::string organization;
  std::string id;
  std::string name;
  schema::Environment environment = schema::Environment::Sandbox;
  /// Share of the orders, percent.
  int weight = 10;
  /// EUR the wallet holds once the orders are recorded (what withdrawals may take).
  std::int64_t available_eur = 0;
};

/// The order lifecycles of one platform: creations first (`creations`), then transactions and
/// operations (`executions`), so that each phase can go through its own connections.
struct DemoOrders {
  std::vector<client::CommandBuilder> creations;
  std::vector<client::CommandBuilder> executions;
  int orders = 0;
};

/// Deterministic for a given platform and count (a fixed seed), so a rerun sends the same.
DemoOrders MakeDemoOrders(DemoPlatform& platform, int count);

}  // namespace ledger::ctl
