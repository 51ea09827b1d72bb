// Every limit of Ledger, in one place, with the checks that relate them.
//
// The engine, the server and the client all read their bounds from here, so a limit is
// changed once and every layer agrees. Units are in the names. Nothing here allocates.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ledger::limits {

// ---- Identifiers and strings --------------------------------------------------------------
/// Longest id (organization, platform, user, order, transaction, operation, key...), bytes.
inline constexpr std::size_t kIdBytesMax = 64;
/// Longest stream name, bytes. A stream name is a kind plus up to two ids.
inline constexpr std::size_t kStreamNameBytesMax = 160;
/// Longest idempotency key, bytes.
inline constexpr std::size_t kIdempotencyKeyBytesMax = 128;
/// Longest free text (names, references, reasons), bytes.
inline constexpr std::size_t kTextBytesMax = 256;
/// Longest opaque payload of one event, bytes.
inline constexpr std::size_t kPayloadBytesMax = 64 * 1024;

// ---- The write path -----------------------------------------------------------------------
/// Most appends (or commands) in one request batch.
inline constexpr std::size_t kBatchCommandsMax = 4096;
/// Most events the writer puts in one group commit (one RocksDB WriteBatch, one fsync).
inline constexpr std::size_t kGroupCommitEventsMax = 8192;
/// Most bytes of events in one group commit.
inline constexpr std::size_t kGroupCommitBytesMax = 32 * 1024 * 1024;
/// Most batches waiting for the writer; past this an append is refused as overloaded.
inline constexpr std::size_t kWriteQueueBatchesMax = 16384;
/// Events held by the in-memory index tail before it is written out as sorted files.
inline constexpr std::size_t kIndexTailEventsMax = 256 * 1024;

// ---- Reads --------------------------------------------------------------------------------
/// Most events returned by one read of a stream or of a range of the log.
inline constexpr std::size_t kReadEventsMax = 10000;

// ---- The wire -----------------------------------------------------------------------------
/// Largest frame a client may send or receive, bytes (header included).
inline constexpr std::size_t kFrameBytesMax = 16 * 1024 * 1024;

static_assert(kGroupCommitEventsMax >= kBatchCommandsMax,
              "one request batch must fit in one group commit");
static_assert(kIndexTailEventsMax >= kGroupCommitEventsMax,
              "the index tail must hold at least one whole group commit");
static_assert(kStreamNameBytesMax >= 2 * kIdBytesMax + 16,
              "a stream name must hold a kind and two ids");
static_assert(kFrameBytesMax >= kPayloadBytesMax * 4, "a frame must hold several payloads");

}  // namespace ledger::limits
