#include "domain/hot_orders.h"

#include <fmt/format.h>

#include <string>
#include <type_traits>
#include <vector>

#include "domain/apply.h"
#include "domain/check.h"
#include "ledger/engine/domain/event_codec.h"

namespace ledger::domain {
namespace {

template <typename Variant>
std::optional<OrderName> OrderIn(const Variant& variant) {
  return std::visit(
      [](const auto& item) -> std::optional<OrderName> {
        if constexpr (requires { item.order_id; }) {
          return OrderName{item.platform_id, item.order_id};
        } else {
          return std::nullopt;
        }
      },
      variant);
}

/// Drops the order in `slot` and its transactions from memory, freeing their slots.
void Forget(State& state, std::uint32_t slot) {
  HotOrders& hot = state.hot;
  OrderState& order = hot.orders[slot];
  for (std::uint32_t t = order.first_transaction; t != kNoTransaction;) {
    TransactionState& transaction = hot.transactions[t];
    const std::uint32_t next = transaction.next;
    transaction = TransactionState{};
    hot.free_transactions.push_back(t);
    t = next;
  }
  LEDGER_CHECK(hot.ids.Erase(order.key));
  order = OrderState{};
  hot.free_orders.push_back(slot);
  --hot.count;
}

/// Folds the stream's versions 1..`through` into the state as replay would: each domain event
/// must be the next of this order; opaque events, written to the stream behind the domain's
/// back by a program using the log alone, are skipped, as replay skips them (the domain's
/// version of the stream then stays behind the log's, and the log refuses the order's next
/// event).
Status FoldStream(State& state, const Log& log, const std::string& stream, StreamVersion through) {
  StreamVersion next{1};
  while (next <= through) {
    Result<std::vector<RecordedEvent>> events =
        log.ReadStream(stream, next, ReadDirection::kForward, through.value - next.value + 1);
    if (!events.ok()) return events.status();
    if (events->empty()) {
      return Status::Corruption(
          fmt::format("order stream '{}' ends before version {}", stream, through.value));
    }
    for (const RecordedEvent& recorded : *events) {
      const std::uint64_t sequence = recorded.sequence().value;
      if (recorded.stream_version() != next) {
        return Status::Corruption(
            fmt::format("event {} is not version {} of stream '{}'", sequence, next.value, stream));
      }
      next = next.Next();
      if (recorded.type() == schema::EventType::Opaque) continue;
      Result<Event> event = DecodeEvent(recorded.type(), recorded.payload());
      if (!event.ok()) {
        return Status::Corruption(fmt::format("event {}: {}", sequence, event.status().message()));
      }
      if (!OrderNamedBy(*event)) {
        return Status::Corruption(
            fmt::format("event {} of order stream '{}' is no order's event", sequence, stream));
      }
      if (Status fits = CheckIsNextOfItsStream(state, recorded, *event); !fits.ok()) return fits;
      ApplyToHotOrder(state, *event, recorded.sequence());
    }
  }
  return Status::Ok();
}

}  // namespace

std::optional<OrderName> OrderNamedBy(const Command& command) { return OrderIn(command); }
std::optional<OrderName> OrderNamedBy(const Event& event) { return OrderIn(event); }

Status LoadOrder(State& state, const Log& log, const OrderName& order, StreamVersion through) {
  LEDGER_CHECK(state.FindOrder(order.platform_id, order.order_id) == nullptr);
  Status folded = FoldStream(state, log, OrderStream(order.platform_id, order.order_id), through);
  if (!folded.ok()) {
    std::uint32_t slot = 0;
    if (state.FindOrder(order.platform_id, order.order_id, &slot) != nullptr) Forget(state, slot);
  }
  return folded;
}

std::size_t EvictColdOrders(State& state, SequenceNumber durable, std::size_t keep) {
  HotOrders& hot = state.hot;
  std::size_t evicted = 0;
  // Two turns of the hand clear every second chance; past that, what is left is not durable.
  const std::size_t steps_max = 2 * hot.orders.size();
  for (std::size_t step = 0; hot.count > keep && step < steps_max; ++step) {
    if (hot.hand >= hot.orders.size()) hot.hand = 0;
    const auto slot = static_cast<std::uint32_t>(hot.hand++);
    OrderState& order = hot.orders[slot];
    if (order.version == 0 || order.last_sequence > durable.value) continue;
    if (order.recently_used) {
      order.recently_used = false;
      continue;
    }
    Forget(state, slot);
    ++evicted;
  }
  return evicted;
}

}  // namespace ledger::domain
