// Value types of the log: sequence numbers, stream versions, hashes and fingerprints.
//
// Sequence numbers and stream versions are distinct strong types because mixing them is a
// bug the compiler should catch. Both start at 1; 0 means "none yet" (an empty log, a stream
// that does not exist). Thread-safety: plain values.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace ledger {

/// Position of an event in the global log: 1, 2, 3... gapless.
struct SequenceNumber {
  std::uint64_t value = 0;
  auto operator<=>(const SequenceNumber&) const = default;
  SequenceNumber Next() const { return SequenceNumber{value + 1}; }
};

/// Position of an event within its stream: 1, 2, 3... gapless per stream.
struct StreamVersion {
  std::uint64_t value = 0;
  auto operator<=>(const StreamVersion&) const = default;
  StreamVersion Next() const { return StreamVersion{value + 1}; }
};

/// A SHA-256 digest: the hash chain links every event to the one before it.
using Hash256 = std::array<std::uint8_t, 32>;

/// XXH3-128 of a command, stored with its idempotency key to tell a retry from a reuse.
using Fingerprint = std::array<std::uint8_t, 16>;

/// Lower-case hexadecimal of any byte array.
std::string ToHex(const std::uint8_t* bytes, std::size_t size);
inline std::string ToHex(const Hash256& hash) { return ToHex(hash.data(), hash.size()); }
/// Parses 64 hexadecimal digits; false when `text` is anything else.
bool ParseHash256(std::string_view text, Hash256* out);

/// A point of the chain an auditor keeps: the sequence and the hash of the event there.
/// Sequence 0 with a zero hash is the genesis, before the first event.
struct ChainPoint {
  SequenceNumber sequence;
  Hash256 hash{};
  bool operator==(const ChainPoint&) const = default;
};

}  // namespace ledger
