#include "ledger/server/config.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ledger/engine/ledger.h"
#include "ledger/host_port.h"
#include "ledger/limits.h"

namespace ledger::server {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

bool IsKnownSetting(std::string_view name) {
  for (const auto& setting : Settings()) {
    if (setting.name == name) return true;
  }
  return false;
}

template <typename Integer>
Status ParseInteger(std::string_view text, Integer low, Integer high, Integer* out) {
  Integer value{};
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < low || value > high) {
    return Status::InvalidArgument(
        fmt::format("'{}' is not a whole number from {} to {}", text, low, high));
  }
  *out = value;
  return Status::Ok();
}

Status ApplySetting(std::string_view name, const std::string& value, ServerConfig* config) {
  if (name == "data") {
    if (value.empty()) return Status::InvalidArgument("the data directory must not be empty");
    config->data = value;
  } else if (name == "listen") {
    std::string host;
    std::uint16_t port = 0;
    if (Status parsed = ParseListenAddress(value, &host, &port); !parsed.ok()) return parsed;
    config->listen = value;
  } else if (name == "durability") {
    if (value != "sync" && value != "async") {
      return Status::InvalidArgument(fmt::format("'{}' is not sync or async", value));
    }
    config->durability = value == "sync" ? Durability::kSync : Durability::kAsync;
  } else if (name == "log-format") {
    if (value != "text" && value != "json") {
      return Status::InvalidArgument(fmt::format("'{}' is not text or json", value));
    }
    config->log_format = value;
  } else if (name == "log-level") {
    static constexpr std::string_view kLevels[] = {"trace", "debug",    "info", "warn",
                                                   "error", "critical", "off"};
    bool known = false;
    for (auto level : kLevels) known = known || level == value;
    if (!known) return Status::InvalidArgument(fmt::format("'{}' is not a log level", value));
    config->log_level = value;
  } else if (name == "idle-timeout-ms") {
    return ParseInteger<std::int64_t>(value, 100, limits::kIdleTimeoutMs, &config->idle_timeout_ms);
  } else if (name == "connections-max") {
    return ParseInteger<std::uint32_t>(value, 1, limits::kConnectionsMax, &config->connections_max);
  } else if (name == "snapshot-every-events") {
    return ParseInteger<std::uint64_t>(value, limits::kSnapshotEveryEventsMin,
                                       limits::kSnapshotEveryEventsMax,
                                       &config->snapshot_every_events);
  } else if (name == "hot-orders-max") {
    return ParseInteger<std::uint64_t>(value, 1, limits::kHotOrdersMaxMax, &config->hot_orders_max);
  } else {
    return Status::InvalidArgument(fmt::format("unknown setting '{}'", name));
  }
  return Status::Ok();
}

Result<std::string> ReadWholeFile(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    return Status::NotFound(fmt::format("config file {} is not a readable file", path));
  }
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  if (!in || in.bad()) return Status::NotFound(fmt::format("cannot read config file {}", path));
  return text.str();
}

}  // namespace

std::string_view ConfigSourceName(ConfigSource source) {
  switch (source) {
    case ConfigSource::kDefault:
      return "default";
    case ConfigSource::kFile:
      return "config file";
    case ConfigSource::kEnvironment:
      return "environment";
    case ConfigSource::kFlag:
      return "flag";
  }
  return "unknown";
}

const std::vector<SettingInfo>& Settings() {
  static const std::vector<SettingInfo> kSettings = {
      {"data", "LEDGER_DATA", "data directory (made by ledgerd init)"},
      {"listen", "LEDGER_LISTEN", "host:port to listen on (port 0: any free port)"},
      {"durability", "LEDGER_DURABILITY",
       "sync: fsync before acknowledging; async: survives a process crash, not a power loss"},
      {"log-format", "LEDGER_LOG_FORMAT", "text or json (one object per line)"},
      {"log-level", "LEDGER_LOG_LEVEL", "trace, debug, info, warn, error, critical or off"},
      {"idle-timeout-ms", "LEDGER_IDLE_TIMEOUT_MS",
       "close connections silent this long with nothing in flight"},
      {"connections-max", "LEDGER_CONNECTIONS_MAX", "connections served at once"},
      {"snapshot-every-events", "LEDGER_SNAPSHOT_EVERY_EVENTS",
       "domain events between two snapshots of the domain state"},
      {"hot-orders-max", "LEDGER_HOT_ORDERS_MAX",
       "orders kept in memory; others are loaded from the log when named"},
  };
  return kSettings;
}

EnvironmentLookup ProcessEnvironment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

namespace {

/// The value of a `key = value` line after the `=`: bare (up to a `#` comment) or in double
/// quotes (which may hold a `#`), followed by nothing but a comment. Quotes are not escaped.
Result<std::string> ConfigValue(std::string_view rest, int line_number) {
  rest = Trim(rest);
  if (!rest.empty() && rest.front() == '"') {
    auto close = rest.find('"', 1);
    if (close == std::string_view::npos) {
      return Status::InvalidArgument(fmt::format("line {}: unterminated quote", line_number));
    }
    std::string_view after = Trim(rest.substr(close + 1));
    if (!after.empty() && after.front() != '#') {
      return Status::InvalidArgument(
          fmt::format("line {}: unexpected text after the quoted value", line_number));
    }
    return std::string(rest.substr(1, close - 1));
  }
  std::string_view value = Trim(rest.substr(0, rest.find('#')));
  if (value.find('"') != std::string_view::npos) {
    return Status::InvalidArgument(
        fmt::format("line {}: a quote inside a value (quote the whole value)", line_number));
  }
  return std::string(value);
}

}  // namespace

