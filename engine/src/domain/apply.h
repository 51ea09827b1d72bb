// Applying: the only way the domain state changes, for live writes and replay alike.
//
// Apply() takes an event that Decide() accepted (now, or when it was first recorded) and
// folds it into the state. Money moves only through the event's postings (postings.h), so
// a wallet's balance is always the sum of its postings. The money invariants of state.h are
// checked after every event with LEDGER_CHECK, in release builds too.
// Thread-safety: mutates `state`; the caller holds it exclusively.
#pragma once

#include "domain/state.h"
#include "ledger/engine/domain/events.h"
#include "ledger/engine/status.h"

namespace ledger::domain {

/// The version the event's stream has in `state` (0 when its aggregate does not exist yet),
/// or an error when the event names aggregates the state does not hold (a log this state
/// was not built from).
Result<StreamVersion> CurrentVersionOf(const State& state, const Event& event);

/// REQUIRES: CurrentVersionOf(state, event) succeeded; `event` was accepted by Decide().
void Apply(State& state, const Event& event);

}  // namespace ledger::domain
