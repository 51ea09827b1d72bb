// A console reporter that also remembers each benchmark's rate, so a program can print the
// ratio of Ledger to the raw RocksDB ceiling measured in the same run.
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
  /// Prints "subject  ledger/s  baseline/s  ratio" for each pair.
  void PrintRatios(const std::string& title,
                   const std::vector<std::pair<std::string, std::string>>& pairs) const;

 private:
  std::map<std::string, double> rates_;
};

}  // namespace ledger::bench
