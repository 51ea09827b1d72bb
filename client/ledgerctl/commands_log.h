// The subcommands about the log itself: ping, append (opaque events, root), read, tail,
// verify, stats; and backup (root, commands_backup.cc).
#pragma once

#include <CLI/CLI.hpp>

#include "ctl.h"

namespace ledger::ctl {

void AddLogCommands(CLI::App& app, Ctl& ctl);
void AddBackupCommand(CLI::App& app, Ctl& ctl);

}  // namespace ledger::ctl
