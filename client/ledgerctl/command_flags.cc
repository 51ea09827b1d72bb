#include "command_flags.h"

namespace ledger::ctl {

void CommandFlags::AddTo(CLI::App& sub) {
  sub.add_option("--idempotency-key", idempotency_key,
                 "makes a retry safe: the same key and command is recorded once");
  sub.add_option("--correlation-id", correlation_id, "ties a business flow together");
  auto* version = sub.add_option("--expect-version", expect_version,
                                 "refuse (Conflict wrong_expected_version) unless the command's "
                                 "stream is at this version");
  auto* fresh = sub.add_flag("--expect-new", expect_new,
                             "refuse unless the command's stream does not exist yet");
  version->excludes(fresh);
}

client::CommandOptions CommandFlags::Options() const {
  client::CommandOptions options = client::WithKey(idempotency_key);
  options.correlation_id = correlation_id;
  if (expect_new) options.ExpectNoStream();
  if (expect_version) options.ExpectVersion(*expect_version);
  return options;
}

}  // namespace ledger::ctl
