// `ledgerctl backup --to DIR` (root): a consistent copy of the running ledger, written by the
// server into DIR on its own machine (docs/operations.md, "Backup and restore").
#include <iostream>
#include <memory>

#include "commands_log.h"

namespace ledger::ctl {
namespace {

namespace p = protocol;

int PrintBackup(Ctl& ctl, const client::Reply& reply) {
  if (!reply.ok()) return ctl.ExitCodeOf(reply);
  const auto* backup = reply.body<p::BackupCreated>();
  if (backup == nullptr) return kExitConnection;
  if (ctl.options.json) {
    // Every field of BackupCreated, hashes in lower-case hex.
    Ctl::PrintJson(ResponseJson(reply));
    return kExitOk;
  }
  std::cout << "backup written to " << Text(backup->path()) << " in " << backup->duration_ms()
            << " ms\nhead " << backup->head_sequence() << " " << Hex(backup->head_hash()) << "\n";
  if (backup->snapshot_sequence() > 0) {
    std::cout << "domain snapshot at " << backup->snapshot_sequence() << "\n";
  } else {
    std::cout << "no domain snapshot: a start on it replays the whole log\n";
  }
  std::cout << backup->files() << " files, " << backup->bytes() << " bytes\n";
  return kExitOk;
}

}  // namespace

void AddBackupCommand(CLI::App& app, Ctl& ctl) {
  auto to = std::make_shared<std::string>();
  auto* backup = app.add_subcommand(
      "backup", "root: write a consistent copy of the running ledger into a directory");
  backup
      ->add_option("--to", *to,
                   "absolute path on the server's machine: a new or empty directory whose parent "
                   "exists")
      ->required();
  backup->callback([&ctl, to] {
    ctl.action = [to](Ctl& c) {
      return PrintBackup(c, c.Call(p::RequestBody::CreateBackup, [&](auto& b) {
        return p::CreateCreateBackupDirect(b, to->c_str()).Union();
      }));
    };
  });
}

}  // namespace ledger::ctl
