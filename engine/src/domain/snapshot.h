// The domain state snapshot: the State at one position of the log, in one file, without its
// hot orders (the log holds every order's history, and hot_orders.h loads an order from it
// when a command next names it).
//
//   snapshot     := header section* trailer
//   header       := "LGDS" u32(format_version) u64(currency_table_digest)
//                   u64(sequence) hash[32]                       the log position it covers
//   section      := organizations platforms users api_keys user_tokens withdrawal_ids
//                   withdrawals wallets                          in this order
//   organizations:= u64(n) { text(id) u32(version) u32(admins) u64(g)
//                            { text(user) u8(role) u8(all) u64(p) text(platform)* }* }*
//   platforms    := u64(n) { text(id) u32(organization) u8(environment) u32(version)
//                            u64(b) { text(bank account) u16(currency) }* }*
//   users        := u64(n) { text(id) u32(version) u64(o) u32(organization)* }*
//   api_keys, user_tokens := u64(n) { text(id) u32(owner) hash[32] u8(active) }*
//   withdrawal_ids := u64(size) { u64(shard size) u64(slots) slot* }^64   IdTable shards, raw
//   withdrawals  := u64(n) { i64(amount) u32(platform) u16(currency) u8(status) text(bank) }*
//   wallets      := u64(n) { u64(key) i64(balance) i64(in_transit) u32(version) }*
//   trailer      := u64(XXH3-64 of everything before it)
//   text(s)      := u32(size) bytes;  integers little-endian
//
// Raw records tie a snapshot to the build's struct layout and currency table; the format
// version and the digest change with them, and a snapshot that does not match is ignored
// (the state is then rebuilt from the whole log). The writer thread takes a copy of the state
// at the position (CopyForSnapshot: the withdrawals' id table is shared copy-on-write, so
// appends pause only for the copy of the small parts); another thread writes the copy to
// "<path>.tmp" and, once the position it covers is durable, fsyncs it, renames it over <path>
// and fsyncs the directory.
// Thread-safety: the caller holds the state exclusively (or knows nobody mutates it).
#pragma once

#include <string>

#include "domain/state.h"
#include "ledger/engine/status.h"
#include "ledger/engine/types.h"

namespace ledger::domain {

inline constexpr char kSnapshotMagic[4] = {'L', 'G', 'D', 'S'};
/// Bump when any raw record (IdTable::Slot) or section changes.
/// 2: the id table in 64 shards. 3: no orders or transactions; withdrawals' ids alone.
/// 4: every ledger account's balance (customer funds, fees, bank accounts).
inline constexpr std::uint32_t kSnapshotFormatVersion = 4;

/// A copy of `state` without its hot orders, to write on another thread while `state` goes on
/// changing: the directory, withdrawals and wallets are copied; the withdrawals' id table
/// shares its storage copy-on-write. Settles that table first.
/// REQUIRES: the caller holds `state` exclusively; no earlier copy is still alive.
State CopyForSnapshot(State& state);

/// Writes `state`, which covers the log up to `position`, to `temp_path` (not yet synced).
Status WriteSnapshotFile(const State& state, const ChainPoint& position,
                         const std::string& temp_path);
/// Fsyncs `temp_path`, renames it over `path` and fsyncs the directory. Slow (the whole
/// file reaches the disk), so it runs off the writer thread.
Status PublishSnapshotFile(const std::string& temp_path, const std::string& path);

/// Reads the snapshot at `path` into `*state` and its position into `*position`.
/// kNotFound when there is none; kCorruption when it is unusable (then `*state` is empty).
Status ReadSnapshotFile(const std::string& path, State* state, ChainPoint* position);

/// Reads only the position a snapshot covers from the header of the open file `fd` (a backup
/// takes the file whole). kCorruption when the header is not one this build writes; the rest
/// of the file is not checked.
Status ReadSnapshotPosition(int fd, ChainPoint* position);

}  // namespace ledger::domain
