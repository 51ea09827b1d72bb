#include "kill/log_checker.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <set>

#include "ledger/schema/envelope_generated.h"

namespace ledger::reliability {
namespace {

namespace p = protocol;

std::string VerifyFrom(client::Client& root, const ChainPoint& from) {
  auto reply = root.Call(p::RequestBody::VerifyChain, [&](flatbuffers::FlatBufferBuilder& b) {
    std::vector<std::uint8_t> hash(from.hash.begin(), from.hash.end());
    return p::CreateVerifyChainDirect(b, from.sequence.value,
                                      from.sequence.value == 0 ? nullptr : &hash)
        .Union();
  });
  if (!reply.ok()) return "VerifyChain failed: " + reply.error().ToString();
  const auto* result = reply.body<p::VerifyChainResult>();
  if (result == nullptr) return "VerifyChain answered with something else";
  if (!result->ok()) {
    return fmt::format("the chain does not verify from {}: first bad sequence {}: {}",
                       from.sequence.value, result->first_bad_sequence(),
                       result->problem() ? result->problem()->str() : "");
  }
  return "";
}

}  // namespace

std::string LogChecker::VerifyFromGenesis(client::Client& root) {
  return VerifyFrom(root, ChainPoint{});
}

std::vector<std::string> LogChecker::Check(client::Client& root,
                                           const std::map<std::string, SentCommand>& cycle,
                                           KillFigures& figures) {
  std::vector<std::string> violations;
  if (std::string problem = VerifyFrom(root, checked_); !problem.empty()) {
    violations.push_back(problem);
    return violations;
  }
  std::map<std::string, std::uint64_t> present;  // key → sequence, this cycle
  std::uint64_t expected = checked_.sequence.value + 1;
  for (;;) {
    auto reply = root.Call(p::RequestBody::ReadLog, [&](flatbuffers::FlatBufferBuilder& b) {
      return p::CreateReadLog(b, expected, 1000).Union();
    });
    const auto* events = reply.ok() ? reply.body<p::Events>() : nullptr;
    if (events == nullptr) {
      violations.push_back("ReadLog failed: " + reply.error().ToString());
      return violations;
    }
    if (events->events() == nullptr || events->events()->size() == 0) break;
    for (const auto* event : *events->events()) {
      // Copied: FlatBuffers reads need the alignment a vector inside a message lacks.
      std::string bytes(reinterpret_cast<const char*>(event->envelope()->data()),
                        event->envelope()->size());
      flatbuffers::Verifier verifier(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                     bytes.size());
      if (!schema::VerifyEnvelopeBuffer(verifier)) {
        violations.push_back(fmt::format("event {} does not verify", expected));
        return violations;
      }
      const auto* envelope = schema::GetEnvelope(bytes.data());
      if (envelope->sequence() != expected) {
        violations.push_back(fmt::format("expected event {}, found {}: the log has a gap", expected,
                                         envelope->sequence()));
        return violations;
      }
      const std::string key =
          envelope->idempotency_key() ? envelope->idempotency_key()->str() : std::string();
      auto sent = cycle.find(key);
      if (sent == cycle.end()) {
        ++figures.never_sent_present;
        violations.push_back(
            fmt::format("event {} has key '{}', never sent in this cycle", expected, key));
      } else if (!present.emplace(key, expected).second ||
                 (sent->second.retry && recorded_last_cycle_.contains(key))) {
        ++figures.double_records;
        violations.push_back(fmt::format("key '{}' recorded twice (again at {})", key, expected));
      } else if (envelope->type() != sent->second.event_type) {
        violations.push_back(fmt::format("event {} of '{}' has type {}, the command writes {}",
                                         expected, key, static_cast<int>(envelope->type()),
                                         static_cast<int>(sent->second.event_type)));
      }
      checked_.sequence = SequenceNumber{expected};
      std::memcpy(checked_.hash.data(), event->hash()->data(),
                  std::min<std::size_t>(event->hash()->size(), checked_.hash.size()));
      ++figures.events_checked;
      ++expected;
    }
  }

  for (const auto& [key, command] : cycle) {
    auto found = present.find(key);
    const bool recorded_before = command.retry && recorded_last_cycle_.contains(key);
    ++figures.commands_sent;
    if (command.retry) ++figures.retries_sent;
    switch (command.outcome) {
      case Outcome::kAcknowledged:
        ++figures.acknowledged;
        if (recorded_before) {
          if (command.sequence != recorded_last_cycle_.at(key)) {
            violations.push_back(
                fmt::format("the retry of '{}' was answered with {}, the original is at {}", key,
                            command.sequence, recorded_last_cycle_.at(key)));
          }
        } else if (found == present.end()) {
          ++figures.lost;
          violations.push_back(
              fmt::format("acknowledged '{}' at {} is missing", key, command.sequence));
        } else if (found->second != command.sequence) {
          violations.push_back(fmt::format("acknowledged '{}' at {} is at {}", key,
                                           command.sequence, found->second));
        }
        break;
      case Outcome::kRejected:
        ++figures.rejected;
        if (found != present.end()) {
          violations.push_back(fmt::format("rejected '{}' was written at {}", key, found->second));
        }
        break;
      case Outcome::kSent:
        ++(found != present.end() || recorded_before ? figures.unacknowledged_present
                                                     : figures.unacknowledged_absent);
        break;
    }
  }
  // Retries recorded in an earlier cycle stay known: a retry may be retried again.
  std::map<std::string, std::uint64_t> recorded = std::move(present);
  for (const auto& [key, command] : cycle) {
    if (command.retry && recorded_last_cycle_.contains(key)) {
      recorded[key] = recorded_last_cycle_.at(key);
    }
  }
  recorded_last_cycle_ = std::move(recorded);
  return violations;
}

}  // namespace ledger::reliability
