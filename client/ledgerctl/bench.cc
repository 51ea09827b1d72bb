#include "bench.h"

#include <algorithm>
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <condition_variable>
#include <future>
#include <iostream>
#include <mutex>
#include <thread>

#include "bench_workload.h"
#include "ledger/protocol/message.h"
#include "secret.h"

namespace ledger::ctl {
namespace {

namespace p = protocol;
using Clock = std::chrono::steady_clock;

using Results = flatbuffers::Vector<flatbuffers::Offset<p::CommandResult>>;

/// The results of a CommandResults reply; nullptr for any other reply.
const Results* ResultsVector(const client::Reply& reply) {
  const auto* body = reply.body<p::CommandResults>();
  return body == nullptr ? nullptr : body->results();
}

/// One connection's loop: keeps `pipeline` requests in flight, each sent again as soon as
/// its response arrives. Runs entirely on the client's io thread.
class Driver : public std::enable_shared_from_this<Driver> {
 public:
  Driver(std::shared_ptr<client::Connection> connection, BenchWorkload workload, int batch)
      : connection_(std::move(connection)), workload_(std::move(workload)), batch_(batch) {}

  void SendNext() {
    if (stop_.load()) return;
    const std::uint64_t id = connection_->NextRequestId();
    flatbuffers::FlatBufferBuilder b(batch_ * 160 + 256);
    auto [type, body] = workload_.Next(b, batch_);
    b.Finish(p::CreateRequest(b, id, type, body));
    const auto sent = Clock::now();
    connection_->SendMessage(id, std::string(p::BuilderBytes(b)),
                             [self = shared_from_this(), sent](client::Reply reply) {
                               self->OnReply(reply, sent);
                               return false;
                             });
  }

  void Stop() { stop_ = true; }
  void StartMeasuring() { measuring_ = true; }

  std::vector<std::uint32_t> latencies_us;
  std::uint64_t events = 0;
  std::uint64_t rejected = 0;
  std::string failure;
  std::string first_rejection;

 private:
  void OnReply(const client::Reply& reply, Clock::time_point sent) {
    if (!reply.ok()) {
      if (failure.empty()) failure = reply.error().ToString();
      stop_ = true;
      return;
    }
    const Results* results = ResultsVector(reply);
    if (results == nullptr) {
      if (failure.empty()) failure = "unexpected response";
      stop_ = true;
      return;
    }
    if (measuring_.load() && !stop_.load()) {
      latencies_us.push_back(static_cast<std::uint32_t>(
          std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - sent).count()));
      for (const auto* result : *results) {
        if (result->status() == p::ErrorCode::Ok) {
          events += result->event_count();
        } else if (++rejected == 1) {
          first_rejection = Text(result->code_name()) + ": " + Text(result->message());
        }
      }
    }
    SendNext();
  }

  std::shared_ptr<client::Connection> connection_;
  BenchWorkload workload_;
  int batch_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> measuring_{false};
};

/// Root sets up an organization, a production platform and an API key for this run; the exit
/// code to stop with when it could not.
int Setup(Ctl& ctl, const std::string& run, std::string* key_credential) {
  NewSecret secret;
  if (!MakeSecret(&secret)) return kExitRejected;
  const std::string organization = "bench-" + run;
  const std::string platform = "bench-" + run + "-p";
  auto reply = ctl.Call(
      p::RequestBody::ExecuteCommands,
      client::ExecuteBatch({client::CreateOrganization(organization, "Bench"),
                            client::CreatePlatform(organization, platform, "Bench platform",
                                                   schema::Environment::Production),
                            client::IssueApiKey(platform, platform + "-key", secret.sha256)}));
  const Results* results = ResultsVector(reply);
  if (!reply.ok()) return ctl.ExitCodeOf(reply);
  if (results == nullptr) return kExitConnection;
  for (const auto* result : *results) {
    if (result->status() != p::ErrorCode::Ok) {
      std::cerr << "ledgerctl bench: setup refused: " << Text(result->message()) << "\n";
      return kExitRejected;
    }
  }
  *key_credential = platform + "-key." + secret.secret;
  return kExitOk;
}

double Percentile(std::vector<std::uint32_t>& sorted, double q) {
  if (sorted.empty()) return 0;
  auto index = static_cast<std::size_t>(q * static_cast<double>(sorted.size() - 1));
  return sorted[index];
}

}  // namespace

