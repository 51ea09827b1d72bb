// Byte-level building blocks of every key and row of the views database.
//
//   be64    := 8 bytes, big-endian        (in keys: byte order is numeric order)
//   be32    := 4 bytes, big-endian
//   field   := varint length ‖ bytes      (a string inside a key: never ambiguous, whatever
//                                           bytes it holds)
//   varint  := LEB128, unsigned, at most 10 bytes
//   svarint := zigzag, then varint       (signed integers in rows)
//   text    := varint length ‖ bytes      (strings in rows)
//
// Rows are written with RowWriter and read back with RowReader, which never reads past the
// end: a malformed row turns the reader's ok() false and every later read returns zero.
// Thread-safety: plain functions and values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ledger::projections::internal {

void PutBe64(std::string* out, std::uint64_t value);
void PutBe32(std::string* out, std::uint32_t value);
/// REQUIRES: `bytes` holds at least 8 bytes.
std::uint64_t GetBe64(const char* bytes);
std::uint32_t GetBe32(const char* bytes);
/// A string field of a key.
void PutField(std::string* out, std::string_view text);
void PutVarintSlow(std::string* out, std::uint64_t value);
inline void PutVarint(std::string* out, std::uint64_t value) {
  if (value < 0x80) {  // Most lengths, deltas and small amounts: no call, no loop.
    out->push_back(static_cast<char>(value));
  } else {
    PutVarintSlow(out, value);
  }
}

class RowWriter {
 public:
  explicit RowWriter(std::string* out) : out_(out) {}
  RowWriter& U8(std::uint8_t value) {
    out_->push_back(static_cast<char>(value));
    return *this;
  }
  RowWriter& Varint(std::uint64_t value) {
    PutVarint(out_, value);
    return *this;
  }
  RowWriter& Signed(std::int64_t value) {
    // Zigzag: small magnitudes of either sign stay short.
    return Varint((static_cast<std::uint64_t>(value) << 1) ^
                  static_cast<std::uint64_t>(value >> 63));
  }
  RowWriter& Text(std::string_view text);
  RowWriter& Bytes(const std::uint8_t* data, std::size_t size) {
    out_->append(reinterpret_cast<const char*>(data), size);
    return *this;
  }

 private:
  std::string* out_;
};

class RowReader {
 public:
  explicit RowReader(std::string_view row) : rest_(row) {}
  std::uint8_t U8();
  std::uint64_t Varint();
  std::int64_t Signed();
  /// A view into the row, valid while the row's bytes are.
  std::string_view TextView();
  std::string Text() { return std::string(TextView()); }
  /// Copies `size` raw bytes into `out`.
  void Bytes(std::uint8_t* out, std::size_t size);
  /// What is left to read.
  std::string_view Rest() const { return rest_; }
  /// Every read succeeded.
  bool ok() const { return ok_; }
  /// Every read succeeded and nothing is left.
  bool Finished() const { return ok_ && rest_.empty(); }

 private:
  void Fail() {
    ok_ = false;
    rest_ = {};
  }
  std::string_view rest_;
  bool ok_ = true;
};

}  // namespace ledger::projections::internal
