// ledgerctl: the command-line client of ledgerd. One subcommand per request; tables for
// people, --json for programs. `ledgerctl --help` and `ledgerctl <command> --help` list
// everything; docs/cli.md has examples.
//
// Exit codes: 0 done, 1 refused by the server, 2 usage error, 3 no connection.
#include <CLI/CLI.hpp>
#include <csignal>
#include <string_view>

#include "commands_domain.h"
#include "commands_log.h"
#include "commands_queries.h"
#include "ctl.h"
#include "decimal_options.h"
#include "tools.h"

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  ledger::ctl::Ctl ctl;
  CLI::App app{"ledgerctl: talk to a ledgerd server"};
  app.set_version_flag("--version", "ledgerctl 0.1.0");
  app.require_subcommand(1);
  app.fallthrough();  // Global options may also follow the subcommand.
  auto& o = ctl.options;
  app.add_option("--server", o.server, "host:port of ledgerd (default 127.0.0.1:7400)")
      ->envname("LEDGER_SERVER");
  app.add_option("--credential", o.credential, "<id>.<secret>")->envname("LEDGER_CREDENTIAL");
  app.add_option("--credential-file", o.credential_file, "a file holding the credential")
      ->envname("LEDGER_CREDENTIAL_FILE");
  app.add_option("--as", o.as, "root, key or user (default: root for root.*, else user)")
      ->envname("LEDGER_AS")
      ->check(CLI::IsMember({"root", "key", "user"}));
  app.add_option("--env", o.environment, "sandbox or production (users choose; default sandbox)")
      ->envname("LEDGER_ENV")
      ->check(CLI::IsMember({"sandbox", "production"}));
  app.add_flag("--json", o.json, "machine-readable output");
  app.add_option("--timeout-ms", o.timeout_ms, "how long to wait for a response")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{24} * 3600 * 1000));

  ledger::ctl::AddDirectoryCommands(app, ctl);
  ledger::ctl::AddPaymentCommands(app, ctl);
  ledger::ctl::AddLogCommands(app, ctl);
  ledger::ctl::AddBackupCommand(app, ctl);
  ledger::ctl::AddQueryCommands(app, ctl);
  ledger::ctl::AddProjectionCommands(app, ctl);
  ledger::ctl::AddToolCommands(app, ctl);
  ledger::ctl::RequireDecimalIntegers(app);
  const auto given = [argc, argv](std::string_view flag) {
    for (int i = 1; i < argc; ++i) {
      std::string_view arg = argv[i];
      if (arg == flag ||
          (arg.starts_with(flag) && arg.size() > flag.size() && arg[flag.size()] == '=')) {
        return true;
      }
    }
    return false;
  };
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const bool asked = e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success);
    if (!asked && given("--json")) {
      // --json may follow the mistake, so it is looked for in the arguments themselves.
      o.json = true;
      ctl.PrintUsageError(e.what());
      return ledger::ctl::kExitUsage;
    }
    return app.exit(e) == 0 ? ledger::ctl::kExitOk : ledger::ctl::kExitUsage;
  }
  // A flag beats an environment variable: --credential-file given on the command line wins over
  // a LEDGER_CREDENTIAL the environment happens to hold.
  if (given("--credential-file") && !given("--credential")) o.credential.clear();
  if (!ctl.action) {
    std::fputs(app.help().c_str(), stderr);
    return ledger::ctl::kExitUsage;
  }
  return ctl.action(ctl);
}
