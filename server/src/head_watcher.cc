#include "head_watcher.h"

#include <chrono>

namespace ledger::server {

/// How long one wait lasts, so Stop() is noticed in time.
constexpr std::chrono::milliseconds kWaitPeriod{100};

HeadWatcher::HeadWatcher(const Log& log, Callback on_advance)
    : log_(log), on_advance_(std::move(on_advance)) {}

HeadWatcher::~HeadWatcher() { Stop(); }

void HeadWatcher::Start() {
  thread_ = std::thread([this] { Run(); });
}

void HeadWatcher::Stop() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
}

void HeadWatcher::Run() {
  SequenceNumber seen = log_.Head().sequence;
  while (!stop_.load()) {
    if (!log_.WaitForSequence(seen.Next(), kWaitPeriod)) continue;
    seen = log_.Head().sequence;
    on_advance_(seen);
  }
}

}  // namespace ledger::server
