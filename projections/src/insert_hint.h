// Insert hints for the views' memtables.
//
// RocksDB's skiplist memtable searches from the top for every key that does not land right
// next to the previous insert, and a batch of view rows lands in many places at once (one
// page per platform, one per account...). Given a prefix extractor in
// `memtable_insert_with_hint_prefix_extractor`, it remembers where the last key of each
// prefix went and starts the next search there. The views' keys mostly grow within a
// prefix (a page index by sequence, orders of one platform), so each insert is found in a
// few steps. The prefix, by the key's tag (keys.h):
//   l x v q j h a g   (indexes ending with a sequence)  the key without its last 8 bytes
//   o w r p m         (rows of one platform or org)     the tag and the first field
//   t                 (time index)                      the tag
//   anything else     (few rows: figures, balances...)  the whole key
// A hint costs RocksDB a few hundred bytes per distinct prefix, so no prefix is per order.
// Thread-safety: stateless.
#pragma once

#include <rocksdb/slice_transform.h>

#include <memory>

namespace ledger::projections::internal {

std::shared_ptr<const rocksdb::SliceTransform> NewInsertHintPrefix();

}  // namespace ledger::projections::internal
