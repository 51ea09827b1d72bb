// What a caller asks the log to append, and what it gets back for each append.
//
// A command is one or more events that are written together or not at all, under one
// optional idempotency key. A plain append is a command of one event. Each command in a
// batch succeeds or fails on its own; the successful ones of a batch become durable together.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/engine/types.h"
#include "ledger/schema/common_generated.h"

namespace ledger {

/// Optimistic concurrency: what the stream's current version must be for the append to go in.
class ExpectedVersion {
 public:
  enum class Kind : std::uint8_t { kAny, kNoStream, kExact };

  static ExpectedVersion Any() { return ExpectedVersion(Kind::kAny, StreamVersion{}); }
  static ExpectedVersion NoStream() { return ExpectedVersion(Kind::kNoStream, StreamVersion{}); }
  static ExpectedVersion Exact(StreamVersion v) { return ExpectedVersion(Kind::kExact, v); }

  Kind kind() const { return kind_; }
  StreamVersion version() const { return version_; }
  /// True when a stream whose last version is `current` (0: no stream) satisfies this.
  bool IsSatisfiedBy(StreamVersion current) const;
  /// nullopt when `current` satisfies this; otherwise the rejection's sentence, naming the
  /// stream, its version and the expected one. The log and the domain both say it this way.
  std::optional<std::string> Violation(std::string_view stream, StreamVersion current) const;
  /// "any version", "no stream", "version 3".
  std::string Describe() const;

 private:
  ExpectedVersion(Kind kind, StreamVersion version) : kind_(kind), version_(version) {}
  Kind kind_;
  StreamVersion version_;
};

/// Who caused a command and where it belongs; copied into every event of the command.
struct EventMetadata {
  std::string actor;
  schema::Environment environment = schema::Environment::Unspecified;
  std::string organization;
  std::string platform;
  std::string correlation_id;
  std::string causation_id;
};

/// One event of a command, before the log gives it a sequence and a hash.
struct EventDraft {
  std::string stream;
  ExpectedVersion expected = ExpectedVersion::Any();
  schema::EventType type = schema::EventType::Opaque;
  std::string payload;
  /// Empty, or a key this event takes for good: the log refuses the command (kClaimTaken)
  /// when an earlier event, or an earlier event of the same command, holds it. At most
  /// limits::kClaimBytesMax bytes with no zero byte.
  std::string claim;
};

/// One append of one event: the log-level form of a command.
struct AppendRequest {
  EventDraft event;
  EventMetadata metadata;
  /// The idempotency key's scope (normally the platform id; empty: ledger-wide).
  std::string idempotency_scope;
  /// Empty: no idempotency. Otherwise a retry with the same command returns the original.
  std::string idempotency_key;
};

enum class AppendCode : std::uint8_t {
  kAppended = 0,
  /// The idempotency key was seen with the same command: the original result, nothing written.
  kDuplicate,
  kWrongExpectedVersion,
  kIdempotencyKeyReusedWithDifferentCommand,
  kInvalidArgument,
  /// An event claims a key an earlier event holds (EventDraft::claim): nothing written.
  kClaimTaken,
};

std::string_view AppendCodeName(AppendCode code);

/// The result of one command. For kAppended and kDuplicate, `first_sequence` and
/// `first_version` are those of the command's first event, and its events are consecutive.
/// For kClaimTaken, `first_sequence` is the event holding the claim (0 when it is an event of
/// the same command).
struct AppendResult {
  AppendCode code = AppendCode::kAppended;
  SequenceNumber first_sequence;
  StreamVersion first_version;
  std::uint32_t event_count = 0;
  /// For rejections: a sentence saying which rule and which values.
  std::string message;

  bool ok() const { return code == AppendCode::kAppended || code == AppendCode::kDuplicate; }
};

/// XXH3-128 of everything that defines an append (not the time it is recorded).
Fingerprint FingerprintOf(const AppendRequest& request);

/// Why `key` cannot be an idempotency key (longer than limits::kIdempotencyKeyBytesMax, or
/// holding a zero byte), or nullopt when it can. The log and the domain both ask.
std::optional<std::string> IdempotencyKeyProblem(std::string_view key);

}  // namespace ledger
