// Projections equal a rebuild: opens a stopped (or killed) ledgerd's data directory in
// process, lets its views resume from their own checkpoints up to the head, and compares
// their canonical digest with views built from sequence 0 in a scratch directory.
#pragma once

#include <string>

namespace ledger::reliability {

/// "" when the digests agree; otherwise what differs. `scratch` must not exist yet.
std::string CheckViewsEqualRebuild(const std::string& data_directory, const std::string& scratch);

}  // namespace ledger::reliability