Result<std::map<std::string, std::string>> ParseConfigFile(std::string_view text) {
  std::map<std::string, std::string> values;
  std::map<std::string, int> set_on_line;
  int line_number = 0;
  while (!text.empty()) {
    auto end = text.find('\n');
    std::string_view line = Trim(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++line_number;
    if (line.empty() || line.front() == '#') continue;
    auto equals = line.find('=');
    if (equals == std::string_view::npos || line.substr(0, equals).find('#') != line.npos) {
      return Status::InvalidArgument(fmt::format("line {}: expected key = value", line_number));
    }
    std::string key(Trim(line.substr(0, equals)));
    if (!IsKnownSetting(key)) {
      return Status::InvalidArgument(fmt::format("line {}: unknown key '{}'", line_number, key));
    }
    auto value = ConfigValue(line.substr(equals + 1), line_number);
    if (!value.ok()) return value.status();
    if (auto earlier = set_on_line.find(key); earlier != set_on_line.end()) {
      return Status::InvalidArgument(fmt::format("line {}: '{}' was already set on line {}",
                                                 line_number, key, earlier->second));
    }
    set_on_line[key] = line_number;
    values[key] = std::move(*value);
  }
  return values;
}

Result<ResolvedConfig> ResolveConfig(const std::map<std::string, std::string>& flags,
                                     const std::optional<std::string>& config_file,
                                     const EnvironmentLookup& environment) {
  ResolvedConfig resolved;
  resolved.config.idle_timeout_ms = limits::kIdleTimeoutMs;
  resolved.config.connections_max = static_cast<std::uint32_t>(limits::kConnectionsMax);
  resolved.config.snapshot_every_events = LedgerOptions{}.snapshot_every_events;
  resolved.config.hot_orders_max = LedgerOptions{}.hot_orders_max;
  std::map<std::string, std::string> file_values;
  std::optional<std::string> file = config_file;
  if (!file) file = environment("LEDGER_CONFIG");
  if (file) {
    auto text = ReadWholeFile(*file);
    if (!text.ok()) return text.status();
    auto parsed = ParseConfigFile(*text);
    if (!parsed.ok()) {
      return Status::InvalidArgument(fmt::format("{}: {}", *file, parsed.status().message()));
    }
    file_values = std::move(*parsed);
    resolved.file = *file;
  }
  for (const auto& [name, value] : flags) {
    if (!IsKnownSetting(name)) return Status::InvalidArgument("unknown option --" + name);
  }
  for (const auto& setting : Settings()) {
    std::string name(setting.name);
    std::optional<std::string> value;
    ConfigSource source = ConfigSource::kDefault;
    if (auto flag = flags.find(name); flag != flags.end()) {
      value = flag->second;
      source = ConfigSource::kFlag;
    } else if (auto env = environment(setting.environment_variable)) {
      value = std::move(env);
      source = ConfigSource::kEnvironment;
    } else if (auto in_file = file_values.find(name); in_file != file_values.end()) {
      value = in_file->second;
      source = ConfigSource::kFile;
    }
    if (value) {
      if (Status applied = ApplySetting(name, *value, &resolved.config); !applied.ok()) {
        return Status::InvalidArgument(
            fmt::format("{} (from {}): {}", name, ConfigSourceName(source), applied.message()));
      }
    }
    resolved.sources[name] = source;
  }
  return resolved;
}

std::string FormatConfig(const ResolvedConfig& resolved) {
  const ServerConfig& c = resolved.config;
  const std::map<std::string, std::string> values = {
      {"data", c.data},
      {"listen", c.listen},
      {"durability", c.durability == Durability::kSync ? "sync" : "async"},
      {"log-format", c.log_format},
      {"log-level", c.log_level},
      {"idle-timeout-ms", std::to_string(c.idle_timeout_ms)},
      {"connections-max", std::to_string(c.connections_max)},
      {"snapshot-every-events", std::to_string(c.snapshot_every_events)},
      {"hot-orders-max", std::to_string(c.hot_orders_max)},
  };
  std::string out;
  if (!resolved.file.empty()) out += fmt::format("# config file: {}\n", resolved.file);
  for (const auto& setting : Settings()) {
    std::string name(setting.name);
    auto line = fmt::format("{} = \"{}\"", name, values.at(name));
    out += fmt::format("{:<44} # {}\n", line, ConfigSourceName(resolved.sources.at(name)));
  }
  return out;
}

Status ParseListenAddress(std::string_view listen, std::string* host, std::uint16_t* port) {
  auto parsed = ParseHostPort(listen);
  if (!parsed) {
    return Status::InvalidArgument(
        fmt::format("'{}' is not host:port (a port from 0 to 65535)", listen));
  }
  *host = std::move(parsed->host);
  *port = parsed->port;
  return Status::Ok();
}

}  // namespace ledger::server
