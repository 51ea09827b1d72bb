// Deciding: a pure function of (state, principal, command) to one event or one rejection.
//
// No I/O, no clock, no logging. The checks run in the fixed order of docs/domain.md:
//   1. the command's own fields    2. principal, visibility, permission
//   3. references, uniqueness, consistency    4. state machines    5. money limits
// and the first failing check is the result. Step 6, the caller's expected version of the
// decided event's stream, is checked by the command job (command_job.cc) on the Decision.
// Thread-safety: reads `state` only; the caller keeps it from changing meanwhile.
#pragma once

#include <optional>
#include <string>

#include "domain/state.h"
#include "ledger/engine/domain/commands.h"
#include "ledger/engine/domain/events.h"
#include "ledger/engine/domain/rejection.h"
#include "ledger/engine/types.h"

namespace ledger::domain {

struct Rejection {
  ResultCode code = ResultCode::kAccepted;
  std::string message;
};

struct Decision {
  ResultCode code = ResultCode::kAccepted;
  std::string message;
  /// When accepted: the one event, its stream and the stream's current version (the event
  /// becomes version + 1), and where the event belongs.
  Event event;
  std::string stream;
  StreamVersion current_version;
  schema::Environment environment = schema::Environment::Unspecified;
  std::string organization;
  std::string platform;

  Decision() = default;
  Decision(Rejection rejection)  // NOLINT(google-explicit-constructor)
      : code(rejection.code), message(std::move(rejection.message)) {}
  bool accepted() const { return code == ResultCode::kAccepted; }
};

Decision Decide(const State& state, const Principal& principal, const Command& command);

/// Whether `principal` may learn that an idempotency key was used in the scope of `command`:
/// nullopt when the principal is an active credential that sees the scope's platform or
/// organization; otherwise the rejection Decide() gives such a principal (unknown principal,
/// or the scope not found), which is returned instead of revealing the key's use.
std::optional<Rejection> CheckScopeVisible(const State& state, const Principal& principal,
                                           const Command& command);

}  // namespace ledger::domain
