#include "ledger/engine/domain/principal.h"

namespace ledger::domain {

Principal Principal::Root(schema::Environment environment) {
  Principal principal;
  principal.kind = PrincipalKind::kRoot;
  principal.environment = environment;
  return principal;
}

Principal Principal::User(std::string user_id, schema::Environment environment) {
  Principal principal;
  principal.kind = PrincipalKind::kUser;
  principal.id = std::move(user_id);
  principal.environment = environment;
  return principal;
}

Principal Principal::ApiKey(std::string key_id, std::string organization, std::string platform,
                            schema::Environment environment) {
  Principal principal;
  principal.kind = PrincipalKind::kApiKey;
  principal.id = std::move(key_id);
  principal.organization = std::move(organization);
  principal.platform = std::move(platform);
  principal.key_environment = environment;
  principal.environment = environment;
  return principal;
}

std::string Principal::Actor() const {
  switch (kind) {
    case PrincipalKind::kRoot:
      return "root";
    case PrincipalKind::kUser:
      return "user:" + id;
    case PrincipalKind::kApiKey:
      return "key:" + id;
  }
  return "unknown";
}

std::string_view EnvironmentName(schema::Environment environment) {
  switch (environment) {
    case schema::Environment::Sandbox:
      return "sandbox";
    case schema::Environment::Production:
      return "production";
    case schema::Environment::Unspecified:
      break;
  }
  return "unspecified";
}

std::string_view RoleName(schema::Role role) {
  switch (role) {
    case schema::Role::Admin:
      return "admin";
    case schema::Role::Developer:
      return "developer";
    case schema::Role::Operator:
      return "operator";
    case schema::Role::Sales:
      return "sales";
    case schema::Role::Accountant:
      return "accountant";
    case schema::Role::Unspecified:
      break;
  }
  return "unspecified";
}

std::string_view OperationKindName(schema::OperationKind kind) {
  switch (kind) {
    case schema::OperationKind::Authorization:
      return "authorization";
    case schema::OperationKind::Capture:
      return "capture";
    case schema::OperationKind::Refund:
      return "refund";
    case schema::OperationKind::Cancellation:
      return "cancellation";
    case schema::OperationKind::Chargeback:
      return "chargeback";
    case schema::OperationKind::Fee:
      return "fee";
    case schema::OperationKind::Unspecified:
      break;
  }
  return "unspecified";
}

std::string_view OperationOutcomeName(schema::OperationOutcome outcome) {
  switch (outcome) {
    case schema::OperationOutcome::Succeeded:
      return "succeeded";
    case schema::OperationOutcome::Failed:
      return "failed";
    case schema::OperationOutcome::Unspecified:
      break;
  }
  return "unspecified";
}

}  // namespace ledger::domain
