#include "responses.h"

#include "ledger/protocol/frame.h"
#include "ledger/protocol/message.h"

namespace ledger::server {

std::string FinishResponse(flatbuffers::FlatBufferBuilder& builder, std::uint64_t request_id,
                           protocol::ResponseBody type, flatbuffers::Offset<void> body) {
  builder.Finish(protocol::CreateResponse(builder, request_id, 0, type, body));
  return protocol::EncodeFrame(protocol::BuilderBytes(builder));
}

std::string ErrorFrame(std::uint64_t request_id, protocol::ErrorCode code,
                       std::string_view message) {
  flatbuffers::FlatBufferBuilder builder(128 + message.size());
  auto error = protocol::CreateError(builder, code, builder.CreateString(message));
  builder.Finish(protocol::CreateResponse(builder, request_id, error));
  return protocol::EncodeFrame(protocol::BuilderBytes(builder));
}

protocol::ErrorCode ErrorCodeOf(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return protocol::ErrorCode::Ok;
    case StatusCode::kInvalidArgument:
      return protocol::ErrorCode::InvalidArgument;
    case StatusCode::kNotFound:
      return protocol::ErrorCode::NotFound;
    case StatusCode::kOverloaded:
      return protocol::ErrorCode::Overloaded;
    case StatusCode::kWritesRefusedAfterFailure:
      return protocol::ErrorCode::Unavailable;
    case StatusCode::kShuttingDown:
      return protocol::ErrorCode::ShuttingDown;
    case StatusCode::kTimedOut:
      return protocol::ErrorCode::DeadlineExceeded;
    case StatusCode::kCorruption:
    case StatusCode::kIoError:
    case StatusCode::kInternal:
      return protocol::ErrorCode::Internal;
  }
  return protocol::ErrorCode::Internal;
}

}  // namespace ledger::server
