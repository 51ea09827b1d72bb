#include "ledger/server/server.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <condition_variable>
#include <thread>

#include "asio_coroutines.h"
#include "head_watcher.h"
#include "request_handlers.h"
#include "responses.h"
#include "services.h"
#include "session.h"

namespace ledger::server {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

struct Server::Impl {
  Impl(ServerOptions server_options, Ledger& ledger_ref, projections::Projector* projector_ref)
      : options(std::move(server_options)),
        logger(options.logger ? options.logger : spdlog::default_logger()),
        io(std::make_shared<asio::io_context>(1)),
        blocking(options.blocking_threads),
        lockout(limits::kAuthenticationFailuresMax,
                std::chrono::milliseconds(limits::kAuthenticationLockoutMs),
                limits::kAuthenticationSourcesTrackedMax),
        batcher(io, ledger_ref, CommandResultsFrame),
        views_waiter(projector_ref, blocking),
        services{ledger_ref, projector_ref, options,  *logger, io,           blocking,
                 lockout,    metrics,       sessions, batcher, views_waiter, backup_running},
        acceptor(*io),
        sampler(*io),
        work(asio::make_work_guard(*io)),
        head_watcher(ledger_ref.log(), [this](SequenceNumber head) {
          asio::post(*io, [this, head] { sessions.NotifyHead(head); });
        }) {}

  asio::awaitable<void> AcceptLoop();
  asio::awaitable<void> SampleLoop();
  void Refuse(tcp::socket socket);
  void BeginStop();
  void CheckDrained(std::chrono::steady_clock::time_point deadline);

  ServerOptions options;
  std::shared_ptr<spdlog::logger> logger;
  std::shared_ptr<asio::io_context> io;
  asio::thread_pool blocking;
  AuthLockout lockout;
  ServerMetrics metrics;
  SessionRegistry sessions;
  CommandBatcher batcher;
  ViewsWaiter views_waiter;
  std::atomic<bool> backup_running{false};
  Services services;
  tcp::acceptor acceptor;
  asio::steady_timer sampler;
  asio::executor_work_guard<asio::io_context::executor_type> work;
  HeadWatcher head_watcher;
  std::thread io_thread;
  std::uint64_t next_session_id = 1;
  std::uint16_t port = 0;

  std::mutex stop_mutex;
  std::condition_variable stop_done;
  bool stopping = false;
  bool drained = false;
  bool stopped = false;
};

asio::awaitable<void> Server::Impl::AcceptLoop() {
  while (acceptor.is_open()) {
    error_code ec;
    tcp::socket socket =
        co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (!acceptor.is_open()) break;
      logger->warn("accept failed: {}", ec.message());
      asio::steady_timer backoff(*io, std::chrono::milliseconds(50));  // Out of descriptors?
      co_await backoff.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    if (sessions.size() >= options.connections_max) {
      Refuse(std::move(socket));
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    const std::uint64_t id = next_session_id++;
    auto session = std::make_shared<Session>(std::move(socket), services, id);
    sessions.Add(id, session);
    session->Start();
  }
}

void Server::Impl::Refuse(tcp::socket socket) {
  logger->warn("connection refused: {} connections are open", options.connections_max);
  auto shared = std::make_shared<tcp::socket>(std::move(socket));
  auto frame = std::make_shared<std::string>(
      ErrorFrame(0, protocol::ErrorCode::Overloaded, "too many connections; retry later"));
  asio::async_write(*shared, asio::buffer(*frame), [shared, frame](error_code, std::size_t) {
    error_code ignored;
    shared->shutdown(tcp::socket::shutdown_both, ignored);
    shared->close(ignored);
  });
}

asio::awaitable<void> Server::Impl::SampleLoop() {
  while (acceptor.is_open()) {
    metrics.Sample(services.ledger.log().Stats().events_appended, ServerMetrics::Clock::now());
    sampler.expires_after(std::chrono::seconds(1));
    error_code ec;
    co_await sampler.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

void Server::Impl::BeginStop() {
  error_code ec;
  acceptor.close(ec);
  sampler.cancel();
  logger->info("stopping: {} connections finish their requests in flight", sessions.size());
  sessions.ForEach([](Session& session) { session.BeginShutdown(); });
  CheckDrained(std::chrono::steady_clock::now() + options.shutdown_drain_timeout);
}

void Server::Impl::CheckDrained(std::chrono::steady_clock::time_point deadline) {
  if (sessions.size() > 0 && std::chrono::steady_clock::now() >= deadline) {
    logger->warn("closing {} connections that did not finish in time", sessions.size());
    sessions.ForEach([](Session& session) { session.ForceClose(); });
  }
  if (sessions.size() == 0) {
    std::lock_guard lock(stop_mutex);
    drained = true;
    stop_done.notify_all();
    return;
  }
  auto timer = std::make_shared<asio::steady_timer>(*io, std::chrono::milliseconds(10));
  timer->async_wait([this, timer, deadline](error_code) { CheckDrained(deadline); });
}

Result<std::unique_ptr<Server>> Server::Start(ServerOptions options, Ledger& ledger,
                                              projections::Projector* projector) {
  auto impl = std::make_unique<Impl>(std::move(options), ledger, projector);
  error_code ec;
  auto address = asio::ip::make_address(impl->options.host, ec);
  if (ec)
    return Status::InvalidArgument(fmt::format("'{}' is not an IP address", impl->options.host));
  tcp::endpoint endpoint(address, impl->options.port);
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::IoError(fmt::format("cannot listen on {}:{}: {}", impl->options.host,
                                       impl->options.port, ec.message()));
  }
  impl->port = impl->acceptor.local_endpoint().port();
  Impl* raw = impl.get();
  asio::co_spawn(*raw->io, raw->AcceptLoop(), asio::detached);
  asio::co_spawn(*raw->io, raw->SampleLoop(), asio::detached);
  raw->head_watcher.Start();
  raw->io_thread = std::thread([raw] {
    try {
      raw->io->run();
    } catch (const std::exception& e) {
      raw->logger->critical("io thread failed: {}", e.what());
    }
  });
  raw->logger->info("listening on {}:{}", raw->options.host, raw->port);
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { Stop(); }

std::uint16_t Server::port() const { return impl_->port; }

std::size_t Server::connection_count() const { return impl_->sessions.size(); }

void Server::Stop() {
  Impl& impl = *impl_;
  {
    std::unique_lock lock(impl.stop_mutex);
    if (impl.stopping) {
      impl.stop_done.wait(lock, [&impl] { return impl.stopped; });
      return;
    }
    impl.stopping = true;
    asio::post(*impl.io, [&impl] { impl.BeginStop(); });
    impl.stop_done.wait(lock, [&impl] { return impl.drained; });
  }
  impl.head_watcher.Stop();
  impl.work.reset();
  impl.io->stop();
  if (impl.io_thread.joinable()) impl.io_thread.join();
  impl.views_waiter.Stop();
  impl.blocking.join();
  impl.logger->info("stopped");
  std::lock_guard lock(impl.stop_mutex);
  impl.stopped = true;
  impl.stop_done.notify_all();
}

}  // namespace ledger::server
