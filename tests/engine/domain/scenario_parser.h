// The scenario language: one command (or check) per line with its expected result.
//
//   line      := blank | "#" comment | command | balance | allowed | repeat
//   command   := principal option* name field* "=>" code [quoted-substring]
//   principal := "root" | "user:" id "@" environment | "key:" id
//   option    := "idempotency=" key | "correlation=" id | "expect=" expected
//   expected  := "any" | "new" | version     the command's stream: any, no stream, exactly v
//   field     := field-name "=" value        (names: the command's kFields)
//   value     := word | "quoted text"        lists: comma-separated; secret_sha256: any text,
//                                            hashed; enums by name (sandbox, admin, capture...)
//   balance   := "balance" platform currency amount          the available wallet balance
//   allowed   := "allowed" principal action organization[/platform] "=>" ("yes" | "no")
//   repeat    := "repeat" count line          the line run count times, "{i}" → 1..count
//
// A key principal's organization, platform and environment are looked up in the ledger
// (empty when the key is unknown), as the server would after authenticating it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/engine/ledger.h"

namespace ledger::testing {

/// Splits a line into words; "quoted text" is one word (quotes removed, \" and \\ escaped).
std::vector<std::string> SplitWords(std::string_view line, std::string* error);

/// "root", "user:alice@sandbox", "key:k1" (lookup resolves a key's platform).
std::optional<domain::Principal> ParsePrincipal(std::string_view text, const Ledger& ledger);

/// Builds a command from its name and field=value words; nullopt and *error when invalid.
std::optional<domain::Command> ParseCommand(std::string_view name,
                                            const std::vector<std::string>& fields,
                                            std::string* error);

std::optional<domain::Action> ParseAction(std::string_view name);

/// "any", "new" (no stream) or a version number.
std::optional<ExpectedVersion> ParseExpectedVersion(std::string_view text);

}  // namespace ledger::testing
