// What every ledgerctl subcommand shares: the global options, the connection, the output
// (human-readable tables or --json), and the exit codes.
//
// Exit codes: 0 done; 1 the server refused (a request error, or a command rejected);
// 2 usage error; 3 no connection (unreachable, authentication failed, connection lost, the
// server stopping).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ledger/client/client.h"
#include "ledger/client/commands.h"

namespace ledger::ctl {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRejected = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitConnection = 3;

struct GlobalOptions {
  std::string server = "127.0.0.1:7400";
  std::string credential;
  std::string credential_file;
  /// "root", "key" or "user"; empty: root for "root.<secret>", user otherwise.
  std::string as;
  /// "sandbox" or "production".
  std::string environment;
  bool json = false;
  std::int64_t timeout_ms = 60'000;
};

class Ctl {
 public:
  GlobalOptions options;
  /// The chosen subcommand's work, set while the command line is parsed.
  std::function<int(Ctl&)> action;

  /// Connects and authenticates once; on failure prints why and returns nullptr (then
  /// ConnectFailureExit() says with which exit code to stop).
  client::Client* Connect();
  /// kExitUsage when the connection settings themselves are wrong (no credential, an
  /// unreadable credential file, --server without a port), else kExitConnection.
  int ConnectFailureExit() const { return connect_failure_exit_; }
  /// The connection options the globals describe (for programs that open several).
  bool MakeConnectOptions(client::ConnectOptions* out, std::string* error) const;

  /// Sends one request and waits. A failed reply is printed and mapped to an exit code.
  client::Reply Call(protocol::RequestBody type, const client::BodyBuilder& body);
  int ExitCodeOf(const client::Reply& reply) const;
  /// Prints a failed reply's error (stderr, or JSON on stdout with --json).
  void PrintError(const client::ClientError& error) const;
  /// Prints a usage error found after parsing (stderr, or JSON on stdout with --json).
  void PrintUsageError(const std::string& message) const;

  /// Executes a batch of commands and prints one line per result.
  int Execute(std::vector<std::pair<std::string, client::CommandBuilder>> commands);
  /// Prints one line per result (`names[i]` names the i-th) as a table, or {"results": [...]}
  /// with --json; kExitRejected when any was refused.
  int PrintResults(const std::vector<std::string>& names,
                   const std::vector<const protocol::CommandResult*>& results) const;

  /// Prints `rows` under `columns` as an aligned table.
  static void PrintTable(const std::vector<std::string>& columns,
                         const std::vector<std::vector<std::string>>& rows);
  static void PrintJson(const nlohmann::json& value);

 private:
  std::unique_ptr<client::Client> client_;
  int connect_failure_exit_ = kExitConnection;
};

/// The response as JSON (field names as in protocol.fbs), for --json and for tables.
nlohmann::json ResponseJson(const client::Reply& reply);
/// "2025-11-21T13:40:00.123456Z".
std::string FormatTime(std::int64_t micros);
/// "12.34 EUR", "1500 JPY", "1.2345 CLF": the decimals of ledger/currencies.h (the raw count
/// for a code not there).
std::string FormatMoney(std::int64_t amount_minor, const std::string& currency);
bool ParseEnvironment(const std::string& name, schema::Environment* out);
/// "host:port" or "[v6 address]:port", the port a decimal number from 1 to 65535.
bool ParseServerAddress(const std::string& address, std::string* host, std::uint16_t* port);

/// A FlatBuffers string's text; empty when absent.
std::string Text(const flatbuffers::String* text);
/// Bytes (a hash) as lower-case hexadecimal; empty when absent.
std::string Hex(const flatbuffers::Vector<std::uint8_t>* bytes);
/// The elements of a vector of tables; none when the vector is absent.
template <typename T>
std::vector<const T*> Items(const flatbuffers::Vector<flatbuffers::Offset<T>>* vector) {
  std::vector<const T*> items;
  if (vector == nullptr) return items;
  items.reserve(vector->size());
  for (const T* item : *vector) items.push_back(item);
  return items;
}
/// One command's result as --json prints it: command, status, code, sequence,
/// stream_version, message.
nlohmann::json ResultJson(const std::string& command, const protocol::CommandResult& result);
/// The results of a CommandResults reply (none for any other reply).
std::vector<const protocol::CommandResult*> ResultsOf(const client::Reply& reply);

}  // namespace ledger::ctl
