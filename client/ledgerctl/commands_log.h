// The subcommands about the log itself: ping, append (opaque events, root), read, tail,
// verify, stats.
#pragma once

#include <CLI/CLI.hpp>

#include "ctl.h"

namespace ledger::ctl {

void AddLogCommands(CLI::App& app, Ctl& ctl);

}  // namespace ledger::ctl
