// Deciding: a function of (state, claims, principal, command) to one event or one rejection.
//
// No clock, no logging, no I/O of its own: the one fact it reads outside the state, whether
// a transaction or operation id is taken, it asks of Claims, which the log answers
// (docs/domain.md §10); an order a command names is in the state if it exists (the command
// job loads it first, hot_orders.h). The
// checks run in the fixed order of docs/domain.md:
//   1. the command's own fields    2. principal, visibility, permission
//   3. references, uniqueness, consistency    4. state machines    5. money limits
// and the first failing check is the result. Step 6, the caller's expected version of the
// decided event's stream, is checked by the command job (command_job.cc) on the Decision.
// Thread-safety: reads `state` only; the caller keeps it from changing meanwhile.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/state.h"
#include "ledger/engine/domain/commands.h"
#include "ledger/engine/domain/events.h"
#include "ledger/engine/domain/rejection.h"
#include "ledger/engine/types.h"

namespace ledger::domain {

/// Keys unique across the log that events claim (EventDraft::claim), for the ids the state
/// does not keep: each transaction id is claimed, as TransactionClaim(platform, id), by the
/// event that creates it, and each operation id, as OperationClaim(platform, id), by the event
/// that records it. The command job answers from the log, where a lookup may fail: it then
/// answers true and fails the group, so the command is never accepted on a guess.
class Claims {
 public:
  virtual ~Claims() = default;
  virtual bool Taken(std::string_view claim) const = 0;
};

/// "op/<platform id>/<operation id>" (ids hold no '/', so distinct pairs give distinct claims).
std::string OperationClaim(std::string_view platform_id, std::string_view operation_id);
/// "tx/<platform id>/<transaction id>".
std::string TransactionClaim(std::string_view platform_id, std::string_view transaction_id);

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
  /// The key the event claims in the log (TransactionClaim or OperationClaim), empty when
  /// none.
  std::string claim;

  Decision() = default;
  Decision(Rejection rejection)  // NOLINT(google-explicit-constructor)
      : code(rejection.code), message(std::move(rejection.message)) {}
  bool accepted() const { return code == ResultCode::kAccepted; }
};

Decision Decide(const State& state, const Claims& claims, const Principal& principal,
                const Command& command);

/// Whether `principal` may learn that an idempotency key was used in the scope of `command`:
/// nullopt when the principal is an active credential that sees the scope's platform or
/// organization; otherwise the rejection Decide() gives such a principal (unknown principal,
/// or the scope not found), which is returned instead of revealing the key's use.
std::optional<Rejection> CheckScopeVisible(const State& state, const Principal& principal,
                                           const Command& command);

}  // namespace ledger::domain
