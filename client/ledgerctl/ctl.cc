#include "ctl.h"

#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>

#include "ledger/currencies.h"
#include "ledger/host_port.h"
#include "ledger/schema/protocol_generated.h"
#include "response_json.h"

namespace ledger::ctl {

namespace p = protocol;

std::string Text(const flatbuffers::String* text) { return text ? text->str() : std::string(); }

std::string Hex(const flatbuffers::Vector<std::uint8_t>* bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  if (bytes == nullptr) return out;
  for (auto byte : *bytes) {
    out += kDigits[byte >> 4];
    out += kDigits[byte & 0xf];
  }
  return out;
}

std::vector<const p::CommandResult*> ResultsOf(const client::Reply& reply) {
  const auto* body = reply.body<p::CommandResults>();
  return Items(body == nullptr ? nullptr : body->results());
}

bool ParseEnvironment(const std::string& name, schema::Environment* out) {
  if (name == "sandbox") {
    *out = schema::Environment::Sandbox;
  } else if (name == "production") {
    *out = schema::Environment::Production;
  } else if (name.empty()) {
    *out = schema::Environment::Unspecified;
  } else {
    return false;
  }
  return true;
}

bool ParseServerAddress(const std::string& address, std::string* host, std::uint16_t* port) {
  auto parsed = ParseHostPort(address);
  // A server has a port; an IPv6 address needs its brackets (which colon starts the port?).
  if (!parsed || parsed->port == 0 ||
      (!parsed->bracketed && parsed->host.find(':') != std::string::npos)) {
    return false;
  }
  *host = std::move(parsed->host);
  *port = parsed->port;
  return true;
}

bool Ctl::MakeConnectOptions(client::ConnectOptions* out, std::string* error) const {
  if (!ParseServerAddress(options.server, &out->host, &out->port)) {
    *error = "--server must be host:port (a port from 1 to 65535; [::1]:7400 for IPv6), not '" +
             options.server + "'";
    return false;
  }
  std::string credential = options.credential;
  if (credential.empty() && !options.credential_file.empty()) {
    std::ifstream in(options.credential_file);
    in >> credential;
    if (credential.empty()) {
      *error = "cannot read a credential from " + options.credential_file;
      return false;
    }
  }
  if (credential.empty()) {
    *error = "no credential: pass --credential-file FILE (or LEDGER_CREDENTIAL_FILE)";
    return false;
  }
  std::string as = options.as;
  if (as.empty()) as = credential.rfind("root.", 0) == 0 ? "root" : "user";
  if (as == "root") {
    out->kind = p::CredentialKind::Root;
  } else if (as == "key") {
    out->kind = p::CredentialKind::ApiKey;
  } else if (as == "user") {
    out->kind = p::CredentialKind::UserToken;
  } else {
    *error = "--as must be root, key or user";
    return false;
  }
  if (!ParseEnvironment(options.environment, &out->environment)) {
    *error = "--env must be sandbox or production";
    return false;
  }
  if (out->kind == p::CredentialKind::UserToken &&
      out->environment == schema::Environment::Unspecified) {
    out->environment = schema::Environment::Sandbox;
  }
  out->credential = credential;
  out->client_name = "ledgerctl";
  return true;
}

client::Client* Ctl::Connect() {
  if (client_) return client_.get();
  client::ConnectOptions connect;
  std::string error;
  if (!MakeConnectOptions(&connect, &error)) {
    PrintUsageError(error);
    connect_failure_exit_ = kExitUsage;
    return nullptr;
  }
  client::ClientError failure;
  client_ = client::Client::Connect(std::move(connect), &failure);
  if (!client_) PrintError(failure);
  return client_.get();
}

client::Reply Ctl::Call(p::RequestBody type, const client::BodyBuilder& body) {
  client::Client* client = Connect();
  if (client == nullptr) {
    return client::Reply::Failure({client::ErrorKind::kConnection, p::ErrorCode::Ok, ""});
  }
  auto reply = client->Call(type, body, std::chrono::milliseconds(options.timeout_ms));
  if (!reply.ok()) PrintError(reply.error());
  return reply;
}

int Ctl::ExitCodeOf(const client::Reply& reply) const {
  if (reply.ok()) return kExitOk;
  const client::ClientError& error = reply.error();
  if (client_ == nullptr) return connect_failure_exit_;
  // A server that stops ends the connection: for the caller, like a connection lost.
  if (error.kind == client::ErrorKind::kServer && error.code != p::ErrorCode::ShuttingDown) {
    return kExitRejected;
  }
  return kExitConnection;
}

void Ctl::PrintError(const client::ClientError& error) const {
  if (error.message.empty() && error.kind == client::ErrorKind::kConnection) return;
  if (options.json) {
    // A connection that failed on its own (refused, lost, timed out) has no code from the
    // server: null, not "Ok".
    nlohmann::json code = nullptr;
    if (error.code != p::ErrorCode::Ok) code = p::EnumNameErrorCode(error.code);
    PrintJson({{"error",
                {{"kind", error.kind == client::ErrorKind::kServer ? "server" : "connection"},
                 {"code", code},
                 {"message", error.message}}}});
  } else {
    std::cerr << "ledgerctl: " << error.ToString() << "\n";
  }
}

void Ctl::PrintUsageError(const std::string& message) const {
  if (options.json) {
    PrintJson({{"error", {{"kind", "usage"}, {"code", nullptr}, {"message", message}}}});
  } else {
    std::cerr << "ledgerctl: " << message << "\n";
  }
}

void Ctl::PrintTable(const std::vector<std::string>& columns,
                     const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths(columns.size());
  for (std::size_t i = 0; i < columns.size(); ++i) widths[i] = columns[i].size();
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  }
  auto print = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      std::string cell = i < cells.size() ? cells[i] : "";
      if (i + 1 < columns.size()) cell.resize(widths[i] + 2, ' ');
      line += cell;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    std::cout << line << "\n";
  };
  print(columns);
  for (const auto& row : rows) print(row);
}

