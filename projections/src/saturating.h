// Adding to a figure of the views without leaving the int64 range.
//
// The domain keeps every ledger account's balance within int64 (docs/domain.md §2), but the
// payments views also sum across platforms (an organization's figures) and over all time (a
// platform's captures ever, its orders by status, daily totals): sums no single balance
// bounds. They can pass the range only with amounts near 9.2 × 10^18 minor units, and the
// views go on being built when they do:
// - a figure that moves both ways (available, pending withdrawals, orders by status) is added
//   modulo 2^64, so it is exact whenever its true value is within int64, even after a moment
//   beyond it (an order of 2^63 - 1 opened beside another, then paid);
// - an all-time total only grows: it is held at the int64 maximum once it reaches it.
#pragma once

#include <cstdint>
#include <limits>

namespace ledger::projections::internal {

/// For figures that move both ways: exact whenever the true sum is within int64.
inline void AddModular(std::int64_t& figure, std::int64_t delta) {
  figure = static_cast<std::int64_t>(static_cast<std::uint64_t>(figure) +
                                     static_cast<std::uint64_t>(delta));
}

/// For totals that only grow: held at the bound once they reach it.
inline void AddSaturating(std::int64_t& figure, std::int64_t delta) {
  if (__builtin_add_overflow(figure, delta, &figure)) {
    figure = delta > 0 ? std::numeric_limits<std::int64_t>::max()
                       : std::numeric_limits<std::int64_t>::min();
  }
}

}  // namespace ledger::projections::internal
