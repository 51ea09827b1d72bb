// CPU time the whole process spends, every thread counted: the writer, the commit thread, the
// index flusher and RocksDB's own flushes and compactions as well as the caller. On a machine
// with few cores a write path's rate is bounded by its CPU per event, so this is the figure to
// compare when a change moves work between threads; it also varies far less between runs than
// the rate, which moves with the disk's fsync time.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>

namespace ledger::bench {

/// CPU seconds used by this process so far.
double ProcessCpuSeconds();

/// Measures the process's CPU per item over a benchmark's loop: start it before the loop and
/// call Report after it. Only thread 0 reports, counting the items of every thread, as the
/// process clock counts every thread's CPU.
class ProcessCpuPerItem {
 public:
  explicit ProcessCpuPerItem(const benchmark::State& state);
  /// Sets the counter "cpu_us/event": process CPU microseconds per item.
  void Report(benchmark::State& state, std::int64_t items_per_thread) const;

 private:
  double start_seconds_ = 0;
};

}  // namespace ledger::bench
