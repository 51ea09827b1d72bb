// Attacks on the framing: random bytes, huge announced lengths, one byte at a time.
#include <random>
#include <thread>

#include "hostile/attacks.h"
#include "hostile/request_frames.h"
#include "ledger/limits.h"
#include "ledger/protocol/frame.h"

namespace ledger::testing {
namespace {

namespace p = protocol;
using Clock = AttackSocket::Clock;
using std::chrono::milliseconds;

/// Threads per attack: the machine has two cores, shared with the server and the control.
constexpr int kAttackThreads = 2;
/// How long an attacker waits for the server to end a connection it must end at once.
constexpr milliseconds kPromptEnding{3000};
/// Connections that announce the largest allowed frame and hold on.
constexpr std::size_t kLargestFrameHolders = 64;

std::string RandomBytes(std::mt19937_64& random, std::size_t size) {
  std::string bytes(size, '\0');
  for (char& c : bytes) c = static_cast<char>(random());
  return bytes;
}

std::string Header(std::uint32_t length, std::uint32_t crc) {
  std::string header(limits::kFrameHeaderBytes, '\0');
  p::StoreU32LittleEndian(length, header.data());
  p::StoreU32LittleEndian(crc, header.data() + 4);
  return header;
}

/// Whether the server can end a connection that sent only `bytes`: it has a whole header
/// that is refused, or a whole frame. Otherwise it rightly waits (for its deadline).
bool EndsAtOnce(const std::string& bytes) {
  if (bytes.size() < limits::kFrameHeaderBytes) return false;
  const auto header = p::DecodeFrameHeader(bytes.data());
  return p::CheckFrameHeader(header) != p::FrameHeaderCheck::kOk ||
         bytes.size() >= limits::kFrameHeaderBytes + header.length;
}

template <typename Attack>
AttackTally InThreads(Attack attack) {
  std::vector<AttackTally> tallies(kAttackThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kAttackThreads; ++i) {
    threads.emplace_back([&, i] { tallies[i] = attack(i); });
  }
  AttackTally total;
  for (int i = 0; i < kAttackThreads; ++i) {
    threads[i].join();
    total.Add(tallies[i]);
  }
  return total;
}

}  // namespace

AttackTally SendRandomBytes(std::uint16_t port, std::uint64_t seed, milliseconds duration) {
  const auto deadline = Clock::now() + duration;
  return InThreads([&](int thread) {
    std::mt19937_64 random(seed + static_cast<std::uint64_t>(thread));
    AttackTally tally;
    while (Clock::now() < deadline) {
      const std::size_t size = 1 + random() % 4096;
      std::string bytes;
      switch (random() % 3) {
        case 0:  // Noise from the first byte.
          bytes = RandomBytes(random, size);
          break;
        case 1:  // A frame whose checksum does not match.
          bytes = Header(static_cast<std::uint32_t>(size), static_cast<std::uint32_t>(random())) +
                  RandomBytes(random, size);
          break;
        default:  // A well-formed frame around a message that is not a Request.
          bytes = Frame(RandomBytes(random, size));
      }
      AttackSocket socket(port, "127.0.0.10");
      if (!socket.connected()) continue;
      tally.bytes_sent += socket.Write(bytes, Clock::now() + kPromptEnding);
      const bool must_end = EndsAtOnce(bytes);
      tally.Count(socket.AwaitEnding(must_end ? kPromptEnding : milliseconds(50)), must_end);
    }
    return tally;
  });
}

AttackTally AnnounceHugeLengths(std::uint16_t port, std::uint64_t seed, milliseconds duration) {
  const auto deadline = Clock::now() + duration;
  // The largest allowed frame, announced and started before authenticating: the server
  // refuses it rather than reserve memory for what a stranger only announces.
  std::vector<AttackSocket> holders;
  AttackTally total;
  for (std::size_t i = 0; i < kLargestFrameHolders; ++i) {
    AttackSocket socket(port, "127.0.0.11");
    if (!socket.connected()) continue;
    std::mt19937_64 random(seed ^ i);
    const std::string start = Header(static_cast<std::uint32_t>(limits::kMessageBytesMax),
                                     static_cast<std::uint32_t>(random())) +
                              RandomBytes(random, 1024);
    total.bytes_sent += socket.Write(start, deadline);
    holders.push_back(std::move(socket));
  }
  total.Add(InThreads([&](int thread) {
    std::mt19937_64 random(seed + 1000 + static_cast<std::uint64_t>(thread));
    AttackTally tally;
    while (Clock::now() < deadline) {
      const auto length = static_cast<std::uint32_t>(
          limits::kMessageBytesMax + 1 + random() % (0xffffffffull - limits::kMessageBytesMax));
      AttackSocket socket(port, "127.0.0.11");
      if (!socket.connected()) continue;
      tally.bytes_sent += socket.Write(Header(length, static_cast<std::uint32_t>(random())),
                                       Clock::now() + kPromptEnding);
      tally.Count(socket.AwaitEnding(kPromptEnding), true);
    }
    return tally;
  }));
  for (AttackSocket& holder : holders) total.Count(holder.AwaitEnding(kPromptEnding), true);
  return total;
}

AttackTally SendOneByteAtATime(std::uint16_t port, const std::string& root_credential,
                               milliseconds give_up_after) {
  constexpr std::size_t kEach = 32;
  constexpr milliseconds kByteInterval{100};
  struct Trickle {
    AttackSocket socket;
    std::string bytes;
    std::size_t sent = 0;
    bool ended = false;
  };
  std::vector<Trickle> trickles;
  for (std::size_t i = 0; i < 2 * kEach; ++i) {
    AttackSocket socket(port, "127.0.0.12");
    if (!socket.connected()) continue;
    if (i < kEach) {  // Before authenticating: the authentication deadline ends it.
      trickles.push_back({std::move(socket), RootAuthenticateFrame(root_credential)});
      continue;
    }
    // Authenticated, then a 16 KiB frame one byte at a time: the frame deadline ends it.
    socket.Write(RootAuthenticateFrame(root_credential), Clock::now() + kPromptEnding);
    if (!socket.ReadMessage(kPromptEnding)) continue;
    trickles.push_back({std::move(socket), AppendFrame(2, 16 * 1024)});
  }
  AttackTally tally;
  const auto deadline = Clock::now() + give_up_after;
  std::size_t open = trickles.size();
  while (open > 0 && Clock::now() < deadline) {
    for (Trickle& trickle : trickles) {
      if (trickle.ended) continue;
      if (trickle.socket.Readable()) {
        tally.Count(trickle.socket.AwaitEnding(kPromptEnding), true);
        trickle.ended = true;
        --open;
      } else if (trickle.sent < trickle.bytes.size()) {
        trickle.sent += trickle.socket.Write(trickle.bytes.substr(trickle.sent, 1), deadline);
        ++tally.bytes_sent;
      }
    }
    std::this_thread::sleep_for(kByteInterval);
  }
  for (Trickle& trickle : trickles) {
    if (!trickle.ended) tally.Count(Ending{}, true);
  }
  return tally;
}

}  // namespace ledger::testing
