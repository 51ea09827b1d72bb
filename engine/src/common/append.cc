#include "ledger/engine/append.h"

#define XXH_STATIC_LINKING_ONLY  // XXH3_state_t on the stack: no allocation per command.
#include <fmt/format.h>
#include <xxhash.h>

#include <chrono>
#include <cstring>

#include "ledger/engine/log.h"
#include "ledger/limits.h"

namespace ledger {

bool ExpectedVersion::IsSatisfiedBy(StreamVersion current) const {
  switch (kind_) {
    case Kind::kAny:
      return true;
    case Kind::kNoStream:
      return current.value == 0;
    case Kind::kExact:
      return current == version_;
  }
  return false;
}

std::optional<std::string> ExpectedVersion::Violation(std::string_view stream,
                                                      StreamVersion current) const {
  if (IsSatisfiedBy(current)) return std::nullopt;
  return fmt::format("stream '{}' is at version {}, expected {}", stream, current.value,
                     Describe());
}

std::string ExpectedVersion::Describe() const {
  switch (kind_) {
    case Kind::kAny:
      return "any version";
    case Kind::kNoStream:
      return "no stream";
    case Kind::kExact:
      return fmt::format("version {}", version_.value);
  }
  return "?";
}

std::string_view AppendCodeName(AppendCode code) {
  switch (code) {
    case AppendCode::kAppended:
      return "appended";
    case AppendCode::kDuplicate:
      return "duplicate";
    case AppendCode::kWrongExpectedVersion:
      return "wrong_expected_version";
    case AppendCode::kIdempotencyKeyReusedWithDifferentCommand:
      return "idempotency_key_reused_with_different_command";
    case AppendCode::kInvalidArgument:
      return "invalid_argument";
    case AppendCode::kClaimTaken:
      return "claim_taken";
  }
  return "unknown";
}

namespace {

/// Feeds a length-prefixed field, so ("ab", "c") and ("a", "bc") hash differently.
void Feed(XXH3_state_t* state, std::string_view field) {
  std::uint64_t size = field.size();
  XXH3_128bits_update(state, &size, sizeof size);
  XXH3_128bits_update(state, field.data(), field.size());
}

}  // namespace

Fingerprint FingerprintOf(const AppendRequest& request) {
  XXH3_state_t state_storage;
  XXH3_state_t* state = &state_storage;
  XXH3_INITSTATE(state);
  XXH3_128bits_reset(state);
  const EventDraft& event = request.event;
  const EventMetadata& m = request.metadata;
  Feed(state, event.stream);
  std::uint64_t numbers[] = {static_cast<std::uint64_t>(event.expected.kind()),
                             event.expected.version().value, static_cast<std::uint64_t>(event.type),
                             static_cast<std::uint64_t>(m.environment)};
  XXH3_128bits_update(state, numbers, sizeof numbers);
  for (std::string_view field :
       {std::string_view(event.payload), std::string_view(event.claim), std::string_view(m.actor),
        std::string_view(m.organization), std::string_view(m.platform),
        std::string_view(m.correlation_id), std::string_view(m.causation_id)}) {
    Feed(state, field);
  }
  XXH128_hash_t hash = XXH3_128bits_digest(state);
  XXH128_canonical_t canonical;
  XXH128_canonicalFromHash(&canonical, hash);
  Fingerprint fingerprint;
  std::memcpy(fingerprint.data(), canonical.digest, fingerprint.size());
  return fingerprint;
}

std::int64_t SystemClockMicros() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

std::optional<std::string> IdempotencyKeyProblem(std::string_view key) {
  if (key.size() <= limits::kIdempotencyKeyBytesMax && key.find('\0') == std::string_view::npos) {
    return std::nullopt;
  }
  return fmt::format("idempotency key is {} bytes; it must be at most {} bytes with no zero byte",
                     key.size(), limits::kIdempotencyKeyBytesMax);
}

}  // namespace ledger