void Ctl::PrintJson(const nlohmann::json& value) { std::cout << value.dump(2) << "\n"; }

nlohmann::json ResponseJson(const client::Reply& reply) {
  if (reply.response() == nullptr) return nlohmann::json::object();
  nlohmann::json response =
      TableJson(reinterpret_cast<const std::uint8_t*>(reply.response()), p::ResponseTypeTable());
  const auto body = response.find("body");
  return body == response.end() || body->is_null() ? nlohmann::json::object() : *body;
}

std::string FormatTime(std::int64_t micros) {
  std::time_t seconds = static_cast<std::time_t>(micros / 1'000'000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(micros % 1'000'000));
  return text;
}

std::string FormatMoney(std::int64_t amount_minor, const std::string& currency) {
  const Currency* known = FindIsoCurrency(currency);
  const std::size_t exponent = known == nullptr ? 0 : known->exponent;
  std::string sign = amount_minor < 0 ? "-" : "";
  std::uint64_t magnitude = amount_minor < 0 ? 0 - static_cast<std::uint64_t>(amount_minor)
                                             : static_cast<std::uint64_t>(amount_minor);
  std::string digits = std::to_string(magnitude);
  if (exponent > 0) {
    if (digits.size() <= exponent) digits.insert(0, exponent + 1 - digits.size(), '0');
    digits.insert(digits.size() - exponent, ".");
  }
  return sign + digits + " " + currency;
}

int Ctl::Execute(std::vector<std::pair<std::string, client::CommandBuilder>> commands) {
  std::vector<client::CommandBuilder> builders;
  for (auto& [name, builder] : commands) builders.push_back(std::move(builder));
  auto reply = Call(p::RequestBody::ExecuteCommands, client::ExecuteBatch(std::move(builders)));
  if (!reply.ok()) return ExitCodeOf(reply);
  const auto results = ResultsOf(reply);
  if (results.size() != commands.size()) {
    PrintError({client::ErrorKind::kConnection, p::ErrorCode::Internal, "unexpected response"});
    return kExitConnection;
  }
  std::vector<std::string> names;
  for (const auto& command : commands) names.push_back(command.first);
  return PrintResults(names, results);
}

nlohmann::json ResultJson(const std::string& command, const p::CommandResult& result) {
  std::string code = result.code_name() ? Text(result.code_name()) : "accepted";
  if (result.status() == p::ErrorCode::Duplicate) code = "duplicate";
  return {{"command", command},
          {"status", p::EnumNameErrorCode(result.status())},
          {"code", code},
          {"sequence", result.sequence()},
          {"stream_version", result.stream_version()},
          {"message", Text(result.message())}};
}

int Ctl::PrintResults(const std::vector<std::string>& names,
                      const std::vector<const p::CommandResult*>& results) const {
  int exit_code = kExitOk;
  nlohmann::json json = nlohmann::json::array();
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < results.size() && i < names.size(); ++i) {
    const auto* r = results[i];
    const bool ok = r->status() == p::ErrorCode::Ok || r->status() == p::ErrorCode::Duplicate;
    if (!ok) exit_code = kExitRejected;
    json.push_back(ResultJson(names[i], *r));
    rows.push_back({names[i], p::EnumNameErrorCode(r->status()),
                    json.back()["code"].get<std::string>(), ok ? std::to_string(r->sequence()) : "",
                    ok ? std::to_string(r->stream_version()) : "", Text(r->message())});
  }
  if (options.json) {
    PrintJson({{"results", json}});
  } else {
    PrintTable({"COMMAND", "STATUS", "CODE", "SEQUENCE", "VERSION", "MESSAGE"}, rows);
  }
  return exit_code;
}

}  // namespace ledger::ctl
