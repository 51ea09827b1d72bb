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
/// Longest claim of an event (a key unique across the log, EventDraft::claim), bytes.
inline constexpr std::size_t kClaimBytesMax = 160;
/// Longest free text (names, references, reasons), bytes.
inline constexpr std::size_t kTextBytesMax = 256;
/// Longest opaque payload of one event, bytes.
inline constexpr std::size_t kPayloadBytesMax = 64 * 1024;

// ---- The payment domain -------------------------------------------------------------------
/// Most platforms a role grant may list (a grant to more is a grant to all platforms).
inline constexpr std::size_t kRoleScopePlatformsMax = 64;
/// Most transactions one order may hold (an order is paid in a few parts, not thousands).
inline constexpr std::size_t kOrderTransactionsMax = 256;
/// Shortest and longest bank account number (an IBAN has at most 34 characters), bytes.
inline constexpr std::size_t kAccountNumberBytesMin = 4;
inline constexpr std::size_t kAccountNumberBytesMax = 34;

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
static_assert(kClaimBytesMax >= 2 * kIdBytesMax + 8, "a claim is a kind plus two ids");
static_assert(kFrameBytesMax >= kPayloadBytesMax * 4, "a frame must hold several payloads");
static_assert(kRoleScopePlatformsMax * (kIdBytesMax + 8) + 4 * kTextBytesMax < kPayloadBytesMax,
              "the largest domain event (a role grant listing every platform) fits a payload");
static_assert(kOrderTransactionsMax <= 0xffff, "an order counts its transactions in 16 bits");
static_assert(kAccountNumberBytesMax <= kTextBytesMax);

/// Bounds of ledgerd's --snapshot-every-events: often enough to keep a reopen short, rarely
/// enough that snapshots (each a copy of the whole domain state) stay background work.
inline constexpr std::uint64_t kSnapshotEveryEventsMin = 1'000;
inline constexpr std::uint64_t kSnapshotEveryEventsMax = std::uint64_t{1} << 30;
/// Upper bound of ledgerd's --hot-orders-max: order slots are 32-bit.
inline constexpr std::uint64_t kHotOrdersMaxMax = std::uint64_t{1} << 31;

// ---- The server and its connections -------------------------------------------------------
/// Bytes of a frame's header: the message length (u32) and its CRC-32 (u32).
inline constexpr std::size_t kFrameHeaderBytes = 8;
/// Largest message (the FlatBuffers bytes after the header), bytes.
inline constexpr std::size_t kMessageBytesMax = kFrameBytesMax - kFrameHeaderBytes;
/// Deepest table nesting and most tables the server's verifier accepts in one message.
inline constexpr std::size_t kMessageDepthMax = 16;
inline constexpr std::size_t kMessageTablesMax = 64 * 1024;
/// Most connections ledgerd serves at once; the next one gets `overloaded` and is closed.
inline constexpr std::size_t kConnectionsMax = 1024;
/// Most requests of one connection being handled at once (pipelining depth).
inline constexpr std::size_t kRequestsInFlightMax = 256;
/// Most live subscriptions on one connection.
inline constexpr std::size_t kSubscriptionsPerConnectionMax = 16;
/// Bytes of responses waiting to be written to one connection; past this the server stops
/// reading that connection's requests and its subscriptions wait, until the client reads.
inline constexpr std::size_t kOutboundBytesMax = 64 * 1024 * 1024;
/// Bytes of events in one read response or one pushed subscription frame (it also stops at
/// kReadEventsMax events).
inline constexpr std::size_t kResponseEventBytesMax = 4 * 1024 * 1024;
/// Bytes of CSV in one chunk of a streamed export.
inline constexpr std::size_t kExportChunkBytesMax = 256 * 1024;
/// Longest credential ("<id>.<secret>") a client may present, bytes.
inline constexpr std::size_t kCredentialBytesMax = 256;
/// Largest message a connection may send before it is authenticated, bytes. An Authenticate
/// holds a credential, a client name and a little framing; a stranger must not make the
/// server reserve a buffer of kMessageBytesMax by merely announcing such a frame.
inline constexpr std::size_t kUnauthenticatedMessageBytesMax = 4 * 1024;
static_assert(kUnauthenticatedMessageBytesMax >= kCredentialBytesMax + kTextBytesMax + 1024,
              "an Authenticate with the longest credential and a client name fits");
