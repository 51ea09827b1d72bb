// The subcommands that send domain commands: organizations, platforms, users, roles, API
// keys, user tokens, bank accounts, orders, transactions, operations, withdrawals.
#pragma once

#include <CLI/CLI.hpp>

#include "ctl.h"

namespace ledger::ctl {

void AddDirectoryCommands(CLI::App& app, Ctl& ctl);
void AddPaymentCommands(CLI::App& app, Ctl& ctl);

}  // namespace ledger::ctl
