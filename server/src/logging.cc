#include "ledger/server/logging.h"

#include <fmt/format.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace ledger::server {
namespace {

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

std::unique_ptr<spdlog::formatter> MakeFormatter(bool json) {
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  if (json) {
    formatter->add_flag<JsonMessageFlag>('*').set_pattern(
        R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","logger":"%n","message":%*})");
  } else {
    formatter->set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %^%-5l%$ [%n] %v");
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
