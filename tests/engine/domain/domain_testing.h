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

}  // namespace ledger::testing
