#include "support/bench_dir.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace ledger::bench {

BenchDir::BenchDir(const std::string& name) {
  const char* root = std::getenv("LEDGER_BENCH_DIR");
  path_ =
      std::string(root ? root : "/tmp") + "/ledger-bench-" + std::to_string(getpid()) + "-" + name;
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

BenchDir::~BenchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace ledger::bench
