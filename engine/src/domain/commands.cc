// Command names, idempotency scopes and fingerprints.
//
// Canonical encoding fed to XXH3-128 (every integer little-endian, as the machine stores it;
// the ledger only runs on little-endian hosts):
//   fingerprint := u64(variant index) principal field*
//   principal   := u64(kind) text(id) text(organization) text(platform)
//                  u64(key_environment) u64(environment)
//   field       := text(name) value
//   value       := text(string) | u64(integer, enum or bool) | hash[32]
//                | u64(count) text(string)*                          (lists)
//   text(s)     := u64(size) bytes
// AddBankAccount's account_number enters as MaskAccountNumber of it (as recorded).
#include "ledger/engine/domain/commands.h"

#include <xxhash.h>

#include <bit>
#include <cstring>

#include "ledger/limits.h"

namespace ledger::domain {
namespace {

static_assert(std::endian::native == std::endian::little,
              "fingerprints are defined over little-endian integers");

class Hasher {
 public:
  Hasher() : state_(XXH3_createState()) { XXH3_128bits_reset(state_); }
  ~Hasher() { XXH3_freeState(state_); }
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;

  void Number(std::uint64_t value) { XXH3_128bits_update(state_, &value, sizeof value); }
  void Text(std::string_view text) {
    Number(text.size());
    XXH3_128bits_update(state_, text.data(), text.size());
  }
  void Field(std::string_view, const std::string& value) { Text(value); }
  void Field(std::string_view, const Hash256& value) {
    XXH3_128bits_update(state_, value.data(), value.size());
  }
  void Field(std::string_view, const std::vector<std::string>& values) {
    Number(values.size());
    for (const std::string& value : values) Text(value);
  }
  template <typename T>
  requires std::is_integral_v<T> || std::is_enum_v<T>
  void Field(std::string_view, T value) { Number(static_cast<std::uint64_t>(value)); }

  Fingerprint Finish() {
    XXH128_canonical_t canonical;
    XXH128_canonicalFromHash(&canonical, XXH3_128bits_digest(state_));
    Fingerprint fingerprint;
    std::memcpy(fingerprint.data(), canonical.digest, fingerprint.size());
    return fingerprint;
  }

 private:
  XXH3_state_t* state_;
};

}  // namespace

bool IsValidId(std::string_view id) {
  if (id.empty() || id.size() > limits::kIdBytesMax) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string MaskAccountNumber(std::string_view number) {
  if (number.size() <= kAccountNumberDigitsShown) return std::string(number);
  std::string masked(number.size() - kAccountNumberDigitsShown, '*');
  masked.append(number.substr(number.size() - kAccountNumberDigitsShown));
  return masked;
}

std::string_view CommandName(const Command& command) {
  return std::visit([](const auto& c) { return std::decay_t<decltype(c)>::kName; }, command);
}

std::string_view IdempotencyScopeOf(const Command& command) {
  return std::visit(
      [](const auto& c) -> std::string_view {
        using C = std::decay_t<decltype(c)>;
        if constexpr (requires { c.platform_id; } && !std::is_same_v<C, CreatePlatform>) {
          return c.platform_id;
        } else if constexpr (requires { c.organization_id; }) {
          return c.organization_id;
        } else {
          return std::string_view();
        }
      },
      command);
}

Fingerprint FingerprintOf(const Principal& principal, const Command& command) {
  Hasher hasher;
  hasher.Number(command.index());
  hasher.Number(static_cast<std::uint64_t>(principal.kind));
  hasher.Text(principal.id);
  hasher.Text(principal.organization);
  hasher.Text(principal.platform);
  hasher.Number(static_cast<std::uint64_t>(principal.key_environment));
  hasher.Number(static_cast<std::uint64_t>(principal.environment));
  auto hash_fields = [&hasher](const auto& c) {
    ForEachField(c, [&hasher](std::string_view name, const auto& value) {
      hasher.Text(name);
      hasher.Field(name, value);
    });
  };
  std::visit(
      [&hash_fields](const auto& c) {
        if constexpr (std::is_same_v<std::decay_t<decltype(c)>, AddBankAccount>) {
          // The ledger records only the masked number; a fingerprint of the full one, kept
          // with the key, would let anyone holding the data files test guessed numbers.
          AddBankAccount recorded = c;
          recorded.account_number = MaskAccountNumber(c.account_number);
          hash_fields(recorded);
        } else {
          hash_fields(c);
        }
      },
      command);
  return hasher.Finish();
}

}  // namespace ledger::domain
