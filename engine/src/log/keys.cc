#include "log/keys.h"

#include <cstring>

namespace ledger::log {

void PutBigEndian64(std::string* out, std::uint64_t value) {
  char bytes[8];
  for (int i = 7; i >= 0; --i) {
    bytes[i] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
  out->append(bytes, sizeof bytes);
}

void PutBigEndian32(std::string* out, std::uint32_t value) {
  char bytes[4];
  for (int i = 3; i >= 0; --i) {
    bytes[i] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
  out->append(bytes, sizeof bytes);
}

std::uint64_t GetBigEndian64(const char* bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value = (value << 8) | static_cast<std::uint8_t>(bytes[i]);
  return value;
}

std::uint32_t GetBigEndian32(const char* bytes) {
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value = (value << 8) | static_cast<std::uint8_t>(bytes[i]);
  return value;
}

std::string EventKey(SequenceNumber sequence) {
  std::string key;
  PutBigEndian64(&key, sequence.value);
  return key;
}

bool ParseEventKey(std::string_view key, SequenceNumber* out) {
  if (key.size() != 8) return false;
  out->value = GetBigEndian64(key.data());
  return true;
}

std::string StreamPrefix(std::string_view stream) {
  std::string key;
  key.reserve(stream.size() + 9);
  key.append(stream);
  key.push_back('\0');
  return key;
}

std::string StreamKey(std::string_view stream, StreamVersion version) {
  std::string key = StreamPrefix(stream);
  PutBigEndian64(&key, version.value);
  return key;
}

std::string StreamHeadKey(std::string_view stream) {
  return StreamKey(stream, StreamVersion{kStreamHeadVersion});
}

std::string IdempotencyKey(std::string_view scope, std::string_view key) {
  std::string out;
  AppendIdempotencyKey(scope, key, &out);
  return out;
}

void AppendIdempotencyKey(std::string_view scope, std::string_view key, std::string* out) {
  out->reserve(out->size() + scope.size() + key.size() + 1);
  out->append(scope);
  out->push_back('\0');
  out->append(key);
}

void AppendClaimKey(std::string_view claim, std::string* out) {
  out->reserve(out->size() + claim.size() + 2);
  out->append(2, '\0');
  out->append(claim);
}

IdempotencyRecord ClaimRecord(SequenceNumber sequence, StreamVersion version) {
  return IdempotencyRecord{sequence, version, 1, Fingerprint{}};
}

std::string EncodeIdempotencyRecord(const IdempotencyRecord& record) {
  std::string value;
  AppendIdempotencyRecord(record, &value);
  return value;
}

void AppendIdempotencyRecord(const IdempotencyRecord& record, std::string* out) {
  out->reserve(out->size() + 36);
  PutBigEndian64(out, record.first_sequence.value);
  PutBigEndian64(out, record.first_version.value);
  PutBigEndian32(out, record.event_count);
  out->append(reinterpret_cast<const char*>(record.fingerprint.data()), record.fingerprint.size());
}

bool DecodeIdempotencyRecord(std::string_view value, IdempotencyRecord* out) {
  if (value.size() != 36) return false;
  out->first_sequence.value = GetBigEndian64(value.data());
  out->first_version.value = GetBigEndian64(value.data() + 8);
  out->event_count = GetBigEndian32(value.data() + 16);
  std::memcpy(out->fingerprint.data(), value.data() + 20, out->fingerprint.size());
  return true;
}

std::string EncodeHead(const ChainPoint& head) {
  std::string value;
  PutBigEndian64(&value, head.sequence.value);
  value.append(reinterpret_cast<const char*>(head.hash.data()), head.hash.size());
  return value;
}

bool DecodeHead(std::string_view value, ChainPoint* out) {
  if (value.size() != 8 + out->hash.size()) return false;
  out->sequence.value = GetBigEndian64(value.data());
  std::memcpy(out->hash.data(), value.data() + 8, out->hash.size());
  return true;
}

}  // namespace ledger::log
