#include "ledger/engine/domain/money.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <limits>

#include "ledger/currencies.h"

namespace ledger::domain {
namespace {

constexpr bool IsSorted() {
  for (std::size_t i = 1; i < kCurrencies.size(); ++i) {
    if (!(kCurrencies[i - 1].code < kCurrencies[i].code)) return false;
  }
  return true;
}
static_assert(IsSorted(), "the currency table must be sorted by code");
static_assert(kCurrencies.size() < std::numeric_limits<std::uint16_t>::max());

const std::array<CurrencyInfo, kCurrencies.size()>& Table() {
  static const auto table = [] {
    std::array<CurrencyInfo, kCurrencies.size()> built{};
    for (std::size_t i = 0; i < kCurrencies.size(); ++i) {
      built[i] =
          CurrencyInfo{kCurrencies[i].code, kCurrencies[i].exponent, static_cast<std::uint16_t>(i)};
    }
    return built;
  }();
  return table;
}

}  // namespace

const CurrencyInfo* FindCurrency(std::string_view code) {
  const auto& table = Table();
  auto it = std::lower_bound(table.begin(), table.end(), code,
                             [](const CurrencyInfo& c, std::string_view k) { return c.code < k; });
  if (it == table.end() || it->code != code) return nullptr;
  return &*it;
}

const CurrencyInfo& CurrencyAt(std::uint16_t index) {
  assert(index < Table().size());
  return Table()[index];
}

std::size_t CurrencyCount() { return Table().size(); }

std::uint64_t CurrencyTableDigest() {
  std::string all;
  for (const Currency& entry : kCurrencies) {
    all.append(entry.code);
    all.push_back(static_cast<char>('0' + entry.exponent));
  }
  return XXH3_64bits(all.data(), all.size());
}

std::string FormatMoney(std::int64_t amount_minor, std::string_view currency) {
  const CurrencyInfo* info = FindCurrency(currency);
  if (info == nullptr) return fmt::format("{} {}", amount_minor, currency);
  if (info->exponent == 0) return fmt::format("{} {}", amount_minor, currency);
  std::uint64_t divisor = 1;
  for (int i = 0; i < info->exponent; ++i) divisor *= 10;
  // Magnitude as unsigned, so INT64_MIN formats without overflow.
  std::uint64_t magnitude = amount_minor < 0 ? 0 - static_cast<std::uint64_t>(amount_minor)
                                             : static_cast<std::uint64_t>(amount_minor);
  return fmt::format("{}{}.{:0{}} {}", amount_minor < 0 ? "-" : "", magnitude / divisor,
                     magnitude % divisor, info->exponent, currency);
}

bool CheckedAdd(std::int64_t a, std::int64_t b, std::int64_t* out) {
  std::int64_t result;
  if (__builtin_add_overflow(a, b, &result)) return false;
  *out = result;
  return true;
}

bool CheckedSubtract(std::int64_t a, std::int64_t b, std::int64_t* out) {
  std::int64_t result;
  if (__builtin_sub_overflow(a, b, &result)) return false;
  *out = result;
  return true;
}

}  // namespace ledger::domain
