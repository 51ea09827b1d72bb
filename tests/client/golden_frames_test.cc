// docs/protocol.md's example frames are real: each one equals the frame the generated C++ code
// builds for the message it describes, its CRC checks and its message verifies.
#include "client/golden_frames.h"

#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "ledger/protocol/frame.h"
#include "ledger/protocol/message.h"

namespace ledger::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every "<!-- golden-frame: NAME -->" followed by a fenced block of hex digits.
std::map<std::string, std::string> DocumentFrames(const std::string& document) {
  static constexpr std::string_view kMarker = "<!-- golden-frame: ";
  std::map<std::string, std::string> frames;
  for (auto at = document.find(kMarker); at != std::string::npos;
       at = document.find(kMarker, at + 1)) {
    auto name_begin = at + kMarker.size();
    auto name_end = document.find(" -->", name_begin);
    auto fence = document.find("```", name_end);
    auto block_begin = document.find('\n', fence) + 1;
    auto block_end = document.find("```", block_begin);
    std::string bytes;
    std::string digits;
    for (auto c : document.substr(block_begin, block_end - block_begin)) {
      if (std::isxdigit(static_cast<unsigned char>(c))) digits += c;
    }
    for (std::size_t i = 0; i + 1 < digits.size(); i += 2) {
      bytes += static_cast<char>(std::stoi(digits.substr(i, 2), nullptr, 16));
    }
    frames[document.substr(name_begin, name_end - name_begin)] = bytes;
  }
  return frames;
}

TEST(GoldenFramesTest, CrcMatchesTheStandardCheckValues) {
  EXPECT_EQ(protocol::Crc32("123456789"), 0xCBF43926u);
  EXPECT_EQ(protocol::Crc32("The quick brown fox jumps over the lazy dog"), 0x414FA339u);
  std::string bytes(1000, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 7);
  auto whole = protocol::Crc32(bytes);
  auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  EXPECT_EQ(protocol::Crc32Update(protocol::Crc32Update(0, data, 300), data + 300, 700), whole);
}

TEST(GoldenFramesTest, HeaderBoundsAreCheckedBeforeTheMessage) {
  protocol::FrameHeader header{0, 0};
  EXPECT_EQ(protocol::CheckFrameHeader(header), protocol::FrameHeaderCheck::kEmpty);
  header.length = static_cast<std::uint32_t>(limits::kMessageBytesMax + 1);
  EXPECT_EQ(protocol::CheckFrameHeader(header), protocol::FrameHeaderCheck::kTooLarge);
  header.length = static_cast<std::uint32_t>(limits::kMessageBytesMax);
  EXPECT_EQ(protocol::CheckFrameHeader(header), protocol::FrameHeaderCheck::kOk);
}

TEST(GoldenFramesTest, DocumentShowsTheFramesTheCodeBuilds) {
  auto document = ReadFile(LEDGER_SOURCE_DIR "/docs/protocol.md");
  ASSERT_FALSE(document.empty());
  auto documented = DocumentFrames(document);
  auto built = BuildGoldenFrames();
  EXPECT_EQ(documented.size(), built.size());
  for (const auto& golden : built) {
    SCOPED_TRACE(golden.name);
    auto found = documented.find(golden.name);
    ASSERT_NE(found, documented.end()) << "docs/protocol.md lacks this frame:\n"
                                       << FormatFrameHex(golden.frame);
    EXPECT_EQ(found->second, golden.frame) << "docs/protocol.md should show:\n"
                                           << FormatFrameHex(golden.frame);
    auto header = protocol::DecodeFrameHeader(golden.frame.data());
    std::string_view message(golden.frame);
    message.remove_prefix(limits::kFrameHeaderBytes);
    EXPECT_EQ(header.length, message.size());
    EXPECT_EQ(header.crc32, protocol::Crc32(message));
    if (golden.is_request) {
      EXPECT_NE(protocol::VerifiedRequest(message), nullptr);
    } else {
      EXPECT_NE(protocol::VerifiedResponse(message), nullptr);
    }
  }
}

TEST(GoldenFramesTest, DamagedMessagesAreRefusedOrReadSafely) {
  for (const auto& golden : BuildGoldenFrames()) {
    std::string message = golden.frame.substr(limits::kFrameHeaderBytes);
    // Cut to half or less, no message verifies.
    for (std::size_t size = 0; size <= message.size() / 2; ++size) {
      auto prefix = std::string_view(message).substr(0, size);
      bool verifies = golden.is_request ? protocol::VerifiedRequest(prefix) != nullptr
                                        : protocol::VerifiedResponse(prefix) != nullptr;
      EXPECT_FALSE(verifies) << golden.name << " cut to " << size;
    }
    // Any single damaged byte either fails verification or yields a readable message (the
    // sanitizer builds prove no read goes out of bounds).
    for (std::size_t i = 0; i < message.size(); ++i) {
      std::string damaged = message;
      damaged[i] = static_cast<char>(damaged[i] ^ 0x5a);
      if (const auto* request = protocol::VerifiedRequest(damaged)) {
        EXPECT_GE(request->request_id(), 0u);
      }
    }
  }
}

}  // namespace
}  // namespace ledger::testing

int main(int argc, char** argv) {
  if (std::getenv("LEDGER_PRINT_GOLDEN_FRAMES") != nullptr) {
    for (const auto& golden : ledger::testing::BuildGoldenFrames()) {
      std::cout << "<!-- golden-frame: " << golden.name << " -->\n```\n"
                << ledger::testing::FormatFrameHex(golden.frame) << "```\n\n";
    }
    return 0;
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
