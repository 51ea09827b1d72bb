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
#include "ledger/engine/recorded_event.h"
#include "ledger/engine/status.h"

namespace ledger::domain {

/// The version the event's stream has in `state` (0 when its aggregate does not exist yet),
/// or an error when the event names aggregates the state does not hold (a log this state
/// was not built from).
Result<StreamVersion> CurrentVersionOf(const State& state, const Event& event);

/// Whether `event`, as `recorded` in the log, is the next event of its stream as the state
/// knows it (the domain's stream for it, at the state's version plus one): what replay and
/// loading an order check before they apply an event. A Corruption naming the event if not.
Status CheckIsNextOfItsStream(const State& state, const RecordedEvent& recorded,
                              const Event& event);

/// Folds the event recorded at `sequence` into the state.
/// REQUIRES: CurrentVersionOf(state, event) succeeded; `event` was accepted by Decide().
void Apply(State& state, const Event& event, SequenceNumber sequence);

/// Folds an event of an order's stream into that order's own records only, leaving the
/// wallets alone: for an order loaded back from the log, whose money the wallets already hold
/// (hot_orders.h). REQUIRES: `event` is an order event; the order's earlier events were
/// folded in the same way, in order.
void ApplyToHotOrder(State& state, const Event& event, SequenceNumber sequence);

}  // namespace ledger::domain
