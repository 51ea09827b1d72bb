#include "hostile/control_client.h"

#include <algorithm>

#include "ledger/schema/protocol_generated.h"

namespace ledger::testing {
namespace {

namespace p = protocol;

/// Pause between two control requests: a steady client, not a load generator.
constexpr auto kPause = std::chrono::milliseconds(5);
/// A control request that takes longer than this counts as failed.
constexpr auto kRequestTimeout = std::chrono::seconds(20);

client::BodyBuilder ControlAppend(std::uint64_t n) {
  return [n](flatbuffers::FlatBufferBuilder& b) {
    const std::string key = "control-" + std::to_string(n);
    std::vector<std::uint8_t> payload(64, static_cast<std::uint8_t>(n));
    std::vector<flatbuffers::Offset<p::EventInput>> inputs{p::CreateEventInputDirect(
        b, "opaque/control", p::ExpectedKind::Any, 0, &payload, key.c_str())};
    return p::CreateAppendEventsDirect(b, &inputs).Union();
  };
}

client::BodyBuilder Ping() {
  return [](flatbuffers::FlatBufferBuilder& b) { return p::CreatePing(b).Union(); };
}

double Percentile(const std::vector<double>& sorted, double fraction) {
  if (sorted.empty()) return 0;
  const auto index = static_cast<std::size_t>(fraction * static_cast<double>(sorted.size() - 1));
  return sorted[index];
}

LatencySummary Summarize(std::vector<double> latencies) {
  std::sort(latencies.begin(), latencies.end());
  LatencySummary summary;
  summary.requests = latencies.size();
  summary.p50_ms = Percentile(latencies, 0.50);
  summary.p99_ms = Percentile(latencies, 0.99);
  summary.max_ms = latencies.empty() ? 0 : latencies.back();
  return summary;
}

}  // namespace

ControlClient::ControlClient(std::uint16_t port, const std::string& root_credential) {
  client::ConnectOptions options;
  options.port = port;
  options.kind = p::CredentialKind::Root;
  options.credential = root_credential;
  options.client_name = "control";
  client::ClientError error;
  client_ = client::Client::Connect(std::move(options), &error);
}

ControlClient::~ControlClient() { Stop(); }

void ControlClient::Start() {
  thread_ = std::thread([this] { Run(); });
}

void ControlClient::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void ControlClient::SetPhase(const std::string& phase) {
  std::lock_guard lock(mutex_);
  phase_ = phase;
}

void ControlClient::Run() {
  for (std::uint64_t n = 0; !stop_.load(); ++n) {
    std::string phase;
    {
      std::lock_guard lock(mutex_);
      phase = phase_;
    }
    const auto started = std::chrono::steady_clock::now();
    client::Reply reply =
        n % 2 == 0 ? client_->Call(p::RequestBody::AppendEvents, ControlAppend(n), kRequestTimeout)
                   : client_->Call(p::RequestBody::Ping, Ping(), kRequestTimeout);
    const std::chrono::duration<double, std::milli> took =
        std::chrono::steady_clock::now() - started;
    {
      std::lock_guard lock(mutex_);
      latencies_ms_[phase].push_back(took.count());
      if (!reply.ok()) failures_.push_back(phase + ": " + reply.error().ToString());
    }
    std::this_thread::sleep_for(kPause);
  }
}

LatencySummary ControlClient::Summary(const std::string& phase) const {
  std::vector<double> latencies;
  {
    std::lock_guard lock(mutex_);
    auto found = latencies_ms_.find(phase);
    if (found != latencies_ms_.end()) latencies = found->second;
  }
  return Summarize(std::move(latencies));
}

LatencySummary ControlClient::SummaryExcept(const std::vector<std::string>& excluded) const {
  std::vector<double> latencies;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [phase, phase_latencies] : latencies_ms_) {
      if (std::find(excluded.begin(), excluded.end(), phase) != excluded.end()) continue;
      latencies.insert(latencies.end(), phase_latencies.begin(), phase_latencies.end());
    }
  }
  return Summarize(std::move(latencies));
}

std::vector<std::string> ControlClient::Failures() const {
  std::lock_guard lock(mutex_);
  return failures_;
}

std::size_t ControlClient::Requests() const {
  std::lock_guard lock(mutex_);
  std::size_t total = 0;
  for (const auto& [phase, latencies] : latencies_ms_) total += latencies.size();
  return total;
}

}  // namespace ledger::testing
