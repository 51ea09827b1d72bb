#include "engine/domain/scenario_parser.h"

#include <charconv>
#include <utility>

#include "ledger/engine/domain/principal.h"

namespace ledger::testing {
namespace {

using domain::Command;

bool Assign(std::string& out, std::string_view text) {
  out = text;
  return true;
}

bool Assign(std::int64_t& out, std::string_view text) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size();
}

bool Assign(bool& out, std::string_view text) {
  if (text != "true" && text != "false") return false;
  out = text == "true";
  return true;
}

bool Assign(Hash256& out, std::string_view text) {
  out = Ledger::HashSecret(text);
  return true;
}

bool Assign(std::vector<std::string>& out, std::string_view text) {
  out.clear();
  while (!text.empty()) {
    std::size_t comma = text.find(',');
    out.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return true;
}

/// Enums by their names, or by number (to write out-of-range values).
template <typename Enum, typename NameOf>
bool AssignEnum(Enum& out, std::string_view text, NameOf name_of) {
  for (int value = 0; value < 16; ++value) {
    if (name_of(static_cast<Enum>(value)) == text) {
      out = static_cast<Enum>(value);
      return true;
    }
  }
  std::int64_t number = 0;
  if (!Assign(number, text) || number < 0 || number > 255) return false;
  out = static_cast<Enum>(number);
  return true;
}

bool Assign(schema::Environment& out, std::string_view text) {
  return AssignEnum(out, text, domain::EnvironmentName);
}
bool Assign(schema::Role& out, std::string_view text) {
  return AssignEnum(out, text, domain::RoleName);
}
bool Assign(schema::OperationKind& out, std::string_view text) {
  return AssignEnum(out, text, domain::OperationKindName);
}
bool Assign(schema::OperationOutcome& out, std::string_view text) {
  return AssignEnum(out, text, domain::OperationOutcomeName);
}

template <typename C>
std::optional<Command> Build(const std::vector<std::string>& fields, std::string* error) {
  C command;
  for (const std::string& field : fields) {
    std::size_t equals = field.find('=');
    if (equals == std::string::npos) {
      *error = "expected field=value, got '" + field + "'";
      return std::nullopt;
    }
    std::string_view name = std::string_view(field).substr(0, equals);
    std::string_view value = std::string_view(field).substr(equals + 1);
    bool known = false;
    bool parsed = false;
    domain::ForEachField(command, [&](std::string_view field_name, auto& member) {
      if (field_name != name) return;
      known = true;
      parsed = Assign(member, value);
    });
    if (!known || !parsed) {
      *error = std::string(known ? "bad value for " : "unknown field ") + std::string(name) +
               " of " + std::string(C::kName);
      return std::nullopt;
    }
  }
  return Command(std::move(command));
}

template <std::size_t... I>
std::optional<Command> BuildByName(std::string_view name, const std::vector<std::string>& fields,
                                   std::string* error, std::index_sequence<I...>) {
  std::optional<Command> result;
  bool found = false;
  (
      [&] {
        using C = std::variant_alternative_t<I, Command>;
        if (!found && C::kName == name) {
          found = true;
          result = Build<C>(fields, error);
        }
      }(),
      ...);
  if (!found) *error = "unknown command " + std::string(name);
  return result;
}

std::optional<schema::Environment> ParseEnvironment(std::string_view text) {
  if (text == "sandbox") return schema::Environment::Sandbox;
  if (text == "production") return schema::Environment::Production;
  if (text == "unspecified") return schema::Environment::Unspecified;
  return std::nullopt;
}

}  // namespace

std::vector<std::string> SplitWords(std::string_view line, std::string* error) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '\\' && i + 1 < line.size()) {
        word.push_back(line[++i]);
      } else if (c == '"') {
        quoted = false;
      } else {
        word.push_back(c);
      }
    } else if (c == '"') {
      quoted = in_word = true;
    } else if (c == ' ' || c == '\t') {
      if (in_word) words.push_back(std::exchange(word, {}));
      in_word = false;
    } else {
      word.push_back(c);
      in_word = true;
    }
  }
  if (quoted) *error = "unterminated quote";
  if (in_word) words.push_back(word);
  return words;
}

std::optional<domain::Principal> ParsePrincipal(std::string_view text, const Ledger& ledger) {
  if (text == "root") return domain::Principal::Root();
  if (text.starts_with("user:")) {
    std::string_view rest = text.substr(5);
    std::size_t at = rest.rfind('@');
    if (at == std::string_view::npos) return std::nullopt;
    auto environment = ParseEnvironment(rest.substr(at + 1));
    if (!environment) return std::nullopt;
    return domain::Principal::User(std::string(rest.substr(0, at)), *environment);
  }
  if (text.starts_with("key:")) {
    std::string id(text.substr(4));
    std::optional<CredentialInfo> key = ledger.FindApiKey(id);
    if (!key) return domain::Principal::ApiKey(id, "", "", schema::Environment::Unspecified);
    return domain::Principal::ApiKey(id, key->organization, key->platform, key->environment);
  }
  return std::nullopt;
}

std::optional<Command> ParseCommand(std::string_view name, const std::vector<std::string>& fields,
                                    std::string* error) {
  return BuildByName(name, fields, error, std::make_index_sequence<std::variant_size_v<Command>>{});
}

std::optional<domain::Action> ParseAction(std::string_view name) {
  for (domain::Action action : domain::kAllActions) {
    if (domain::ActionName(action) == name) return action;
  }
  return std::nullopt;
}

std::optional<ExpectedVersion> ParseExpectedVersion(std::string_view text) {
  if (text == "any") return ExpectedVersion::Any();
  if (text == "new") return ExpectedVersion::NoStream();
  std::uint64_t version = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), version);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return ExpectedVersion::Exact(StreamVersion{version});
}

}  // namespace ledger::testing
