// Key layouts of the log's column families, written as grammars, with their codecs.
//
//   events       key   := be64(last sequence in the pack)
//                value := pack of consecutive event records (event_pack.h)
//   streams      key   := stream_name 0x00 be64(version)      stream_name has no 0x00 byte
//                value := be64(sequence)
//                key   := stream_name 0x00 be64(2^64 - 1)     the stream's head row: one per
//                value := be64(last version) be64(sequence)   stream in each ingested file
//   idempotency  key   := scope 0x00 idempotency_key          key is never empty
//                       | 0x00 0x00 claim                     an event's claim, never empty
//                       | ""                                  the index checkpoint
//                value := be64(first_sequence) be64(first_version) be32(event_count)
//                         fingerprint[16]                     for a claim: its event's
//                                                             sequence and version, count 1,
//                                                             a zero fingerprint
//                       | be64(indexed_through)               for the checkpoint key
//
// Neither a scope nor an idempotency key holds a zero byte, so a claim's two leading zero
// bytes keep it apart from every command's key, the ledger-wide ones ("" scope) included.
// Claims share the family, the index tail and the key filters with the idempotency keys:
// both are lookups of a key that is nearly always new.
//   metadata     "format_version" := be32(version)
//                "head"           := be64(sequence) hash[32]
//
// Big-endian integers make RocksDB's bytewise order the numeric order, so appends land at
// the end of the events key space and a stream's versions are adjacent.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/engine/types.h"
#include "ledger/engine/write_job.h"

namespace ledger::log {

inline constexpr std::string_view kEventsFamily = "events";
inline constexpr std::string_view kStreamsFamily = "streams";
inline constexpr std::string_view kIdempotencyFamily = "idempotency";
inline constexpr std::string_view kMetadataFamily = "metadata";

inline constexpr std::string_view kFormatVersionKey = "format_version";
inline constexpr std::string_view kHeadKey = "head";
inline constexpr std::string_view kIndexCheckpointKey = "";
inline constexpr std::uint32_t kFormatVersion = 4;

void PutBigEndian64(std::string* out, std::uint64_t value);
void PutBigEndian32(std::string* out, std::uint32_t value);
std::uint64_t GetBigEndian64(const char* bytes);
std::uint32_t GetBigEndian32(const char* bytes);

std::string EventKey(SequenceNumber sequence);
/// The sequence of an events key (the last event of its pack); false when not 8 bytes.
bool ParseEventKey(std::string_view key, SequenceNumber* out);

std::string StreamKey(std::string_view stream, StreamVersion version);
/// The key of a stream's head row (the version 2^64 - 1 is never a real version).
std::string StreamHeadKey(std::string_view stream);
inline constexpr std::uint64_t kStreamHeadVersion = ~std::uint64_t{0};
/// The key prefix shared by every version of a stream.
std::string StreamPrefix(std::string_view stream);

std::string IdempotencyKey(std::string_view scope, std::string_view key);
/// Appends IdempotencyKey(scope, key) to `out`.
void AppendIdempotencyKey(std::string_view scope, std::string_view key, std::string* out);
/// Appends the idempotency family's key of an event's claim to `out`.
void AppendClaimKey(std::string_view claim, std::string* out);
/// The record of a claim held by the event at `sequence`, version `version` of its stream.
IdempotencyRecord ClaimRecord(SequenceNumber sequence, StreamVersion version);
std::string EncodeIdempotencyRecord(const IdempotencyRecord& record);
/// Appends EncodeIdempotencyRecord(record) to `out`.
void AppendIdempotencyRecord(const IdempotencyRecord& record, std::string* out);
bool DecodeIdempotencyRecord(std::string_view value, IdempotencyRecord* out);

std::string EncodeHead(const ChainPoint& head);
bool DecodeHead(std::string_view value, ChainPoint* out);

}  // namespace ledger::log
