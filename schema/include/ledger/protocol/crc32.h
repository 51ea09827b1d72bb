// CRC-32 as IEEE 802.3 defines it and zlib's crc32() computes it (reflected polynomial
// 0xEDB88320, initial value and final xor 0xFFFFFFFF): the checksum of every wire frame.
//
// Table-driven, one byte at a time; the table is built at compile time. Crc32("123456789")
// is 0xCBF43926, the standard check value (asserted below).
// Thread-safety: pure functions over constant data.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ledger::protocol {

namespace crc32_internal {

inline constexpr std::uint32_t kPolynomialReflected = 0xEDB88320u;

constexpr std::array<std::uint32_t, 256> MakeTable() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t crc = i;
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 1u) != 0 ? (crc >> 1) ^ kPolynomialReflected : crc >> 1;
    }
    table[i] = crc;
  }
  return table;
}

inline constexpr std::array<std::uint32_t, 256> kTable = MakeTable();

}  // namespace crc32_internal

/// Continues a CRC over more bytes: Crc32Update(Crc32Update(0, a), b) == Crc32(a ‖ b).
constexpr std::uint32_t Crc32Update(std::uint32_t crc, const unsigned char* data,
                                    std::size_t size) {
  crc = ~crc;
  for (std::size_t i = 0; i < size; ++i) {
    crc = crc32_internal::kTable[(crc ^ data[i]) & 0xffu] ^ (crc >> 8);
  }
  return ~crc;
}

constexpr std::uint32_t Crc32(std::string_view bytes) {
  std::uint32_t crc = ~0u;
  for (char c : bytes) {
    crc = crc32_internal::kTable[(crc ^ static_cast<unsigned char>(c)) & 0xffu] ^ (crc >> 8);
  }
  return ~crc;
}

static_assert(Crc32("123456789") == 0xCBF43926u, "the CRC-32 check value");
static_assert(Crc32("") == 0u);

}  // namespace ledger::protocol
