#include "ledger/server/logging.h"

#include <fmt/format.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace ledger::server {
namespace {

/// The names --log-level takes.
std::string_view LevelName(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
      return "trace";
    case spdlog::level::debug:
      return "debug";
    case spdlog::level::info:
      return "info";
    case spdlog::level::warn:
      return "warn";
    case spdlog::level::err:
      return "error";
    case spdlog::level::critical:
      return "critical";
    default:
      return "off";
  }
}

// %* in a pattern: the message as a JSON string literal.
class JsonMessageFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& message, const std::tm&,
              spdlog::memory_buf_t& out) override {
    auto quoted = JsonQuote(std::string_view(message.payload.data(), message.payload.size()));
    out.append(quoted.data(), quoted.data() + quoted.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonMessageFlag>();
  }
};

// %~ in a pattern: the level as --log-level names it ("warn", where spdlog's %l says
// "warning"), padded to five characters in text lines.
class LevelNameFlag final : public spdlog::custom_flag_formatter {
 public:
  explicit LevelNameFlag(bool pad) : pad_(pad) {}
  void format(const spdlog::details::log_msg& message, const std::tm&,
              spdlog::memory_buf_t& out) override {
    std::string_view name = LevelName(message.level);
    out.append(name.data(), name.data() + name.size());
    for (std::size_t i = name.size(); pad_ && i < 5; ++i) out.push_back(' ');
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<LevelNameFlag>(pad_);
  }

 private:
  bool pad_;
};

std::unique_ptr<spdlog::formatter> MakeFormatter(bool json) {
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  if (json) {
    formatter->add_flag<JsonMessageFlag>('*')
        .add_flag<LevelNameFlag>('~', false)
        .set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%~","logger":"%n","message":%*})");
  } else {
    formatter->add_flag<LevelNameFlag>('~', true).set_pattern(
        "%Y-%m-%dT%H:%M:%S.%fZ %^%~%$ [%n] %v");
  }
  return formatter;
}

}  // namespace

std::string JsonQuote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

Result<Loggers> MakeLoggers(std::string_view format, std::string_view level) {
  if (format != "text" && format != "json") {
    return Status::InvalidArgument(fmt::format("unknown log format '{}'", format));
  }
  auto parsed_level = spdlog::level::from_str(std::string(level));
  if (parsed_level == spdlog::level::off && level != "off") {
    return Status::InvalidArgument(fmt::format("unknown log level '{}'", level));
  }
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  sink->set_formatter(MakeFormatter(format == "json"));
  auto make = [&](const std::string& name) {
    auto logger = std::make_shared<spdlog::logger>(name, sink);
    logger->set_level(parsed_level);
    logger->flush_on(spdlog::level::info);
    return logger;
  };
  Loggers loggers{make("server"), make("log"), make("ledger"), make("projections")};
  spdlog::set_default_logger(loggers.server);
  return loggers;
}

}  // namespace ledger::server
