#include "encoding.h"

#include <cstring>

namespace ledger::projections::internal {

void PutBe64(std::string* out, std::uint64_t value) {
  char bytes[8];
  for (int i = 7; i >= 0; --i, value >>= 8) bytes[i] = static_cast<char>(value & 0xff);
  out->append(bytes, sizeof(bytes));
}

void PutBe32(std::string* out, std::uint32_t value) {
  char bytes[4];
  for (int i = 3; i >= 0; --i, value >>= 8) bytes[i] = static_cast<char>(value & 0xff);
  out->append(bytes, sizeof(bytes));
}

std::uint64_t GetBe64(const char* bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value = (value << 8) | static_cast<std::uint8_t>(bytes[i]);
  return value;
}

std::uint32_t GetBe32(const char* bytes) {
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value = (value << 8) | static_cast<std::uint8_t>(bytes[i]);
  return value;
}

void PutVarintSlow(std::string* out, std::uint64_t value) {
  char bytes[10];
  std::size_t size = 0;
  while (value >= 0x80) {
    bytes[size++] = static_cast<char>((value & 0x7f) | 0x80);
    value >>= 7;
  }
  bytes[size++] = static_cast<char>(value);
  out->append(bytes, size);
}

void PutField(std::string* out, std::string_view text) {
  PutVarint(out, text.size());
  out->append(text);
}

RowWriter& RowWriter::Text(std::string_view text) {
  PutVarint(out_, text.size());
  out_->append(text);
  return *this;
}

std::uint8_t RowReader::U8() {
  if (rest_.empty()) {
    Fail();
    return 0;
  }
  const auto value = static_cast<std::uint8_t>(rest_.front());
  rest_.remove_prefix(1);
  return value;
}

std::uint64_t RowReader::Varint() {
  std::uint64_t value = 0;
  for (int shift = 0; shift <= 63; shift += 7) {
    if (rest_.empty()) {
      Fail();
      return 0;
    }
    const auto byte = static_cast<std::uint8_t>(rest_.front());
    rest_.remove_prefix(1);
    value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return value;
  }
  Fail();  // More than 10 bytes: not a varint this code wrote.
  return 0;
}

std::int64_t RowReader::Signed() {
  const std::uint64_t zigzag = Varint();
  return static_cast<std::int64_t>((zigzag >> 1) ^ (~(zigzag & 1) + 1));
}

std::string_view RowReader::TextView() {
  const std::uint64_t size = Varint();
  if (!ok_ || size > rest_.size()) {
    Fail();
    return {};
  }
  std::string_view text = rest_.substr(0, size);
  rest_.remove_prefix(size);
  return text;
}

void RowReader::Bytes(std::uint8_t* out, std::size_t size) {
  if (size > rest_.size()) {
    Fail();
    std::memset(out, 0, size);
    return;
  }
  std::memcpy(out, rest_.data(), size);
  rest_.remove_prefix(size);
}

}  // namespace ledger::projections::internal
