// Keeping only hot orders in memory: loading an order back from its stream in the log, and
// evicting orders not used lately once their events are durable.
//
// An order's records (its amounts, status, version and transactions) are a function of its
// stream, so an order that leaves memory loses nothing: the next command or replayed event
// that names it loads the stream and folds it in again (ApplyToHotOrder), and the rules then
// see exactly the order they would have seen had it stayed. Its money is not reloaded: the
// wallets hold it all along. Ids stay unique without the evicted records: an order's id is
// taken while its stream exists, a transaction's or operation's while its claim is held.
//
// Eviction is a second-chance (CLOCK) sweep over the order slots: an order used since the
// hand last passed keeps its place once. Only an order whose last event is durable leaves,
// so loading reads durable events only, never the group being staged.
// Thread-safety: mutates `state`; the caller holds it exclusively.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "domain/state.h"
#include "ledger/engine/domain/commands.h"
#include "ledger/engine/domain/events.h"
#include "ledger/engine/log.h"

namespace ledger::domain {

struct OrderName {
  std::string_view platform_id;
  std::string_view order_id;
};

/// The order a payment command names (create or cancel an order, create a transaction,
/// record an operation), or nullopt.
std::optional<OrderName> OrderNamedBy(const Command& command);
/// The order whose stream the event belongs to, or nullopt.
std::optional<OrderName> OrderNamedBy(const Event& event);

/// Loads versions 1..`through` of the order's stream from `log` into the state's hot orders.
/// REQUIRES: the order is not held; those versions are durable. On an error (a read failed,
/// or the stream is not an order's history) the state holds nothing of the order.
Status LoadOrder(State& state, const Log& log, const OrderName& order, StreamVersion through);

/// Evicts orders, least recently used first (second chance), until at most `keep` are held
/// or none is left whose last event is at or before `durable`. Returns how many left.
std::size_t EvictColdOrders(State& state, SequenceNumber durable, std::size_t keep);

}  // namespace ledger::domain
