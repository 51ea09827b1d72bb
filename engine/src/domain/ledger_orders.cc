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

Status Ledger::Impl::HoldOrderNamedBy(StagingBatch& batch, const domain::Command& command) {
  const std::optional<domain::OrderName> order = domain::OrderNamedBy(command);
  // Malformed ids and unknown platforms are refused by Decide; they name no stream.
  if (!order || !domain::IsValidId(order->platform_id) || !domain::IsValidId(order->order_id) ||
      state.FindPlatform(order->platform_id) == nullptr ||
      state.FindOrder(order->platform_id, order->order_id) != nullptr) {
    return Status::Ok();
  }
  Result<StreamVersion> version =
      batch.CurrentVersion(domain::OrderStream(order->platform_id, order->order_id));
  if (!version.ok()) return version.status();
  if (version->value == 0) return Status::Ok();
  // Only an order whose events are all durable leaves memory, so none of its events is in the
  // group being staged, and the log's durable reads hold them all.
  std::unique_lock lock(state_mutex);
  Status loaded = domain::LoadOrder(state, *log, *order, *version);
  if (loaded.ok()) orders_loaded.fetch_add(1, std::memory_order_relaxed);
  return loaded;
}

Status Ledger::Impl::HoldOrderBefore(const domain::Event& event, StreamVersion version) {
  const std::optional<domain::OrderName> order = domain::OrderNamedBy(event);
  if (!order || version.value <= 1 || !domain::IsValidId(order->platform_id) ||
      !domain::IsValidId(order->order_id) ||
      state.FindOrder(order->platform_id, order->order_id) != nullptr) {
    return Status::Ok();
  }
  Status loaded = domain::LoadOrder(state, *log, *order, StreamVersion{version.value - 1});
  if (loaded.ok()) orders_loaded.fetch_add(1, std::memory_order_relaxed);
  return loaded;
}

void Ledger::Impl::EvictColdOrders(SequenceNumber durable) {
  const std::size_t keep = std::max<std::size_t>(options.hot_orders_max, 1);
  if (state.hot.count <= keep) return;
  std::unique_lock lock(state_mutex);
  orders_evicted.fetch_add(domain::EvictColdOrders(state, durable, keep),
                           std::memory_order_relaxed);
}

}  // namespace ledger
