#include "support/ratio_reporter.h"

#include <cstdio>

namespace ledger::bench {
namespace {

std::string BaseName(std::string name) {
  for (const char* suffix : {"/real_time", "/manual_time"}) {
    if (auto at = name.find(suffix); at != std::string::npos) name.erase(at);
  }
  return name;
}

}  // namespace

void RatioReporter::ReportRuns(const std::vector<Run>& runs) {
  ConsoleReporter::ReportRuns(runs);
  for (const Run& run : runs) {
    if (run.run_type != Run::RT_Iteration) continue;
    auto it = run.counters.find("items_per_second");
    if (it == run.counters.end()) continue;
    std::string name = BaseName(run.benchmark_name());
    if (run.threads > 1) name += "/threads:" + std::to_string(run.threads);
    rates_[name] = it->second.value;
  }
}

double RatioReporter::Rate(const std::string& name) const {
  auto it = rates_.find(name);
  return it == rates_.end() ? 0.0 : it->second;
}

void RatioReporter::PrintRatios(
    const std::string& title, const std::vector<std::pair<std::string, std::string>>& pairs) const {
  std::printf("\n%s\n%-44s %14s %14s %8s\n", title.c_str(), "subject", "events/s", "baseline/s",
              "ratio");
  for (const auto& [subject, baseline] : pairs) {
    double rate = Rate(subject);
    double base = Rate(baseline);
    if (rate == 0 || base == 0) continue;
    std::printf("%-44s %14.0f %14.0f %7.2fx\n", subject.c_str(), rate, base, rate / base);
  }
  std::fflush(stdout);
}

}  // namespace ledger::bench
