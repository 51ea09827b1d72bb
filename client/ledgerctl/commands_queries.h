// The subcommands of the read side: every projection query, CSV exports to a file, and
// the projections themselves (rebuild, digest).
#pragma once

#include <CLI/CLI.hpp>

#include "ctl.h"

namespace ledger::ctl {

void AddQueryCommands(CLI::App& app, Ctl& ctl);
void AddProjectionCommands(CLI::App& app, Ctl& ctl);

}  // namespace ledger::ctl