/// Time a new connection has to authenticate, milliseconds.
inline constexpr std::int64_t kAuthenticateTimeoutMs = 10'000;
/// Time the rest of a frame has to arrive once its first byte did, milliseconds.
inline constexpr std::int64_t kFrameReadTimeoutMs = 10'000;
/// Time a connection may stay silent with nothing in flight and no subscription (default;
/// ledgerd's --idle-timeout-ms may lower it), milliseconds.
inline constexpr std::int64_t kIdleTimeoutMs = 300'000;
/// Failed authentications from one source address before it is locked out, and for how long.
inline constexpr std::size_t kAuthenticationFailuresMax = 10;
inline constexpr std::int64_t kAuthenticationLockoutMs = 30 * 60 * 1000;
/// Source addresses whose failures are remembered (the oldest is forgotten past this).
inline constexpr std::size_t kAuthenticationSourcesTrackedMax = 64 * 1024;

static_assert(kFrameBytesMax <= 0xffffffffu, "a frame's length travels as a u32");
static_assert(kOutboundBytesMax >= 2 * kFrameBytesMax, "a connection must queue two frames");
static_assert(kResponseEventBytesMax + kPayloadBytesMax + 64 * 1024 <= kMessageBytesMax,
              "a read response (plus one more event and framing) fits one message");
static_assert(kExportChunkBytesMax * 2 <= kMessageBytesMax, "an export chunk fits one message");
static_assert(kBatchCommandsMax * (10 * kTextBytesMax) <= kMessageBytesMax,
              "a full batch of the largest commands fits one message");
static_assert(kRequestsInFlightMax * 1024 * 1024 / 4 <= kOutboundBytesMax,
              "the responses of a full pipeline of batches fit the outbound queue");
static_assert(kAuthenticateTimeoutMs <= kIdleTimeoutMs && kFrameReadTimeoutMs <= kIdleTimeoutMs);

// ---- Projections (the read side) ----------------------------------------------------------
/// Most events the projector applies per views WriteBatch (rows and checkpoints together).
inline constexpr std::size_t kProjectionBatchEventsMax = 8192;
/// Decoded batches the projector's reader may hold ahead of its applier.
inline constexpr std::size_t kProjectionBatchesAheadMax = 2;
/// Rows a projection keeps cached between batches (orders, balances, summaries).
inline constexpr std::size_t kProjectionCachedRowsMax = 256 * 1024;
/// Longest a query waits for the projections to reach its min_sequence, milliseconds.
inline constexpr std::int64_t kQueryWaitMsMax = 10'000;
/// Most rows one page of a list query returns, and how many when the caller does not say.
inline constexpr std::size_t kPageRowsMax = 1000;
inline constexpr std::size_t kPageRowsDefault = 100;
/// Most index rows one page may examine: a filter that rarely matches ends the page early,
/// with a cursor to go on.
inline constexpr std::size_t kPageScanRowsMax = 20'000;
/// Most platforms an organization-wide list, journal or export merges.
inline constexpr std::size_t kScopePlatformsMax = 1024;
/// Most days one daily-totals query covers.
inline constexpr std::size_t kDailyTotalsDaysMax = 400;
/// Most entries, and about the most bytes, of one page of an append-only view index
/// (operations, journal, balance history, activity): a page is one RocksDB row.
inline constexpr std::size_t kViewPageEntriesMax = 32;
inline constexpr std::size_t kViewPageBytesMax = 4096;
static_assert(kProjectionBatchEventsMax <= kReadEventsMax, "a projector batch is one log read");
static_assert(kProjectionCachedRowsMax >= 4 * kProjectionBatchEventsMax,
              "the rows one batch touches stay cached until the next");
static_assert(kPageRowsDefault <= kPageRowsMax && kPageRowsMax <= kPageScanRowsMax);
static_assert(kExportChunkBytesMax >= 64 * kTextBytesMax, "an export chunk holds whole rows");
static_assert(kViewPageBytesMax >= 4 * kTextBytesMax,
              "a page holds several of the longest entries");

}  // namespace ledger::limits
