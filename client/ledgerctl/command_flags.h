// The flags every command subcommand takes: an idempotency key, a correlation id and the
// version the command's stream must be at. One definition, so that every command reads them
// the same way.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "ledger/client/commands.h"

namespace ledger::ctl {

struct CommandFlags {
  std::string idempotency_key;
  std::string correlation_id;
  std::optional<std::uint64_t> expect_version;
  bool expect_new = false;

  /// Adds --idempotency-key, --correlation-id, --expect-version and --expect-new to `sub`.
  void AddTo(CLI::App& sub);
  client::CommandOptions Options() const;
};

}  // namespace ledger::ctl
