// What a Session does with each message: authentication first, then the limits every
// request must respect, then dispatch (request_handlers.h) or the connection's own
// subscriptions.
#include <fmt/format.h>

#include <boost/asio/post.hpp>
#include <cstring>

#include "ledger/engine/domain/principal.h"
#include "ledger/limits.h"
#include "ledger/protocol/message.h"
#include "request_handlers.h"
#include "responses.h"
#include "session.h"

namespace ledger::server {
namespace {

namespace p = protocol;
using flatbuffers::FlatBufferBuilder;

std::string AuthenticatedFrame(std::uint64_t request_id, const Identity& identity,
                               const std::string& server_version) {
  FlatBufferBuilder b(256);
  auto limits = p::CreateServerLimits(b, static_cast<std::uint32_t>(limits::kFrameBytesMax),
                                      static_cast<std::uint32_t>(limits::kBatchCommandsMax),
                                      static_cast<std::uint32_t>(limits::kRequestsInFlightMax),
                                      static_cast<std::uint32_t>(limits::kReadEventsMax));
  const domain::Principal& principal = identity.principal;
  // A user token names its user (the token is only the way in); a key and root name themselves.
  const std::string& principal_id =
      identity.kind == p::CredentialKind::UserToken ? principal.id : identity.credential_id;
  auto body = p::CreateAuthenticatedDirect(
      b, identity.kind, principal_id.c_str(),
      principal.organization.empty() ? nullptr : principal.organization.c_str(),
      principal.platform.empty() ? nullptr : principal.platform.c_str(), principal.environment,
      server_version.c_str(), limits);
  return FinishResponse(b, request_id, p::ResponseBody::Authenticated, body.Union());
}

}  // namespace

bool Session::HandleMessage(std::string_view message) {
  if (reinterpret_cast<std::uintptr_t>(message.data()) % alignof(std::uint64_t) != 0) {
    // FlatBuffers reads scalars in place: give it an aligned copy.
    aligned_.resize((message.size() + 7) / 8);
    std::memcpy(aligned_.data(), message.data(), message.size());
    message = std::string_view(reinterpret_cast<const char*>(aligned_.data()), message.size());
  }
  const p::Request* request = p::VerifiedRequest(message);
  if (request == nullptr) {
    Fail(p::ErrorCode::MalformedFrame, "the message is not a valid Request");
    return false;
  }
  services_.metrics.CountRequest();
  if (!identity_) return HandleAuthenticate(*request);
  if (request->body_type() == p::RequestBody::Authenticate) {
    Enqueue(ErrorFrame(request->request_id(), p::ErrorCode::InvalidArgument,
                       "the connection is already authenticated"));
    return true;
  }
  if (in_flight_ >= limits::kRequestsInFlightMax) {
    Fail(p::ErrorCode::LimitExceeded,
         fmt::format("at most {} requests may be in flight", limits::kRequestsInFlightMax));
    return false;
  }
  if (!CredentialStillActive(services_.ledger, *identity_)) {
    Fail(p::ErrorCode::Unauthenticated, "the credential was revoked", request->request_id());
    return false;
  }
  if (request->body_type() == p::RequestBody::Subscribe) return HandleSubscribe(*request);
  if (request->body_type() == p::RequestBody::Unsubscribe) {
    HandleUnsubscribe(*request);
    return true;
  }
  ++in_flight_;
  Responder responder(weak_from_this(), services_.io, request->request_id());
  if (auto violation = Dispatch(RequestContext{services_, *identity_}, *request, responder)) {
    --in_flight_;
    Fail(violation->code, violation->message, request->request_id());
    return false;
  }
  return true;
}

bool Session::HandleAuthenticate(const p::Request& request) {
  const auto* body = request.body_as_Authenticate();
  if (body == nullptr) {
    Fail(p::ErrorCode::Unauthenticated, "authenticate before anything else", request.request_id());
    return false;
  }
  const auto now = Clock::now();
  if (services_.lockout.IsLockedOut(source_, now)) {
    services_.logger.warn("authentication from {} refused: the address is locked out", peer_);
    Fail(p::ErrorCode::LockedOut,
         "too many failed authentications from this address; try again later",
         request.request_id());
    return false;
  }
  AuthOutcome outcome = Authenticate(services_.ledger, services_.options.root_secret_sha256, *body);
  if (outcome.code != p::ErrorCode::Ok) {
    services_.logger.warn("authentication failed from {}: {}", peer_, outcome.reason);
    // Only a refused credential counts toward the lockout: a malformed Authenticate (an
    // unsupported protocol version, no kind, no environment) guesses nothing, and a client
    // with the wrong version must not lock its good credential out.
    if (outcome.code == p::ErrorCode::Unauthenticated &&
        services_.lockout.RecordFailure(source_, now)) {
      services_.logger.warn("address {} locked out for {} minutes after {} failed authentications",
                            source_, limits::kAuthenticationLockoutMs / 60000,
                            limits::kAuthenticationFailuresMax);
    }
    Fail(outcome.code, outcome.message, request.request_id());
    return false;
  }
  services_.lockout.RecordSuccess(source_);
  identity_ = std::move(outcome.identity);
  services_.logger.info("connection {} authenticated as {} ({})", peer_,
                        identity_->principal.Actor(),
                        domain::EnvironmentName(identity_->principal.environment));
  Enqueue(AuthenticatedFrame(request.request_id(), *identity_, services_.options.server_version));
  return true;
}

bool Session::HandleSubscribe(const p::Request& request) {
  const auto* body = request.body_as_Subscribe();
  if (body == nullptr) {
    Enqueue(ErrorFrame(request.request_id(), p::ErrorCode::InvalidArgument, "no Subscribe body"));
    return true;
  }
  if (subscriptions_.size() >= limits::kSubscriptionsPerConnectionMax) {
    Fail(p::ErrorCode::LimitExceeded,
         fmt::format("at most {} subscriptions per connection",
                     limits::kSubscriptionsPerConnectionMax),
         request.request_id());
    return false;
  }
  if (subscriptions_.contains(request.request_id())) {
    Enqueue(ErrorFrame(request.request_id(), p::ErrorCode::InvalidArgument,
                       "a subscription already uses this request id"));
    return true;
  }
  subscriptions_[request.request_id()].next = std::max<std::uint64_t>(body->from_sequence(), 1);
  known_head_ = std::max(known_head_, services_.ledger.log().Head().sequence);
  services_.sessions.SetSubscriber(id_, true);
  PumpSubscriptions();
  return true;
}

void Session::HandleUnsubscribe(const p::Request& request) {
  const auto* body = request.body_as_Unsubscribe();
  if (body == nullptr || subscriptions_.erase(body->subscription_id()) == 0) {
    Enqueue(ErrorFrame(request.request_id(), p::ErrorCode::NotFound, "no such subscription"));
    return;
  }
  if (subscriptions_.empty()) services_.sessions.SetSubscriber(id_, false);
  FlatBufferBuilder b(64);
  auto done = p::CreateUnsubscribed(b);
  Enqueue(FinishResponse(b, request.request_id(), p::ResponseBody::Unsubscribed, done.Union()));
}

void Session::OnHeadAdvanced(SequenceNumber head) {
  known_head_ = std::max(known_head_, head);
  PumpSubscriptions();
}

void Session::PumpSubscriptions() {
  if (closed_ || close_when_flushed_ || !identity_) return;
  for (auto& [id, subscription] : subscriptions_) {
    // Flow control: a client that does not read its frames stops its subscriptions here.
    if (outbound_bytes_ >= limits::kOutboundBytesMax / 2) return;
    if (subscription.reading) continue;
    if (subscription.next > known_head_.value && subscription.caught_up_sent) continue;
    subscription.reading = true;
    boost::asio::post(
        services_.blocking, [self = weak_from_this(), ledger = &services_.ledger, io = services_.io,
                             principal = identity_->principal, id = id, from = subscription.next] {
          auto read = ReadVisibleRange(*ledger, principal, from, limits::kReadEventsMax,
                                       limits::kResponseEventBytesMax);
          boost::asio::post(*io, [self, id, read = std::move(read)]() mutable {
            if (auto session = self.lock()) session->OnSubscriptionRead(id, std::move(read));
          });
        });
  }
}

void Session::OnSubscriptionRead(std::uint64_t id, Result<VisibleEvents> read) {
  auto found = subscriptions_.find(id);
  if (closed_ || found == subscriptions_.end()) return;  // Unsubscribed meanwhile.
  Subscription& subscription = found->second;
  subscription.reading = false;
  if (!read.ok()) {
    Enqueue(ErrorFrame(id, ErrorCodeOf(read.status()), read.status().message()));
    subscriptions_.erase(found);
    if (subscriptions_.empty()) services_.sessions.SetSubscriber(id_, false);
    return;
  }
  subscription.next = std::max(subscription.next, read->next);
  known_head_ = std::max(known_head_, SequenceNumber{read->head});
  const bool caught_up = subscription.next > read->head;
  if (!read->events.empty() || (caught_up && !subscription.caught_up_sent)) {
    FlatBufferBuilder b(1024);
    auto events = BuildEvents(b, read->events);
    auto body = p::CreateSubscriptionEvents(b, events, subscription.next, caught_up);
    Enqueue(FinishResponse(b, id, p::ResponseBody::SubscriptionEvents, body.Union()));
    subscription.caught_up_sent = subscription.caught_up_sent || caught_up;
  }
  PumpSubscriptions();
}

void Session::DropSubscriptions() {
  if (subscriptions_.empty()) return;
  subscriptions_.clear();
  services_.sessions.SetSubscriber(id_, false);
}

}  // namespace ledger::server
