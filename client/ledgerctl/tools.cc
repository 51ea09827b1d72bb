#include "tools.h"

namespace ledger::ctl {

void AddToolCommands(CLI::App&, Ctl&) {}

}  // namespace ledger::ctl
