// The frame every message travels in, both directions:
//
//   frame  := length:u32le ‖ crc32:u32le ‖ message
//   length := bytes of message; 1 ≤ length ≤ limits::kMessageBytesMax
//   crc32  := Crc32(message) (crc32.h)
//
// A reader takes the 8-byte header first, refuses a length out of bounds before reading (or
// allocating for) the message, then reads exactly `length` bytes and checks the CRC before the
// FlatBuffers verifier ever sees them. Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/limits.h"
#include "ledger/protocol/crc32.h"

namespace ledger::protocol {

struct FrameHeader {
  std::uint32_t length = 0;
  std::uint32_t crc32 = 0;
};

enum class FrameHeaderCheck : std::uint8_t { kOk, kEmpty, kTooLarge };

inline void StoreU32LittleEndian(std::uint32_t value, char* out) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<char>((value >> (8 * i)) & 0xffu);
}

inline std::uint32_t LoadU32LittleEndian(const char* in) {
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) {
    value |= static_cast<std::uint32_t>(static_cast<unsigned char>(in[i])) << (8 * i);
  }
  return value;
}

/// REQUIRES: `header` points at limits::kFrameHeaderBytes bytes.
inline FrameHeader DecodeFrameHeader(const char* header) {
  return FrameHeader{LoadU32LittleEndian(header), LoadU32LittleEndian(header + 4)};
}

/// Whether a reader may go on to read the message the header announces.
inline FrameHeaderCheck CheckFrameHeader(const FrameHeader& header,
                                         std::size_t message_bytes_max = limits::kMessageBytesMax) {
  if (header.length == 0) return FrameHeaderCheck::kEmpty;
  if (header.length > message_bytes_max) return FrameHeaderCheck::kTooLarge;
  return FrameHeaderCheck::kOk;
}

/// Writes the header of `message` into `out` (limits::kFrameHeaderBytes bytes).
inline void EncodeFrameHeader(std::string_view message, char* out) {
  StoreU32LittleEndian(static_cast<std::uint32_t>(message.size()), out);
  StoreU32LittleEndian(Crc32(message), out + 4);
}

/// Appends header ‖ message to `out`. REQUIRES: 1 ≤ message.size() ≤ kMessageBytesMax.
inline void AppendFrame(std::string_view message, std::string* out) {
  char header[limits::kFrameHeaderBytes];
  EncodeFrameHeader(message, header);
  out->append(header, sizeof header);
  out->append(message);
}

inline std::string EncodeFrame(std::string_view message) {
  std::string frame;
  frame.reserve(limits::kFrameHeaderBytes + message.size());
  AppendFrame(message, &frame);
  return frame;
}

}  // namespace ledger::protocol
