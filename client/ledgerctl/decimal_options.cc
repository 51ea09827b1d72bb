#include "decimal_options.h"

#include <charconv>
#include <cstdint>
#include <string>
#include <type_traits>

namespace ledger::ctl {
namespace {

/// The value of `text` written canonically ("010" → "10"), or a CLI::ValidationError.
template <typename Integer>
std::string Canonical(const std::string& text) {
  const bool negative = !text.empty() && text.front() == '-';
  const std::size_t first_digit = negative ? 1 : 0;
  if (negative && std::is_unsigned_v<Integer>) {
    throw CLI::ValidationError(text + " is negative; it must be 0 or more");
  }
  if (text.size() == first_digit ||
      text.find_first_not_of("0123456789", first_digit) != std::string::npos) {
    throw CLI::ValidationError("'" + text + "' is not a decimal integer");
  }
  Integer value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error == std::errc::result_out_of_range || end != text.data() + text.size()) {
    throw CLI::ValidationError(text + " is out of range");
  }
  if (error != std::errc()) throw CLI::ValidationError("'" + text + "' is not a decimal integer");
  return std::to_string(value);
}

}  // namespace

void RequireDecimalIntegers(CLI::App& app) {
  for (CLI::Option* option : app.get_options()) {
    const std::string type = option->get_type_name();
    if (type.rfind("UINT", 0) == 0) {
      option->transform([](std::string text) { return Canonical<std::uint64_t>(text); });
    } else if (type.rfind("INT", 0) == 0) {
      option->transform([](std::string text) { return Canonical<std::int64_t>(text); });
    }
  }
  for (CLI::App* subcommand : app.get_subcommands([](CLI::App*) { return true; })) {
    RequireDecimalIntegers(*subcommand);
  }
}

}  // namespace ledger::ctl
