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
    Figures& figures = figures_[name];
    figures.rate = it->second.value;
    auto cpu = run.counters.find("cpu_us/event");
    figures.cpu_us_per_event = cpu == run.counters.end() ? 0.0 : cpu->second.value;
  }
}

double RatioReporter::Rate(const std::string& name) const {
  auto it = figures_.find(name);
  return it == figures_.end() ? 0.0 : it->second.rate;
}

void RatioReporter::PrintRatios(
    const std::string& title, const std::vector<std::pair<std::string, std::string>>& pairs) const {
  struct Line {
    std::string subject;
    Figures ours;
    Figures base;
  };
  std::vector<Line> lines;
  bool any_cpu = false;
  for (const auto& [subject, baseline] : pairs) {
    auto ours = figures_.find(subject);
    auto base = figures_.find(baseline);
    if (ours == figures_.end() || base == figures_.end()) continue;
    if (ours->second.rate == 0 || base->second.rate == 0) continue;
    lines.push_back({subject, ours->second, base->second});
    any_cpu = any_cpu || (ours->second.cpu_us_per_event > 0 && base->second.cpu_us_per_event > 0);
  }
  std::printf("\n%s\n%-44s %14s %14s %8s%s\n", title.c_str(), "subject", "events/s", "baseline/s",
              "ratio", any_cpu ? "   CPU us/event (baseline)" : "");
  for (const Line& line : lines) {
    std::printf("%-44s %14.0f %14.0f %7.2fx", line.subject.c_str(), line.ours.rate, line.base.rate,
                line.ours.rate / line.base.rate);
    if (line.ours.cpu_us_per_event > 0 && line.base.cpu_us_per_event > 0) {
      std::printf(" %11.2f (%.2f)", line.ours.cpu_us_per_event, line.base.cpu_us_per_event);
    }
    std::printf("\n");
  }
  std::fflush(stdout);
}

}  // namespace ledger::bench
