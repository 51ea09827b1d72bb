// "host:port" and "[IPv6 address]:port", read the same way by ledgerd's --listen and
// ledgerctl's --server.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ledger {

struct HostPort {
  /// Without the brackets of "[::1]:7400".
  std::string host;
  std::uint16_t port = 0;
  /// The host was written in brackets (the way to name an IPv6 address unambiguously).
  bool bracketed = false;
};

/// Splits `text` at its last colon. The host must not be empty; the port is a decimal number
/// from 0 to 65535. nullopt for anything else.
inline std::optional<HostPort> ParseHostPort(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  HostPort parsed;
  std::string_view host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
    parsed.bracketed = true;
  }
  if (host.empty()) return std::nullopt;
  const std::string_view digits = text.substr(colon + 1);
  const auto [end, error] =
      std::from_chars(digits.data(), digits.data() + digits.size(), parsed.port);
  if (digits.empty() || error != std::errc() || end != digits.data() + digits.size()) {
    return std::nullopt;
  }
  parsed.host = std::string(host);
  return parsed;
}

}  // namespace ledger
