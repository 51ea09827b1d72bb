// The subcommands of the read side: every projection query, CSV exports to a file, and
// projection rebuilds.
#pragma once

#include <CLI/CLI.hpp>

#include "ctl.h"

namespace ledger::ctl {

void AddQueryCommands(CLI::App& app, Ctl& ctl);

}  // namespace ledger::ctl
