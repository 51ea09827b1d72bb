#include "ledger/client/client.h"

#include <future>

namespace ledger::client {

Client::Client() : io_(std::make_unique<boost::asio::io_context>(1)) {}

std::unique_ptr<Client> Client::Connect(ConnectOptions options, ClientError* error) {
  std::unique_ptr<Client> client(new Client());
  client->connection_ = Connection::Create(*client->io_);
  std::promise<Reply> authenticated;
  client->connection_->Start(std::move(options), [&authenticated](Reply reply) {
    authenticated.set_value(std::move(reply));
    return false;
  });
  boost::asio::io_context* io = client->io_.get();
  client->thread_ = std::thread([io] {
    auto guard = boost::asio::make_work_guard(*io);
    io->run();
  });
  client->identity_ = authenticated.get_future().get();
  if (!client->identity_.ok()) {
    if (error != nullptr) *error = client->identity_.error();
    return nullptr;
  }
  return client;
}

Client::~Client() { Close(); }

Reply Client::Call(protocol::RequestBody type, const BodyBuilder& body,
                   std::chrono::milliseconds timeout) {
  auto promise = std::make_shared<std::promise<Reply>>();
  auto future = promise->get_future();
  std::uint64_t id = connection_->Send(type, body, [promise](Reply reply) {
    promise->set_value(std::move(reply));
    return false;
  });
  if (future.wait_for(timeout) != std::future_status::ready) {
    connection_->Forget(id);
    return Reply::Failure({ErrorKind::kConnection, protocol::ErrorCode::DeadlineExceeded,
                           "no response within " + std::to_string(timeout.count()) + " ms"});
  }
  return future.get();
}

std::uint64_t Client::Send(protocol::RequestBody type, const BodyBuilder& body,
                           ReplyHandler handler) {
  return connection_->Send(type, body, std::move(handler));
}

void Client::Close() {
  if (!thread_.joinable()) return;
  connection_->Close();
  io_->stop();
  thread_.join();
}

}  // namespace ledger::client
