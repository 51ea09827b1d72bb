// Where requests wait for the views to reach a sequence (QueryOptions::min_sequence) before
// they run: on one thread of its own, not in the blocking pool. A pool thread held up to
// 10 s by one client's wait would stall every other connection's queries, exports and log
// reads behind it (the pool has a few threads); here any number of requests wait at the cost
// of an entry each, and the pool only runs requests whose views are ready.
//
// Thread-safety: Await from any thread. Stop (or the destructor) ends the thread and runs
// every request still waiting, as not reached, so none is lost: call it before the pool stops.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "ledger/engine/types.h"
#include "ledger/projections/projector.h"

namespace ledger::server {

class ViewsWaiter {
 public:
  /// `run(reached)`: reached is true when every projection applied the sequence in time.
  using Run = std::function<void(bool reached)>;

  ViewsWaiter(const projections::Projector* projector, boost::asio::thread_pool& pool);
  ~ViewsWaiter();
  /// Idempotent.
  void Stop();
  ViewsWaiter(const ViewsWaiter&) = delete;
  ViewsWaiter& operator=(const ViewsWaiter&) = delete;

  /// Posts `run` to the pool once every projection has applied `min_sequence` (true), or once
  /// `wait` has passed without that (false); at once when min_sequence is 0, when the views
  /// are already there, or when there are no projections (true: the request reports that).
  void Await(SequenceNumber min_sequence, std::chrono::milliseconds wait, Run run);

 private:
  using Clock = std::chrono::steady_clock;
  struct Waiting {
    SequenceNumber min_sequence;
    Clock::time_point deadline;
    Run run;
  };

  void Loop();
  void Post(Run run, bool reached);

  const projections::Projector* projector_;
  boost::asio::thread_pool& pool_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Waiting> waiting_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace ledger::server
