// What happened to one command: accepted, a duplicate of an earlier one, or rejected by one
// named rule. Names read as sentences; each rule has exactly one code and its own test.
//
// The codes are grouped by the step of the fixed check order that produces them
// (docs/domain.md, "The order of checks"): when a command breaks several rules, the rule of
// the earliest step wins, and within a step the order given in docs/domain.md. The not-found
// codes of step 2 are also step-3 results when a command names a user or platforms beyond
// its target (a role grant's user and platform list).
// Values are stable (they may be sent on the wire): append only, never renumber.
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace ledger::domain {

enum class ResultCode : std::uint16_t {
  kAccepted = 0,
  /// The idempotency key was used before for this same command and principal: the original
  /// result is returned and nothing is written.
  kDuplicate = 1,
  kIdempotencyKeyReusedWithDifferentCommand = 2,

  // Step 1: the command's own fields.
  kIdIsMalformed = 10,
  kTextIsTooLong = 11,
  kAmountIsNotPositive = 12,
  kCurrencyIsUnknown = 13,
  kEnvironmentIsNotSandboxOrProduction = 14,
  kRoleIsUnspecified = 15,
  kRoleScopeIsEmpty = 16,
  kRoleScopeIsTooLarge = 17,
  kOperationKindIsUnspecified = 18,
  kOperationOutcomeIsUnspecified = 19,
  kOccurredAtIsNotPositive = 20,
  kAccountNumberIsMalformed = 21,
  /// The request's idempotency key, checked before the command itself.
  kIdempotencyKeyIsMalformed = 22,

  // Step 2: who acts, on what they can see, with which permission.
  kPrincipalIsUnknown = 30,
  kOrganizationNotFound = 31,
  kPlatformNotFound = 32,
  kUserNotFound = 33,
  kActionIsNotPermitted = 34,

  // Step 3: what the command points at exists, what it creates does not, and they agree.
  kOrganizationAlreadyExists = 40,
  kPlatformAlreadyExists = 41,
  kUserAlreadyExists = 42,
  kUserHasNoRoleInOrganization = 43,
  kApiKeyAlreadyExists = 44,
  kApiKeyNotFound = 45,
  kUserTokenAlreadyExists = 46,
  kUserTokenNotFound = 47,
  kBankAccountAlreadyExists = 48,
  kBankAccountNotFound = 49,
  kOrderAlreadyExists = 50,
  kOrderNotFound = 51,
  kTransactionAlreadyExists = 52,
  kTransactionNotFound = 53,
  kOperationAlreadyExists = 54,
  kWithdrawalAlreadyExists = 55,
  kWithdrawalNotFound = 56,
  kCurrencyDiffersFromOrder = 57,
  kCurrencyDiffersFromBankAccount = 58,

  // Step 4: state machines.
  kLastOrganizationAdminCannotBeRemoved = 70,
  kApiKeyIsAlreadyRevoked = 71,
  kUserTokenIsAlreadyRevoked = 72,
  kOrderIsCancelled = 73,
  kOrderHasTooManyTransactions = 74,
  kTransactionIsFailed = 75,
  kTransactionIsCancelled = 76,
  kAuthorizationAfterCapture = 77,
  kCaptureBeforeAuthorization = 78,
  kCancellationAfterCapture = 79,
  kRefundBeforeCapture = 80,
  kChargebackBeforeCapture = 81,
  kWithdrawalIsAlreadySettled = 82,
  kWithdrawalIsAlreadyFailed = 83,

  // Step 5: money limits.
  kTransactionsExceedOrderAmount = 90,
  kAuthorizationExceedsTransaction = 91,
  kCaptureExceedsAuthorized = 92,
  kCancellationExceedsTransaction = 93,
  kRefundExceedsCaptured = 94,
  kChargebackExceedsCaptured = 95,
  kFeesExceedTransactionAmount = 96,
  kRefundExceedsWalletBalance = 97,
  kWithdrawalExceedsWalletBalance = 98,
  kBalanceWouldOverflow = 99,

  // Step 6: the caller's expected version of the command's stream (CommandRequest::expected).
  kWrongExpectedVersion = 100,

  /// The log refused an event the domain decided (a stream changed behind the domain's back,
  /// or a field broke a log bound). Never expected; the message carries the log's reason.
  kLogRefusedTheAppend = 120,
};

/// How a client should read a code: the protocol's error categories (DESIGN.md, Protocol).
enum class ResultCategory : std::uint8_t {
  kOk,
  kDuplicate,
  kInvalidArgument,
  kUnauthenticated,
  kNotFound,
  kForbidden,
  /// Something with that id already exists, an idempotency key was reused, or the stream is
  /// not at the expected version.
  kConflict,
  /// A state machine or money rule refused the command.
  kInvariantViolated,
  kInternal,
};

/// "accepted", "duplicate", "refund_exceeds_captured"...: the code as a snake_case sentence.
std::string_view ResultCodeName(ResultCode code);
/// Parses a ResultCodeName; false when `name` names no code.
bool ParseResultCode(std::string_view name, ResultCode* out);
ResultCategory CategoryOf(ResultCode code);
/// Every code, in declaration order (for tests and documentation).
std::span<const ResultCode> AllResultCodes();

}  // namespace ledger::domain
