// ledgerd's loggers: one named spdlog logger per module ("server", "log", "ledger",
// "projections"), all writing to one sink on stderr, as text or as JSON lines:
//
//   {"time":"2025-11-21T13:40:00.123456Z","level":"info","logger":"server","message":"..."}
//
// Nothing logged ever holds a secret: the server logs credential ids, never credentials.
// Thread-safety: spdlog loggers are thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "ledger/engine/status.h"

namespace spdlog {
class logger;
}

namespace ledger::server {

struct Loggers {
  std::shared_ptr<spdlog::logger> server;
  std::shared_ptr<spdlog::logger> log;
  std::shared_ptr<spdlog::logger> ledger;
  std::shared_ptr<spdlog::logger> projections;
};

/// `format`: "text" or "json"; `level`: spdlog level name. Fails on an unknown one.
Result<Loggers> MakeLoggers(std::string_view format, std::string_view level);

/// A JSON string literal for `text` (quotes included), escaping what JSON requires.
std::string JsonQuote(std::string_view text);

}  // namespace ledger::server
