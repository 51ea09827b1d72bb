// The hostile clients of hostile_clients_test, one function per attack. Each opens raw
// connections from its own loopback source address (so that the brute force's lockout hits
// only the brute force), drives its attack until its deadline and tallies how the server
// ended each connection. Randomized attacks draw everything from the seed they are given.
// Thread-safety: each call is independent; the calls may run concurrently.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "hostile/attack_socket.h"

namespace ledger::testing {

struct AttackTally {
  std::size_t connections = 0;
  /// Closed by the server (with or without an error frame first).
  std::size_t ended_by_server = 0;
  /// Should have been ended by the server within the attacker's wait but were not.
  std::size_t not_ended = 0;
  /// Answered `Overloaded` at the connection cap.
  std::size_t refused = 0;
  std::size_t bytes_sent = 0;
  /// Writes the server held back by not reading (its flow control), over half a second each.
  std::size_t stalled = 0;
  std::map<protocol::ErrorCode, std::size_t> errors;

  void Count(const Ending& ending, bool must_end);
  void Add(const AttackTally& other);
  std::size_t Errors(protocol::ErrorCode code) const;
  /// "12 connections, 12 ended by the server (FrameTooLarge 10, MalformedFrame 2)".
  std::string Describe() const;
};

/// Random bytes, frames of random bytes with a wrong CRC, and well-framed random messages.
AttackTally SendRandomBytes(std::uint16_t port, std::uint64_t seed,
                            std::chrono::milliseconds duration);

/// Frames announcing lengths over the limit, and connections that announce the largest
/// allowed frame, send a little of it and hold on.
AttackTally AnnounceHugeLengths(std::uint16_t port, std::uint64_t seed,
                                std::chrono::milliseconds duration);

/// One byte at a time: before authenticating, and inside a frame after authenticating.
AttackTally SendOneByteAtATime(std::uint16_t port, const std::string& root_credential,
                               std::chrono::milliseconds give_up_after);

/// Authenticated connections that pipeline requests as fast as the server takes them and
/// never read a response.
AttackTally NeverReadResponses(std::uint16_t port, const std::string& root_credential,
                               std::chrono::milliseconds duration);

/// Opens `attempts` connections and sends nothing; the ones answered `Overloaded` count as
/// refused, the rest are returned still open in `held`.
AttackTally OpenIdleConnections(std::uint16_t port, std::size_t attempts,
                                std::vector<AttackSocket>* held);

/// `attempts` authentications with guessed secrets from one source address, then the right
/// root credential from the same address. `guessed` receives every secret tried.
AttackTally GuessCredentials(std::uint16_t port, std::uint64_t seed, std::size_t attempts,
                             const std::string& root_credential, const std::string& source,
                             std::vector<std::string>* guessed,
                             protocol::ErrorCode* right_credential_answer);

/// A root connection made over a raw socket from `source`: the Authenticate frame.
std::string RootAuthenticateFrame(const std::string& root_credential);

}  // namespace ledger::testing
