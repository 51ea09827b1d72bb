#include "kill/ledgerd_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <thread>
#include <vector>

namespace ledger::reliability {
namespace {

/// Forks and execs `args` with stdout to `out` (truncated) and stderr to `err` (appended).
pid_t SpawnWithOutput(std::vector<std::string> args, const std::string& out,
                      const std::string& err) {
  pid_t pid = ::fork();
  if (pid != 0) return pid;
  int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (out_fd < 0 || err_fd < 0) ::_exit(126);
  ::dup2(out_fd, STDOUT_FILENO);
  ::dup2(err_fd, STDERR_FILENO);
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  ::execv(argv[0], argv.data());
  ::_exit(127);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

LedgerdProcess::LedgerdProcess(std::string ledgerd, std::string data, std::string work,
                               std::vector<std::string> extra)
    : ledgerd_(std::move(ledgerd)),
      data_(std::move(data)),
      stdout_file_(work + "/ledgerd.stdout"),
      log_file_(work + "/ledgerd.log"),
      extra_(std::move(extra)) {}

LedgerdProcess::~LedgerdProcess() {
  if (running()) Kill();
}

Result<std::string> LedgerdProcess::Init() {
  pid_t pid = SpawnWithOutput({ledgerd_, "init", "--data", data_}, stdout_file_, log_file_);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Status::IoError("ledgerd init failed; see " + log_file_);
  }
  // The credential is "root." and 64 hexadecimal digits (other lines may name root.sha256).
  static const std::regex kCredential("root\\.[0-9a-f]{64}");
  std::smatch match;
  const std::string out = ReadFile(stdout_file_);
  if (std::regex_search(out, match, kCredential)) return match.str();
  return Status::Corruption("ledgerd init printed no root credential");
}

Status LedgerdProcess::Spawn() {
  // Emptied here, not in the child: the last process's address must never be read as this one's.
  ::truncate(stdout_file_.c_str(), 0);
  pid_ =
      SpawnWithOutput({ledgerd_, "--data", data_, "--listen", "127.0.0.1:0", "--log-level", "warn"},
                      stdout_file_, log_file_);
  return pid_ > 0 ? Status::Ok() : Status::IoError("fork failed");
}

Result<std::uint16_t> LedgerdProcess::WaitUntilListening(std::chrono::milliseconds timeout) {
  constexpr std::string_view kPrefix = "listening on 127.0.0.1:";
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::string out = ReadFile(stdout_file_);
    auto at = out.find(kPrefix);
    auto end = at == std::string::npos ? at : out.find('\n', at);
    if (end != std::string::npos) {
      return static_cast<std::uint16_t>(
          std::stoi(out.substr(at + kPrefix.size(), end - at - kPrefix.size())));
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return Status::IoError("ledgerd exited before listening; see " + log_file_);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return Status::IoError("ledgerd did not listen in time; see " + log_file_);
}

void LedgerdProcess::Kill() {
  if (!running()) return;
  ::kill(pid_, SIGKILL);
  Reap();
}

int LedgerdProcess::Terminate() {
  if (!running()) return -1;
  ::kill(pid_, SIGTERM);
  return Reap();
}

int LedgerdProcess::Reap() {
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return WIFSIGNALED(status) ? -WTERMSIG(status) : -1;
}

}  // namespace ledger::reliability
