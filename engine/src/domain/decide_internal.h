// Shared pieces of Decide(): field checks (step 1), the principal's access (step 2), and
// how an accepted decision is built. One DecideOne overload per command, grouped by area in
// decide_directory.cc, decide_payments.cc and decide_wallet.cc.
// Thread-safety: reads the state only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/decide.h"
#include "domain/state.h"
#include "ledger/engine/domain/permissions.h"

namespace ledger::domain::internal {

Rejection Reject(ResultCode code, std::string message);

// ---- Step 1: the command's own fields -----------------------------------------------------
std::optional<Rejection> CheckId(std::string_view what, std::string_view id);
std::optional<Rejection> CheckText(std::string_view what, std::string_view text);
std::optional<Rejection> CheckAmount(std::int64_t amount_minor);
/// Sets *index to the currency's index when the code is known.
std::optional<Rejection> CheckCurrency(std::string_view code, std::uint16_t* index);

// ---- Step 2: who acts, on what they can see, with which permission --------------------------
class Access {
 public:
  Access(const State& state, const Principal& principal) : state_(state), principal_(principal) {}

  const Principal& principal() const { return principal_; }

  /// kPrincipalIsUnknown unless root, a registered user, or an active API key whose recorded
  /// organization, platform and environment are the ones the principal claims.
  std::optional<Rejection> CheckPrincipal() const;
  /// kOrganizationNotFound when it does not exist or the principal cannot see it.
  std::optional<Rejection> ResolveOrganization(std::string_view id,
                                               const OrganizationState** out) const;
  /// kPlatformNotFound when it does not exist or is in an organization or environment the
  /// principal cannot see.
  std::optional<Rejection> ResolvePlatform(std::string_view id, const PlatformState** out) const;
  /// kActionIsNotPermitted unless Allowed() on the organization-level target.
  std::optional<Rejection> Require(Action action, const OrganizationState& organization,
                                   schema::Environment environment) const;
  /// kActionIsNotPermitted unless Allowed() on the platform.
  std::optional<Rejection> Require(Action action, const PlatformState& platform) const;
  /// Root, or an organization admin of an organization where `user` holds a role.
  bool ManagesUser(const UserState& user) const;
  /// Root, or a user who is an organization admin somewhere.
  bool IsAnyOrganizationAdmin() const;

 private:
  const RoleGrant* GrantIn(const OrganizationState& organization) const;
  bool Sees(const OrganizationState& organization) const;

  const State& state_;
  const Principal& principal_;
};

// ---- Step 5, last: the ledger accounts ---------------------------------------------------
/// kBalanceWouldOverflow when a posting of `event` would take one of the platform's ledger
/// accounts (postings.h) past the int64 range; `what` names the act in the message.
std::optional<Rejection> CheckPostingsFit(const State& state, const Event& event,
                                          std::uint32_t platform, std::uint16_t currency,
                                          std::string_view what);

// ---- Accepting ----------------------------------------------------------------------------
/// An accepted decision for `event` on `stream`, currently at `current_version`.
Decision Accept(Event event, std::uint32_t current_version, schema::Environment environment,
                std::string_view organization, std::string_view platform);
/// The same, for an event on a platform (its environment and organization).
Decision AcceptOnPlatform(const State& state, Event event, std::uint32_t current_version,
                          const PlatformState& platform);

// ---- One overload per command -------------------------------------------------------------
struct Context {
  const State& state;
  const Claims& claims;
  Access access;
};

Decision DecideOne(const Context& context, const CreateOrganization& command);
Decision DecideOne(const Context& context, const CreatePlatform& command);
Decision DecideOne(const Context& context, const RegisterUser& command);
Decision DecideOne(const Context& context, const GrantRole& command);
Decision DecideOne(const Context& context, const RevokeRole& command);
Decision DecideOne(const Context& context, const IssueApiKey& command);
Decision DecideOne(const Context& context, const RevokeApiKey& command);
Decision DecideOne(const Context& context, const IssueUserToken& command);
Decision DecideOne(const Context& context, const RevokeUserToken& command);
Decision DecideOne(const Context& context, const AddBankAccount& command);
Decision DecideOne(const Context& context, const CreateOrder& command);
Decision DecideOne(const Context& context, const CancelOrder& command);
Decision DecideOne(const Context& context, const CreateTransaction& command);
Decision DecideOne(const Context& context, const RecordOperation& command);
Decision DecideOne(const Context& context, const RequestWithdrawal& command);
Decision DecideOne(const Context& context, const SettleWithdrawal& command);
Decision DecideOne(const Context& context, const FailWithdrawal& command);

}  // namespace ledger::domain::internal
