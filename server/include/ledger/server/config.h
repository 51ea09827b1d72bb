// ledgerd's configuration: every setting, where its value came from, and the precedence
//
//   command-line flag  >  environment variable (LEDGER_*)  >  config file  >  default
//
// A config file holds `key = value` lines (keys are the flag names without "--"), with `#`
// comments and optional double quotes around values. Unknown keys and unknown flags are
// refused; environment variables other than the settings' own are ignored (the environment
// is shared with other programs). Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/engine/log.h"
#include "ledger/engine/status.h"

namespace ledger::server {

struct ServerConfig {
  /// The data directory (`ledgerd init` made it).
  std::string data = "./data";
  /// host:port to listen on; port 0 picks a free one.
  std::string listen = "127.0.0.1:7400";
  Durability durability = Durability::kSync;
  /// "text" or "json" (one JSON object per line).
  std::string log_format = "text";
  /// "trace", "debug", "info", "warn", "error" or "off".
  std::string log_level = "info";
  /// Silence allowed with nothing in flight, milliseconds (≤ limits::kIdleTimeoutMs).
  std::int64_t idle_timeout_ms = 0;
  /// Connections served at once (≤ limits::kConnectionsMax).
  std::uint32_t connections_max = 0;
  /// Domain events between two snapshots of the domain state (LedgerOptions).
  std::uint64_t snapshot_every_events = 0;
  /// Orders the domain keeps in memory (LedgerOptions::hot_orders_max).
  std::uint64_t hot_orders_max = 0;
};

enum class ConfigSource : std::uint8_t { kDefault, kFile, kEnvironment, kFlag };
std::string_view ConfigSourceName(ConfigSource source);

/// One setting: its name (flag "--name", file key "name"), its environment variable.
struct SettingInfo {
  std::string_view name;
  std::string_view environment_variable;
  std::string_view description;
};
/// Every setting, in the order --print-config shows them.
const std::vector<SettingInfo>& Settings();

struct ResolvedConfig {
  ServerConfig config;
  /// Setting name → where its value came from.
  std::map<std::string, ConfigSource> sources;
  /// The config file that was read, if any.
  std::string file;
};

/// Looks an environment variable up; nullopt when unset.
using EnvironmentLookup = std::function<std::optional<std::string>(std::string_view name)>;
EnvironmentLookup ProcessEnvironment();

/// Parses a config file's text into key → value. Refuses unknown keys and bad lines.
Result<std::map<std::string, std::string>> ParseConfigFile(std::string_view text);

/// Applies the precedence. `flags` holds the settings given on the command line (by name);
/// `config_file` is the --config flag if given. Fails on an unreadable file, an unknown key
/// or a bad value, naming the setting and its source.
Result<ResolvedConfig> ResolveConfig(const std::map<std::string, std::string>& flags,
                                     const std::optional<std::string>& config_file,
                                     const EnvironmentLookup& environment);

/// The effective configuration as config-file lines, each with its source as a comment.
std::string FormatConfig(const ResolvedConfig& resolved);

/// Splits "host:port" ("[v6]:port" for IPv6).
Status ParseListenAddress(std::string_view listen, std::string* host, std::uint16_t* port);

}  // namespace ledger::server
