#include "ledger/engine/status.h"

namespace ledger {

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "invalid_argument";
    case StatusCode::kNotFound:
      return "not_found";
    case StatusCode::kCorruption:
      return "corruption";
    case StatusCode::kIoError:
      return "io_error";
    case StatusCode::kWritesRefusedAfterFailure:
      return "writes_refused_after_failure";
    case StatusCode::kOverloaded:
      return "overloaded";
    case StatusCode::kTimedOut:
      return "timed_out";
    case StatusCode::kShuttingDown:
      return "shutting_down";
    case StatusCode::kInternal:
      return "internal";
  }
  return "unknown";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string text(StatusCodeName(code_));
  text += ": ";
  text += message_;
  return text;
}

}  // namespace ledger
