#include "views_waiter.h"

#include <pthread.h>

#include <algorithm>
#include <boost/asio/post.hpp>

namespace ledger::server {
namespace {

/// How long the thread waits on the views before it looks at requests that came meanwhile:
/// a request whose sequence is already applied never waits here (Await runs it at once), so
/// this bounds only how late one that waited is noticed after a newer request arrived.
constexpr std::chrono::milliseconds kRecheck{20};

}  // namespace

ViewsWaiter::ViewsWaiter(const projections::Projector* projector, boost::asio::thread_pool& pool)
    : projector_(projector), pool_(pool) {
  if (projector_ == nullptr) return;
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "ledgerd-views");
    Loop();
  });
}

ViewsWaiter::~ViewsWaiter() { Stop(); }

void ViewsWaiter::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::vector<Waiting> left;
  {
    std::lock_guard lock(mutex_);
    left.swap(waiting_);
  }
  for (Waiting& waiting : left) Post(std::move(waiting.run), false);
}

void ViewsWaiter::Post(Run run, bool reached) {
  boost::asio::post(pool_, [run = std::move(run), reached] { run(reached); });
}

void ViewsWaiter::Await(SequenceNumber min_sequence, std::chrono::milliseconds wait, Run run) {
  if (projector_ == nullptr || min_sequence.value == 0 ||
      projector_->WaitForSequence(min_sequence, std::chrono::milliseconds(0))) {
    return Post(std::move(run), true);
  }
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      waiting_.push_back({min_sequence, Clock::now() + wait, std::move(run)});
      run = nullptr;
    }
  }
  if (run) return Post(std::move(run), false);
  wake_.notify_all();
}

void ViewsWaiter::Loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (waiting_.empty()) {
      wake_.wait(lock);
      continue;
    }
    // Run what is ready or out of time; note the lowest sequence and nearest deadline left.
    const Clock::time_point now = Clock::now();
    SequenceNumber lowest{UINT64_MAX};
    Clock::time_point nearest = Clock::time_point::max();
    for (auto it = waiting_.begin(); it != waiting_.end();) {
      const bool reached =
          projector_->WaitForSequence(it->min_sequence, std::chrono::milliseconds(0));
      if (reached || now >= it->deadline) {
        Post(std::move(it->run), reached);
        it = waiting_.erase(it);
        continue;
      }
      lowest = std::min(lowest, it->min_sequence);
      nearest = std::min(nearest, it->deadline);
      ++it;
    }
    if (waiting_.empty()) continue;
    const auto until_deadline =
        std::chrono::duration_cast<std::chrono::milliseconds>(nearest - now) +
        std::chrono::milliseconds(1);
    lock.unlock();
    // Wakes as soon as the views reach the lowest sequence waited for.
    (void)projector_->WaitForSequence(lowest, std::min(until_deadline, kRecheck));
    lock.lock();
  }
}

}  // namespace ledger::server
