// Scratch directories for benchmarks: under $LEDGER_BENCH_DIR (default /tmp), removed after.
#pragma once

#include <string>

namespace ledger::bench {

class BenchDir {
 public:
  explicit BenchDir(const std::string& name);
  ~BenchDir();
  BenchDir(const BenchDir&) = delete;
  BenchDir& operator=(const BenchDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace ledger::bench
