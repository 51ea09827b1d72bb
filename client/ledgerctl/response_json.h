// FlatBuffers tables as JSON, for --json. Every field of the schema is printed, also one the
// sender left at its default (FlatBuffers does not store those): a program reads "lag": 0
// instead of finding the key missing. Byte vectors (hashes, digests) are lower-case
// hexadecimal, enums their names, and a field keeps its name in the schema.
#pragma once

#include <flatbuffers/flatbuffers.h>

#include <cstdint>
#include <nlohmann/json.hpp>

namespace ledger::ctl {

/// The table at `table` (a FlatBuffers table, or a struct when `type` says so) described by
/// `type` (the generated `...TypeTable()`).
nlohmann::json TableJson(const std::uint8_t* table, const flatbuffers::TypeTable* type);

}  // namespace ledger::ctl
