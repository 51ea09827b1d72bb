// Showing events read from the log: one table row each, or one JSON object each with the
// envelope's fields and the payload decoded by its type (events.fbs).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ledger/schema/protocol_generated.h"

namespace ledger::ctl {

nlohmann::json EventJson(const protocol::Event& event);
/// SEQUENCE, RECORDED AT, TYPE, STREAM, VERSION, ACTOR.
std::vector<std::string> EventRow(const protocol::Event& event);
const std::vector<std::string>& EventColumns();

}  // namespace ledger::ctl
