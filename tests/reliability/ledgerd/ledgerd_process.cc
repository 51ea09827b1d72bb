#include "ledgerd/ledgerd_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

namespace ledger::testing {
namespace {

/// Forks and execs `args`: stdout to `out` (truncated), stderr appended to `err`, and the soft
/// limit of open files set to `files_soft` unless that is RLIM_INFINITY.
pid_t SpawnWithOutput(std::vector<std::string> args, const std::string& out, const std::string& err,
                      rlim_t files_soft) {
  pid_t pid = ::fork();
  if (pid != 0) return pid;
  int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (out_fd < 0 || err_fd < 0) ::_exit(126);
  ::dup2(out_fd, STDOUT_FILENO);
  ::dup2(err_fd, STDERR_FILENO);
  if (files_soft != RLIM_INFINITY) {
    rlimit files{};
    ::getrlimit(RLIMIT_NOFILE, &files);
    files.rlim_cur = files_soft;
    ::setrlimit(RLIMIT_NOFILE, &files);
  }
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

std::size_t StatusKilobytes(pid_t pid, const std::string& field) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stoull(line.substr(field.size() + 1));
  }
  return 0;
}

}  // namespace

Result<std::string> LedgerdProcess::Init(const LedgerdOptions& options) {
  const std::string out = options.log_file + ".stdout";
  pid_t pid = SpawnWithOutput({options.ledgerd, "init", "--data", options.data_directory}, out,
                              options.log_file, RLIM_INFINITY);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Status::IoError("ledgerd init failed; see " + options.log_file);
  }
  // The credential is "root." and 64 hexadecimal digits (other lines may name root.sha256).
  static const std::regex kCredential("root\\.[0-9a-f]{64}");
  std::smatch match;
  const std::string printed = ReadFile(out);
  if (std::regex_search(printed, match, kCredential)) return match.str();
  return Status::Corruption("ledgerd init printed no root credential");
}

LedgerdProcess::LedgerdProcess(LedgerdOptions options)
    : options_(std::move(options)), stdout_file_(options_.log_file + ".stdout") {}

LedgerdProcess::~LedgerdProcess() {
  if (running()) Kill();
}

Status LedgerdProcess::Spawn() {
  // Emptied here, not in the child: the last process's address must never be read as this one's.
  ::truncate(stdout_file_.c_str(), 0);
  std::vector<std::string> args = {options_.ledgerd, "--data", options_.data_directory, "--listen",
                                   "127.0.0.1:0"};
  args.insert(args.end(), options_.flags.begin(), options_.flags.end());
  pid_ = SpawnWithOutput(std::move(args), stdout_file_, options_.log_file,
                         options_.open_files_soft_limit);
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
      port_ = static_cast<std::uint16_t>(
          std::stoi(out.substr(at + kPrefix.size(), end - at - kPrefix.size())));
      return port_;
    }
    if (!Alive()) return Status::IoError("ledgerd exited before listening; see " + log_file());
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return Status::IoError("ledgerd did not listen in time; see " + log_file());
}

Result<std::uint16_t> LedgerdProcess::Start(std::chrono::milliseconds timeout) {
  if (Status spawned = Spawn(); !spawned.ok()) return spawned;
  return WaitUntilListening(timeout);
}

void LedgerdProcess::Kill() {
  if (!running()) return;
  ::kill(pid_, SIGKILL);
  Reap(0);
}

int LedgerdProcess::Stop() {
  if (!running()) return -1;
  ::kill(pid_, SIGTERM);
  return Reap(0);
}

bool LedgerdProcess::Alive() {
  if (!running()) return false;
  Reap(WNOHANG);  // Forgets the process if it has exited.
  return running();
}

int LedgerdProcess::Reap(int wait_options) {
  int status = 0;
  if (::waitpid(pid_, &status, wait_options) != pid_) return -1;
  pid_ = -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return WIFSIGNALED(status) ? -WTERMSIG(status) : -1;
}

std::size_t LedgerdProcess::PeakResidentBytes() const {
  return StatusKilobytes(pid_, "VmHWM") * 1024;
}

std::size_t LedgerdProcess::ResidentBytes() const { return StatusKilobytes(pid_, "VmRSS") * 1024; }

}  // namespace ledger::testing
