// Helpers for the domain tests: a ledger in a directory with a quiet logger, a clock that
// ticks one microsecond per call and asynchronous durability (a test needs no power-loss
// guarantee, and fsyncs would dominate its run time).
#pragma once

#include <memory>
#include <string>

#include "ledger/engine/ledger.h"

namespace ledger::testing {

LedgerOptions TestLedgerOptions(const std::string& path);
/// Opens (creating) the ledger at `path`; fails the current test and returns nullptr on error.
std::unique_ptr<Ledger> OpenTestLedger(const LedgerOptions& options);
inline std::unique_ptr<Ledger> OpenTestLedger(const std::string& path) {
  return OpenTestLedger(TestLedgerOptions(path));
}

/// The principals the ledger tests act as: root, and the API key "k" of platform "shop" of
/// organization "acme" (sandbox).
inline const domain::Principal kTestRoot = domain::Principal::Root();
inline const domain::Principal kTestKey =
    domain::Principal::ApiKey("k", "acme", "shop", schema::Environment::Sandbox);

/// `command` by `principal`, under idempotency key `key` (none when empty), with fixed
/// correlation and causation ids and any expected version.
inline CommandRequest As(const domain::Principal& principal, domain::Command command,
                         std::string key = {}) {
  return CommandRequest{principal, std::move(command), std::move(key),
                        "corr-1",  "cause-1",          ExpectedVersion::Any()};
}

}  // namespace ledger::testing
