// The subcommands of the read side: every projection query, CSV exports to a file, and
// the projections themselves (rebuild, digest).
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "ctl.h"

namespace ledger::ctl {

void AddQueryCommands(CLI::App& app, Ctl& ctl);
/// `ledgerctl export` (commands_export.cc).
void AddExportCommands(CLI::App& app, Ctl& ctl);

/// Microseconds since the epoch from "2025-11-21", "2025-11-21T13:00:00Z",
/// "2025-11-21T13:00:00.123456Z" (as ledgerctl prints times) or a number of microseconds;
/// nullopt for anything else. Empty is 0: not given.
std::optional<std::int64_t> ParseTime(const std::string& text);
/// Refuses, as a usage error, a time ParseTime cannot read.
extern const CLI::Validator kTimeText;
void AddProjectionCommands(CLI::App& app, Ctl& ctl);

}  // namespace ledger::ctl
