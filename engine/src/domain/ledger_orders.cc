// Ledger::Impl's side of keeping only hot orders in memory (hot_orders.h): when an order is
// loaded back from the log, and when orders are evicted.
//
// A command that names an order not in memory is looked up in the log's stream index (the
// group being staged counts, as for every check); a stream that exists is an order that left
// memory, and is loaded before the command is decided. A stream that does not exist is an
// order that never existed, which Decide then refuses or creates. The index answers a new
// order's lookup from its key filters without reading the disk, so creating orders costs one
// filter probe each; only a cold order costs reads of its events.
#include <fmt/format.h>

#include <algorithm>
#include <mutex>

#include "domain/hot_orders.h"
#include "domain/ledger_impl.h"

namespace ledger {
namespace {

/// `named`, when it is well-formed and not in memory: an order to look for in the log.
/// Malformed ids are refused by Decide (or were never recorded); they name no stream.
std::optional<domain::OrderName> NotHeld(const domain::State& state,
                                         std::optional<domain::OrderName> named) {
  if (!named || !domain::IsValidId(named->platform_id) || !domain::IsValidId(named->order_id) ||
      state.FindOrder(named->platform_id, named->order_id) != nullptr) {
    return std::nullopt;
  }
  return named;
}

/// Loads versions 1..`through` of the order's stream into the state, under its lock.
Status Load(Ledger::Impl& impl, const domain::OrderName& order, StreamVersion through) {
  std::unique_lock lock(impl.state_mutex);
  Status loaded = domain::LoadOrder(impl.state, *impl.log, order, through);
  if (loaded.ok()) impl.orders_loaded.fetch_add(1, std::memory_order_relaxed);
  return loaded;
}

}  // namespace

Status Ledger::Impl::HoldOrderNamedBy(StagingBatch& batch, const domain::Command& command) {
  const std::optional<domain::OrderName> order = NotHeld(state, domain::OrderNamedBy(command));
  // An unknown platform is refused by Decide too.
  if (!order || state.FindPlatform(order->platform_id) == nullptr) return Status::Ok();
  Result<StreamVersion> version =
      batch.CurrentVersion(domain::OrderStream(order->platform_id, order->order_id));
  if (!version.ok()) return version.status();
  if (version->value == 0) return Status::Ok();
  // Only an order whose events are all durable leaves memory, so none of its events is in the
  // group being staged, and the log's durable reads hold them all.
  return Load(*this, *order, *version);
}

Status Ledger::Impl::HoldOrderBefore(const domain::Event& event, StreamVersion version) {
  const std::optional<domain::OrderName> order = NotHeld(state, domain::OrderNamedBy(event));
  if (!order || version.value <= 1) return Status::Ok();
  return Load(*this, *order, StreamVersion{version.value - 1});
}

void Ledger::Impl::EvictColdOrders(SequenceNumber durable) {
  const std::size_t keep = std::max<std::size_t>(options.hot_orders_max, 1);
  if (state.hot.count <= keep) return;
  std::unique_lock lock(state_mutex);
  orders_evicted.fetch_add(domain::EvictColdOrders(state, durable, keep),
                           std::memory_order_relaxed);
}

}  // namespace ledger
