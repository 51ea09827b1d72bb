#include "command_batcher.h"

#include <boost/asio/post.hpp>

#include "ledger/limits.h"
#include "responses.h"

namespace ledger::server {

CommandBatcher::CommandBatcher(std::shared_ptr<boost::asio::io_context> io, Ledger& ledger,
                               Encoder encoder)
    : io_(std::move(io)), ledger_(ledger), encoder_(encoder) {}

void CommandBatcher::Add(std::vector<CommandRequest> commands, const Responder& responder) {
  if (commands_.size() + commands.size() > limits::kBatchCommandsMax) Flush();
  waiting_.push_back(Waiting{commands_.size(), commands.size(), responder});
  for (CommandRequest& command : commands) commands_.push_back(std::move(command));
  if (!flush_scheduled_) {
    flush_scheduled_ = true;
    boost::asio::post(*io_, [this] { Flush(); });
  }
}

void CommandBatcher::Flush() {
  flush_scheduled_ = false;
  if (waiting_.empty()) return;
  auto waiting = std::make_shared<std::vector<Waiting>>(std::move(waiting_));
  std::vector<CommandRequest> commands = std::move(commands_);
  waiting_.clear();
  commands_.clear();
  ledger_.ExecuteAsync(std::move(commands), [io = io_, encoder = encoder_, waiting](
                                                Status status, std::vector<CommandResult> results) {
    // One hop to the io thread for the whole group; each request gets its slice there.
    boost::asio::post(
        *io, [encoder, waiting, status = std::move(status), results = std::move(results)] {
          for (const Waiting& w : *waiting) {
            if (!status.ok()) {
              w.responder.Fail(ErrorCodeOf(status), status.message());
            } else {
              w.responder.Finish(
                  encoder(w.responder.request_id(),
                          std::span<const CommandResult>(results).subspan(w.first, w.count)));
            }
          }
        });
  });
}

}  // namespace ledger::server
