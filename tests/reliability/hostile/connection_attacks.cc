// Attacks on the connections: clients that never read, idle connections past the cap, and
// guessing credentials.
#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <thread>

#include "hostile/attacks.h"
#include "hostile/request_frames.h"
#include "server/server_fixture.h"

namespace ledger::testing {
namespace {

namespace p = protocol;
using Clock = AttackSocket::Clock;
using std::chrono::milliseconds;

constexpr milliseconds kPromptEnding{3000};
/// Connections that never read, and requests each writes at once (under the server's
/// limit of requests in flight, so that the server's flow control is what stops them).
constexpr std::size_t kNonReaders = 4;
constexpr std::size_t kRequestsPerWrite = 64;
/// A write blocked this long means the server stopped reading the connection.
constexpr milliseconds kStalledWrite{500};

std::string RandomHex(std::mt19937_64& random, std::size_t digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text(digits, '0');
  for (char& c : text) c = kHex[random() % 16];
  return text;
}

}  // namespace

AttackTally NeverReadResponses(std::uint16_t port, const std::string& root_credential,
                               milliseconds duration) {
  const auto deadline = Clock::now() + duration;
  std::vector<AttackTally> tallies(kNonReaders);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < kNonReaders; ++i) {
    threads.emplace_back([&, i] {
      AttackTally& tally = tallies[i];
      AttackSocket socket(port, "127.0.0.13");
      if (!socket.connected()) return;
      socket.Write(RootAuthenticateFrame(root_credential), deadline);
      if (!socket.ReadMessage(kPromptEnding)) return;
      // Half the connections ask for pongs, half for log reads (larger responses).
      std::uint64_t id = 2;
      Ending ending;
      while (Clock::now() < deadline) {
        std::string burst;
        for (std::size_t r = 0; r < kRequestsPerWrite; ++r, ++id) {
          burst += i % 2 == 0 ? PingFrame(id) : ReadLogFrame(id);
        }
        const auto started = Clock::now();
        const std::size_t written = socket.Write(burst, deadline);
        tally.bytes_sent += written;
        if (Clock::now() - started > kStalledWrite) ++tally.stalled;
        if (written < burst.size()) {
          ending.closed = Clock::now() < deadline;  // Cut short before the deadline: reset.
          break;
        }
        if (i % 2 == 1) std::this_thread::sleep_for(milliseconds(20));
      }
      tally.Count(ending, false);
    });
  }
  AttackTally total;
  for (std::size_t i = 0; i < kNonReaders; ++i) {
    threads[i].join();
    total.Add(tallies[i]);
  }
  return total;
}

AttackTally OpenIdleConnections(std::uint16_t port, std::size_t attempts,
                                std::vector<AttackSocket>* held) {
  std::vector<AttackSocket> sockets;
  for (std::size_t i = 0; i < attempts; ++i) {
    AttackSocket socket(port, "127.0.0.14");
    if (socket.connected()) sockets.push_back(std::move(socket));
  }
  // The refused ones get their `Overloaded` frame and the close: wait until no more arrive
  // (one quiet second), however slow the machine (a sanitizer build under load).
  const auto give_up = Clock::now() + std::chrono::seconds(20);
  std::size_t readable = 0;
  for (auto quiet_since = Clock::now();
       Clock::now() - quiet_since < milliseconds(1000) && Clock::now() < give_up;) {
    std::this_thread::sleep_for(milliseconds(100));
    const auto now_readable = static_cast<std::size_t>(std::count_if(
        sockets.begin(), sockets.end(), [](AttackSocket& socket) { return socket.Readable(); }));
    if (now_readable != readable || readable == 0) quiet_since = Clock::now();
    readable = now_readable;
  }
  AttackTally tally;
  for (AttackSocket& socket : sockets) {
    if (socket.Readable()) {
      tally.Count(socket.AwaitEnding(kPromptEnding), false);
    } else {
      held->push_back(std::move(socket));
    }
  }
  tally.connections += held->size();
  return tally;
}

AttackTally GuessCredentials(std::uint16_t port, std::uint64_t seed, std::size_t attempts,
                             const std::string& root_credential, const std::string& source,
                             std::vector<std::string>* guessed,
                             p::ErrorCode* right_credential_answer) {
  std::mt19937_64 random(seed);
  AttackTally tally;
  for (std::size_t i = 0; i < attempts; ++i) {
    const std::string secret = RandomHex(random, 64);
    guessed->push_back(secret);
    std::string message;
    switch (i % 3) {
      case 0:
        message = AuthenticateMessage(1, p::CredentialKind::Root, "root." + secret,
                                      schema::Environment::Unspecified);
        break;
      case 1:
        message = AuthenticateMessage(1, p::CredentialKind::ApiKey, "key-guess." + secret,
                                      schema::Environment::Unspecified);
        break;
      default:
        message = AuthenticateMessage(1, p::CredentialKind::UserToken, "token-guess." + secret,
                                      schema::Environment::Sandbox);
    }
    AttackSocket socket(port, source);
    if (!socket.connected()) continue;
    tally.bytes_sent += socket.Write(Frame(message), Clock::now() + kPromptEnding);
    tally.Count(socket.AwaitEnding(kPromptEnding), true);
  }
  AttackSocket socket(port, source);
  socket.Write(RootAuthenticateFrame(root_credential), Clock::now() + kPromptEnding);
  const Ending ending = socket.AwaitEnding(kPromptEnding);
  *right_credential_answer = ending.error.value_or(p::ErrorCode::Ok);
  return tally;
}

}  // namespace ledger::testing
