// INDEX_FILTER: the durable index's key filters (key_filter.h), saved when the log closes so
// the next open need not scan the index to rebuild them.
//
// The file is only a cache. It is used only if it was written for exactly the index on disk:
// on a clean close every tail is written out, so the index's checkpoint is the head, and the
// file names that head (sequence and hash); an open whose checkpoint and head are not that
// point ignores it and rebuilds the filters in the background. A damaged file fails its
// checksum and is ignored the same way.
//
// Layout: the magic line "ledger-index-filter 1 xxh3-64 bits=12 probes=6 growth=4\n" (the
// filters' parameters); be64 head sequence; the head's 32-byte hash; the streams filter; the
// idempotency filter (KeyFilter::EncodeTo); be64 XXH3-64 of everything before it.
#pragma once

#include <string>
#include <string_view>

#include "ledger/engine/types.h"
#include "log/key_filter.h"

namespace ledger::log {

inline constexpr std::string_view kIndexFilterFileName = "INDEX_FILTER";

std::string EncodeIndexFilters(const ChainPoint& head, const KeyFilter& streams,
                               const KeyFilter& idempotency);

/// Fills two empty filters from `contents` if it is intact and was written at `head`.
/// Otherwise returns false; a filter may then hold keys of the file, which is harmless (a
/// filter may hold more keys than the index, never fewer) as long as it is not marked complete.
bool DecodeIndexFilters(std::string_view contents, const ChainPoint& head, KeyFilter* streams,
                        KeyFilter* idempotency);

}  // namespace ledger::log