namespace {

struct Totals {
  std::vector<std::uint32_t> latencies_us;
  std::uint64_t events = 0;
  std::uint64_t rejected = 0;
  std::string failure;
  double seconds = 0;
};

/// Connects every driver's connection; false when one could not connect.
bool ConnectAll(boost::asio::io_context& io, const client::ConnectOptions& connect,
                Workload workload, const std::string& run, const BenchOptions& options,
                std::vector<std::shared_ptr<Driver>>* drivers) {
  std::atomic<int> ready{0};
  std::atomic<int> failed{0};
  for (int c = 0; c < options.connections; ++c) {
    auto connection = client::Connection::Create(io);
    drivers->push_back(std::make_shared<Driver>(
        connection, BenchWorkload(workload, "bench-" + run + "-p", "c" + std::to_string(c)),
        options.batch));
    connection->Start(connect, [&](client::Reply reply) {
      if (!reply.ok()) {
        std::cerr << "ledgerctl bench: " << reply.error().ToString() << "\n";
        ++failed;
      }
      ++ready;
      return false;
    });
  }
  while (ready.load() < options.connections) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return failed.load() == 0;
}

/// Warms up, measures for the duration, stops the drivers; returns the measured seconds.
double Drive(boost::asio::io_context& io, std::vector<std::shared_ptr<Driver>>& drivers,
             const BenchOptions& options) {
  boost::asio::post(io, [&] {
    for (auto& driver : drivers) {
      for (int i = 0; i < options.pipeline; ++i) driver->SendNext();
    }
  });
  std::this_thread::sleep_for(std::chrono::duration<double>(options.warmup_s));
  boost::asio::post(io, [&] {
    for (auto& driver : drivers) driver->StartMeasuring();
  });
  const auto start = Clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(options.duration_s));
  std::promise<double> stopped;
  boost::asio::post(io, [&] {
    for (auto& driver : drivers) driver->Stop();
    stopped.set_value(std::chrono::duration<double>(Clock::now() - start).count());
  });
  return stopped.get_future().get();
}

Totals Collect(const std::vector<std::shared_ptr<Driver>>& drivers, double seconds) {
  Totals totals;
  totals.seconds = seconds;
  for (const auto& driver : drivers) {
    totals.latencies_us.insert(totals.latencies_us.end(), driver->latencies_us.begin(),
                               driver->latencies_us.end());
    totals.events += driver->events;
    totals.rejected += driver->rejected;
    if (totals.failure.empty()) totals.failure = driver->failure;
    if (totals.failure.empty() && !driver->first_rejection.empty()) {
      totals.failure = "first rejection: " + driver->first_rejection;
    }
  }
  std::sort(totals.latencies_us.begin(), totals.latencies_us.end());
  return totals;
}

void Report(const Ctl& ctl, const BenchOptions& options, Totals& t) {
  const double events_per_second = static_cast<double>(t.events) / t.seconds;
  const double p50 = Percentile(t.latencies_us, 0.50), p99 = Percentile(t.latencies_us, 0.99),
               p999 = Percentile(t.latencies_us, 0.999);
  if (ctl.options.json) {
    Ctl::PrintJson({{"workload", options.workload},
                    {"connections", options.connections},
                    {"pipeline", options.pipeline},
                    {"batch", options.batch},
                    {"duration_s", t.seconds},
                    {"events", t.events},
                    {"events_per_second", events_per_second},
                    {"requests", t.latencies_us.size()},
                    {"rejected_commands", t.rejected},
                    {"latency_us", {{"p50", p50}, {"p99", p99}, {"p999", p999}}},
                    {"failure", t.failure}});
    return;
  }
  std::printf("%s: %d connections x %d in flight x %d per request, %.1f s\n",
              options.workload.c_str(), options.connections, options.pipeline, options.batch,
              t.seconds);
  std::printf("  %.0f events/s (%llu events, %zu requests, %llu rejected)\n", events_per_second,
              static_cast<unsigned long long>(t.events), t.latencies_us.size(),
              static_cast<unsigned long long>(t.rejected));
  std::printf("  request latency: p50 %.0f us, p99 %.0f us, p99.9 %.0f us\n", p50, p99, p999);
  if (!t.failure.empty()) std::printf("  stopped early: %s\n", t.failure.c_str());
}

}  // namespace

int RunBench(Ctl& ctl, const BenchOptions& options) {
  const Workload workload = options.workload == "opaque"   ? Workload::kOpaque
                            : options.workload == "orders" ? Workload::kOrders
                                                           : Workload::kRealistic;
  const std::string run =
      std::to_string(std::chrono::system_clock::now().time_since_epoch().count() % 1'000'000'000);
  client::ConnectOptions connect;
  std::string error;
  if (!ctl.MakeConnectOptions(&connect, &error)) {
    ctl.PrintUsageError(error);
    return kExitUsage;
  }
  connect.client_name = "ledgerctl-bench";
  if (workload != Workload::kOpaque) {
    std::string key;
    if (int setup = Setup(ctl, run, &key); setup != kExitOk) return setup;
    connect.kind = p::CredentialKind::ApiKey;
    connect.credential = key;
    connect.environment = schema::Environment::Unspecified;
  }
  boost::asio::io_context io(1);
  auto guard = boost::asio::make_work_guard(io);
  std::thread io_thread([&io] { io.run(); });
  std::vector<std::shared_ptr<Driver>> drivers;
  double seconds = 0;
  const bool connected = ConnectAll(io, connect, workload, run, options, &drivers);
  if (connected) {
    seconds = Drive(io, drivers, options);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // Let answers in flight land.
  }
  guard.reset();
  io.stop();
  io_thread.join();
  if (!connected) return kExitConnection;
  Totals totals = Collect(drivers, seconds);
  Report(ctl, options, totals);
  return totals.failure.empty() && totals.rejected == 0 ? kExitOk : kExitRejected;
}

}  // namespace ledger::ctl
