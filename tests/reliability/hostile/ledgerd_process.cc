#include "hostile/ledgerd_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <fstream>

namespace ledger::testing {
namespace {

/// Forks and execs `args` with stdout into a pipe; returns the child's pid and the pipe.
pid_t Spawn(std::vector<std::string> args, const std::string& stderr_file, rlim_t files_soft,
            FILE** output) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return -1;
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(pipe_fds[1], STDOUT_FILENO);
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    if (!stderr_file.empty()) {
      const int log = ::open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
      ::dup2(log, STDERR_FILENO);
      ::close(log);
    }
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
  ::close(pipe_fds[1]);
  *output = ::fdopen(pipe_fds[0], "r");
  return pid;
}

std::string ReadLine(FILE* output) {
  char line[512] = {};
  return std::fgets(line, sizeof line, output) != nullptr ? std::string(line) : std::string();
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

std::string LedgerdProcess::Init(const std::string& data_directory) {
  FILE* output = nullptr;
  const pid_t pid =
      Spawn({LEDGERD_PATH, "init", "--data", data_directory}, "", RLIM_INFINITY, &output);
  if (pid < 0) return "";
  std::string credential;
  for (std::string line = ReadLine(output); !line.empty(); line = ReadLine(output)) {
    if (line.find("root.") != std::string::npos) credential = line.substr(line.find("root."));
  }
  std::fclose(output);
  int status = 0;
  ::waitpid(pid, &status, 0);
  while (!credential.empty() && std::isspace(static_cast<unsigned char>(credential.back()))) {
    credential.pop_back();
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? credential : "";
}

LedgerdProcess::LedgerdProcess(LedgerdOptions options) {
  std::vector<std::string> args = {LEDGERD_PATH, "--data", options.data_directory, "--listen",
                                   "127.0.0.1:0"};
  args.insert(args.end(), options.flags.begin(), options.flags.end());
  FILE* output = nullptr;
  pid_ = Spawn(args, options.log_file, options.open_files_soft_limit, &output);
  if (pid_ < 0) return;
  const std::string line = ReadLine(output);
  std::fclose(output);  // ledgerd prints nothing else on stdout.
  if (line.rfind("listening on 127.0.0.1:", 0) == 0) {
    port_ = static_cast<std::uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
  }
}

LedgerdProcess::~LedgerdProcess() {
  if (pid_ > 0 && Alive()) {
    ::kill(pid_, SIGKILL);
    Reap(0);
  }
}

bool LedgerdProcess::Reap(int options) {
  int status = 0;
  if (::waitpid(pid_, &status, options) != pid_) return false;
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  pid_ = -1;
  return true;
}

bool LedgerdProcess::Alive() { return pid_ > 0 && !Reap(WNOHANG); }

int LedgerdProcess::Stop() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    Reap(0);
  }
  return exit_code_;
}

std::size_t LedgerdProcess::PeakResidentBytes() const {
  return StatusKilobytes(pid_, "VmHWM") * 1024;
}

std::size_t LedgerdProcess::ResidentBytes() const { return StatusKilobytes(pid_, "VmRSS") * 1024; }

}  // namespace ledger::testing
