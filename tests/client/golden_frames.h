// The example frames docs/protocol.md shows, built with the generated C++ code. The golden
// frames test checks that the document and this code agree byte for byte, so the examples a
// client author reads are real frames.
#pragma once

#include <string>
#include <vector>

namespace ledger::testing {

struct GoldenFrame {
  /// "request authenticate", "response pong"...: the name the document labels it with.
  std::string name;
  /// True for a Request, false for a Response.
  bool is_request = true;
  /// The whole frame: header ‖ message.
  std::string frame;
};

std::vector<GoldenFrame> BuildGoldenFrames();

/// The frame as the document writes it: the header on one line, then the message in lines
/// of 16 bytes, lower-case hexadecimal, bytes separated by spaces.
std::string FormatFrameHex(const std::string& frame);

}  // namespace ledger::testing
