// The subcommands that are programs of their own: `demo` (fills a fresh server with a
// realistic sample) and `bench` (the load generator).
#pragma once

#include <CLI/CLI.hpp>

#include "ctl.h"

namespace ledger::ctl {

void AddToolCommands(CLI::App& app, Ctl& ctl);

}  // namespace ledger::ctl
