#include "responder.h"

#include "responses.h"

namespace ledger::server {

void Responder::Fail(protocol::ErrorCode code, std::string_view message) const {
  Finish(ErrorFrame(request_id_, code, message));
}

void Responder::Send(std::string frame, bool final, SentCallback on_sent) const {
  OnIoThread(
      [sink = sink_, frame = std::move(frame), final, on_sent = std::move(on_sent)]() mutable {
        if (auto alive = sink.lock()) {
          alive->Deliver(std::move(frame), final, std::move(on_sent));
        } else if (on_sent) {
          on_sent(false);
        }
      });
}

}  // namespace ledger::server
