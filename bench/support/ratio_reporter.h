// A console reporter that also remembers each benchmark's rate, so a program can print the
// ratio of Ledger to the raw RocksDB ceiling measured in the same run, and, where a benchmark
// reports it (process_cpu.h), the CPU each side spends per event.
#pragma once

#include <benchmark/benchmark.h>

#include <map>
#include <string>
#include <vector>

namespace ledger::bench {

class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override;
  /// items_per_second of the benchmark named `name`, or 0 when it did not run. Names drop the
  /// /real_time suffix and carry "/threads:N" when N > 1.
  double Rate(const std::string& name) const;
  /// Prints "subject  ledger/s  baseline/s  ratio" for each pair, then both sides' process
  /// CPU microseconds per event when both reported it.
  void PrintRatios(const std::string& title,
                   const std::vector<std::pair<std::string, std::string>>& pairs) const;

 private:
  struct Figures {
    double rate = 0;
    double cpu_us_per_event = 0;  // 0: not reported.
  };
  std::map<std::string, Figures> figures_;
};

}  // namespace ledger::bench
