#include "kill/command_journal.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <stdexcept>

namespace ledger::reliability {

CommandJournal::CommandJournal(const std::string& path) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd_ < 0) throw std::runtime_error("cannot open the journal " + path);
}

CommandJournal::~CommandJournal() { ::close(fd_); }

void CommandJournal::WriteLine(const std::string& line, bool sync) {
  if (::write(fd_, line.data(), line.size()) != static_cast<ssize_t>(line.size()) ||
      (sync && ::fdatasync(fd_) != 0)) {
    throw std::runtime_error("cannot write the journal");
  }
}

void CommandJournal::Sent(const std::vector<SentCommand>& commands) {
  std::string lines;
  for (const auto& command : commands) {
    lines += fmt::format("sent {} type={}{}\n", command.key, static_cast<int>(command.event_type),
                         command.retry ? " retry" : "");
  }
  std::lock_guard lock(mutex_);
  WriteLine(lines, /*sync=*/true);
  for (const auto& command : commands) cycle_[command.key] = command;
}

void CommandJournal::Answered(const std::string& key, Outcome outcome, std::uint64_t sequence) {
  std::lock_guard lock(mutex_);
  WriteLine(outcome == Outcome::kAcknowledged ? fmt::format("ack {} seq={}\n", key, sequence)
                                              : fmt::format("rejected {}\n", key),
            /*sync=*/false);
  auto& command = cycle_.at(key);
  command.outcome = outcome;
  command.sequence = sequence;
}

std::map<std::string, SentCommand> CommandJournal::TakeCycle() {
  std::lock_guard lock(mutex_);
  WriteLine("cycle\n", /*sync=*/true);
  return std::exchange(cycle_, {});
}

std::size_t CommandJournal::sent_count() const {
  std::lock_guard lock(mutex_);
  return cycle_.size();
}

}  // namespace ledger::reliability
