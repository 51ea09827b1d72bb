// Money: ISO 4217 currencies with their minor-unit exponents, and checked int64 arithmetic.
//
// An amount is always an int64 count of minor units (cents for EUR, yen for JPY) next to a
// currency code; there is no floating point anywhere. The currency table holds the active
// ISO 4217 codes that have a minor unit (metals, XDR and the test codes XTS and XXX have none
// and are refused). Thread-safety: immutable data and pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ledger::domain {

/// An ISO 4217 currency: its code and how many decimal places its minor unit has.
struct CurrencyInfo {
  std::string_view code;
  std::uint8_t exponent = 2;
  /// Position in the sorted table; stable for one build of the table (see CurrencyTableDigest).
  std::uint16_t index = 0;
};

/// The currency with this code (three upper-case letters), or nullptr when it is not an
/// active ISO 4217 code with a minor unit.
const CurrencyInfo* FindCurrency(std::string_view code);
/// The currency at `index` (REQUIRES: index < CurrencyCount()).
const CurrencyInfo& CurrencyAt(std::uint16_t index);
std::size_t CurrencyCount();
/// A digest of the whole table: state that stores currency indexes records it, so a build
/// with a different table refuses that state instead of misreading it.
std::uint64_t CurrencyTableDigest();

/// "12.34 EUR", "1500 JPY", "-0.05 EUR"; the raw count and code when the code is unknown.
std::string FormatMoney(std::int64_t amount_minor, std::string_view currency);

/// *out = a + b; false (and *out untouched) when the result does not fit in an int64.
[[nodiscard]] bool CheckedAdd(std::int64_t a, std::int64_t b, std::int64_t* out);
/// *out = a - b; false (and *out untouched) when the result does not fit in an int64.
[[nodiscard]] bool CheckedSubtract(std::int64_t a, std::int64_t b, std::int64_t* out);

}  // namespace ledger::domain
