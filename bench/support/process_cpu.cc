#include "support/process_cpu.h"

#include <ctime>

namespace ledger::bench {

double ProcessCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

ProcessCpuPerItem::ProcessCpuPerItem(const benchmark::State& state) {
  if (state.thread_index() == 0) start_seconds_ = ProcessCpuSeconds();
}

void ProcessCpuPerItem::Report(benchmark::State& state, std::int64_t items_per_thread) const {
  if (state.thread_index() != 0 || items_per_thread <= 0) return;
  const double items = static_cast<double>(items_per_thread) * state.threads();
  state.counters["cpu_us/event"] = (ProcessCpuSeconds() - start_seconds_) * 1e6 / items;
}

}  // namespace ledger::bench
