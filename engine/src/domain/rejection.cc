#include "ledger/engine/domain/rejection.h"

#include <array>

namespace ledger::domain {
namespace {

struct Entry {
  ResultCode code;
  std::string_view name;
  ResultCategory category;
};

constexpr std::array kEntries = {
    Entry{ResultCode::kAccepted, "accepted", ResultCategory::kOk},
    Entry{ResultCode::kDuplicate, "duplicate", ResultCategory::kDuplicate},
    Entry{ResultCode::kIdempotencyKeyReusedWithDifferentCommand,
          "idempotency_key_reused_with_different_command", ResultCategory::kConflict},
    Entry{ResultCode::kIdIsMalformed, "id_is_malformed", ResultCategory::kInvalidArgument},
    Entry{ResultCode::kTextIsTooLong, "text_is_too_long", ResultCategory::kInvalidArgument},
    Entry{ResultCode::kAmountIsNotPositive, "amount_is_not_positive",
          ResultCategory::kInvalidArgument},
    Entry{ResultCode::kCurrencyIsUnknown, "currency_is_unknown", ResultCategory::kInvalidArgument},
    Entry{ResultCode::kEnvironmentIsNotSandboxOrProduction,
          "environment_is_not_sandbox_or_production", ResultCategory::kInvalidArgument},
    Entry{ResultCode::kRoleIsUnspecified, "role_is_unspecified", ResultCategory::kInvalidArgument},
    Entry{ResultCode::kRoleScopeIsEmpty, "role_scope_is_empty", ResultCategory::kInvalidArgument},
    Entry{ResultCode::kRoleScopeIsTooLarge, "role_scope_is_too_large",
          ResultCategory::kInvalidArgument},
    Entry{ResultCode::kOperationKindIsUnspecified, "operation_kind_is_unspecified",
          ResultCategory::kInvalidArgument},
    Entry{ResultCode::kOperationOutcomeIsUnspecified, "operation_outcome_is_unspecified",
          ResultCategory::kInvalidArgument},
    Entry{ResultCode::kOccurredAtIsNotPositive, "occurred_at_is_not_positive",
          ResultCategory::kInvalidArgument},
    Entry{ResultCode::kAccountNumberIsMalformed, "account_number_is_malformed",
          ResultCategory::kInvalidArgument},
    Entry{ResultCode::kIdempotencyKeyIsMalformed, "idempotency_key_is_malformed",
          ResultCategory::kInvalidArgument},
    Entry{ResultCode::kPrincipalIsUnknown, "principal_is_unknown",
          ResultCategory::kUnauthenticated},
    Entry{ResultCode::kOrganizationNotFound, "organization_not_found", ResultCategory::kNotFound},
    Entry{ResultCode::kPlatformNotFound, "platform_not_found", ResultCategory::kNotFound},
    Entry{ResultCode::kUserNotFound, "user_not_found", ResultCategory::kNotFound},
    Entry{ResultCode::kActionIsNotPermitted, "action_is_not_permitted", ResultCategory::kForbidden},
    Entry{ResultCode::kOrganizationAlreadyExists, "organization_already_exists",
          ResultCategory::kConflict},
    Entry{ResultCode::kPlatformAlreadyExists, "platform_already_exists", ResultCategory::kConflict},
    Entry{ResultCode::kUserAlreadyExists, "user_already_exists", ResultCategory::kConflict},
    Entry{ResultCode::kUserHasNoRoleInOrganization, "user_has_no_role_in_organization",
          ResultCategory::kNotFound},
    Entry{ResultCode::kApiKeyAlreadyExists, "api_key_already_exists", ResultCategory::kConflict},
    Entry{ResultCode::kApiKeyNotFound, "api_key_not_found", ResultCategory::kNotFound},
    Entry{ResultCode::kUserTokenAlreadyExists, "user_token_already_exists",
          ResultCategory::kConflict},
    Entry{ResultCode::kUserTokenNotFound, "user_token_not_found", ResultCategory::kNotFound},
    Entry{ResultCode::kBankAccountAlreadyExists, "bank_account_already_exists",
          ResultCategory::kConflict},
    Entry{ResultCode::kBankAccountNotFound, "bank_account_not_found", ResultCategory::kNotFound},
    Entry{ResultCode::kOrderAlreadyExists, "order_already_exists", ResultCategory::kConflict},
    Entry{ResultCode::kOrderNotFound, "order_not_found", ResultCategory::kNotFound},
    Entry{ResultCode::kTransactionAlreadyExists, "transaction_already_exists",
          ResultCategory::kConflict},
    Entry{ResultCode::kTransactionNotFound, "transaction_not_found", ResultCategory::kNotFound},
    Entry{ResultCode::kOperationAlreadyExists, "operation_already_exists",
          ResultCategory::kConflict},
    Entry{ResultCode::kWithdrawalAlreadyExists, "withdrawal_already_exists",
          ResultCategory::kConflict},
    Entry{ResultCode::kWithdrawalNotFound, "withdrawal_not_found", ResultCategory::kNotFound},
    Entry{ResultCode::kCurrencyDiffersFromOrder, "currency_differs_from_order",
          ResultCategory::kInvalidArgument},
    Entry{ResultCode::kCurrencyDiffersFromBankAccount, "currency_differs_from_bank_account",
          ResultCategory::kInvalidArgument},
    Entry{ResultCode::kLastOrganizationAdminCannotBeRemoved,
          "last_organization_admin_cannot_be_removed", ResultCategory::kInvariantViolated},
    Entry{ResultCode::kApiKeyIsAlreadyRevoked, "api_key_is_already_revoked",
          ResultCategory::kInvariantViolated},
    Entry{ResultCode::kUserTokenIsAlreadyRevoked, "user_token_is_already_revoked",
          ResultCategory::kInvariantViolated},
    Entry{ResultCode::kOrderIsCancelled, "order_is_cancelled", ResultCategory::kInvariantViolated},
    Entry{ResultCode::kOrderHasTooManyTransactions, "order_has_too_many_transactions",
          ResultCategory::kInvariantViolated},
    Entry{ResultCode::kTransactionIsFailed, "transaction_is_failed",
          ResultCategory::kInvariantViolated},
    Entry{ResultCode::kTransactionIsCancelled, "transaction_is_cancelled",
          ResultCategory::kInvariantViolated},
    Entry{ResultCode::kAuthorizationAfterCapture, "authorization_after_capture",
          ResultCategory::kInvariantViolated},
    Entry{ResultCode::kCaptureBeforeAuthorization, "capture_before_authorization",
          ResultCategory::kInvariantViolated},
    Entry{ResultCode::kCancellationAfterCapture, "cancellation_after_capture",
          ResultCategory::kInvariantViolated},
    Entry{ResultCode::kRefundBeforeCapture, "refund_before_capture",
          ResultCategory::kInvariantViolated},
    Entry{ResultCode::kChargebackBeforeCapture, "chargeback_before_capture",
          ResultCategory::kInvariantViolated},
    Entry{ResultCode::kWithdrawalIsAlreadySettled, "withdrawal_is_already_settled",
          ResultCategory::kInvariantViolated},
    Entry{ResultCode::kWithdrawalIsAlreadyFailed, "withdrawal_is_already_failed",
          ResultCategory::kInvariantViolated},
    Entry{ResultCode::kTransactionsExceedOrderAmount, "transactions_exceed_order_amount",
          ResultCategory::kInvariantViolated},
    Entry{ResultCode::kAuthorizationExceedsTransaction, "authorization_exceeds_transaction",
          ResultCategory::kInvariantViolated},
    Entry{ResultCode::kCaptureExceedsAuthorized, "capture_exceeds_authorized",
          ResultCategory::kInvariantViolated},
    Entry{ResultCode::kCancellationExceedsTransaction, "cancellation_exceeds_transaction",
          ResultCategory::kInvariantViolated},
    Entry{ResultCode::kRefundExceedsCaptured, "refund_exceeds_captured",
          ResultCategory::kInvariantViolated},
    Entry{ResultCode::kChargebackExceedsCaptured, "chargeback_exceeds_captured",
          ResultCategory::kInvariantViolated},
    Entry{ResultCode::kFeesExceedTransactionAmount, "fees_exceed_transaction_amount",
          ResultCategory::kInvariantViolated},
    Entry{ResultCode::kRefundExceedsWalletBalance, "refund_exceeds_wallet_balance",
          ResultCategory::kInvariantViolated},
    Entry{ResultCode::kWithdrawalExceedsWalletBalance, "withdrawal_exceeds_wallet_balance",
          ResultCategory::kInvariantViolated},
    Entry{ResultCode::kBalanceWouldOverflow, "balance_would_overflow",
          ResultCategory::kInvariantViolated},
    Entry{ResultCode::kWrongExpectedVersion, "wrong_expected_version", ResultCategory::kConflict},
    Entry{ResultCode::kLogRefusedTheAppend, "log_refused_the_append", ResultCategory::kInternal},
};

const Entry* Find(ResultCode code) {
  for (const Entry& entry : kEntries) {
    if (entry.code == code) return &entry;
  }
  return nullptr;
}

const std::array<ResultCode, kEntries.size()> kCodes = [] {
  std::array<ResultCode, kEntries.size()> codes{};
  for (std::size_t i = 0; i < kEntries.size(); ++i) codes[i] = kEntries[i].code;
  return codes;
}();

}  // namespace

std::string_view ResultCodeName(ResultCode code) {
  const Entry* entry = Find(code);
  return entry == nullptr ? "unknown" : entry->name;
}

bool ParseResultCode(std::string_view name, ResultCode* out) {
  for (const Entry& entry : kEntries) {
    if (entry.name == name) {
      *out = entry.code;
      return true;
    }
  }
  return false;
}

ResultCategory CategoryOf(ResultCode code) {
  const Entry* entry = Find(code);
  return entry == nullptr ? ResultCategory::kInternal : entry->category;
}

std::span<const ResultCode> AllResultCodes() { return kCodes; }

}  // namespace ledger::domain
