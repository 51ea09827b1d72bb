#include "responder.h"

#include "responses.h"

namespace ledger::server {

void Responder::Fail(protocol::ErrorCode code, std::string_view message) const {
  Finish(ErrorFrame(request_id_, code, message));
}

void Responder::Send(std::string frame, bool final) const {
  OnIoThread([sink = sink_, frame = std::move(frame), final]() mutable {
    if (auto alive = sink.lock()) alive->Deliver(std::move(frame), final);
  });
}

}  // namespace ledger::server
