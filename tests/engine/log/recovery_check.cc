#include "log/recovery_check.h"

#include <fmt/format.h>
#include <rocksdb/db.h>

#include <algorithm>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "ledger/limits.h"

namespace ledger::testing {
namespace {

constexpr std::size_t kProblemsShownMax = 20;

/// An events key: the last sequence of a pack, big-endian (the log's keys.h).
std::string EventKey(SequenceNumber sequence) {
  std::string key(8, '\0');
  std::uint64_t value = sequence.value;
  for (int i = 7; i >= 0; --i, value >>= 8) key[i] = static_cast<char>(value & 0xff);
  return key;
}

std::vector<RecordedEvent> ReadWholeLog(const Log& log, CheckReport* report) {
  const ChainPoint head = log.Head();
  std::vector<RecordedEvent> events;
  while (events.size() < head.sequence.value) {
    auto chunk = log.ReadRange(SequenceNumber{events.size() + 1}, limits::kReadEventsMax);
    if (!chunk.ok()) {
      report->Add("reading the log failed: " + chunk.status().ToString());
      break;
    }
    if (chunk->empty()) break;
    for (RecordedEvent& event : *chunk) events.push_back(std::move(event));
  }
  if (events.size() != head.sequence.value) {
    report->Add(fmt::format("the head is {} but the log holds {} events", head.sequence.value,
                            events.size()));
  }
  Result<VerifyReport> verified = log.Verify(std::nullopt);
  if (!verified.ok()) {
    report->Add("Verify failed: " + verified.status().ToString());
  } else if (!verified->ok || verified->last_good != head) {
    report->Add(
        fmt::format("Verify: event {}: {}", verified->first_bad_sequence.value, verified->problem));
  }
  return events;
}

/// Gapless, every event one that was submitted, once, whole, at its stream's next version.
/// Returns each stream's last version.
std::unordered_map<std::string, StreamVersion> CheckEvents(const std::vector<RecordedEvent>& events,
                                                           const History& history,
                                                           CheckReport* report) {
  std::unordered_map<std::string, StreamVersion> stream_heads;
  std::unordered_set<std::string_view> seen;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const RecordedEvent& event = events[i];
    if (event.sequence().value != i + 1) {
      report->Add(
          fmt::format("event {} stands where event {} should", event.sequence().value, i + 1));
    }
    auto submitted = history.submitted.find(std::string(event.payload()));
    const auto* key = event.envelope().idempotency_key();
    if (submitted == history.submitted.end() || submitted->second.event.stream != event.stream()) {
      report->Add(fmt::format("event {} is not an event that was submitted", i + 1));
    } else if ((key == nullptr ? std::string_view() : key->string_view()) !=
               submitted->second.idempotency_key) {
      report->Add(fmt::format("event {} carries the wrong idempotency key", i + 1));
    } else if (const auto* claim = event.envelope().claim();
               (claim == nullptr ? std::string_view() : claim->string_view()) !=
               submitted->second.event.claim) {
      report->Add(fmt::format("event {} carries the wrong claim", i + 1));
    }
    if (!seen.insert(event.payload()).second) {
      report->Add(fmt::format("event {} was recorded twice", i + 1));
    }
    StreamVersion& last = stream_heads[std::string(event.stream())];
    if (event.stream_version() != last.Next()) {
      report->Add(fmt::format("event {} is version {} of '{}', after version {}", i + 1,
                              event.stream_version().value, event.stream(), last.value));
    }
    last = event.stream_version();
  }
  return stream_heads;
}

void CheckAcknowledged(const std::vector<RecordedEvent>& events, const History& history,
                       CheckReport* report) {
  for (const Acknowledged& acknowledged : history.acknowledged) {
    ++report->acknowledged_checked;
    const std::uint64_t sequence = acknowledged.sequence.value;
    const RecordedEvent* event =
        sequence >= 1 && sequence <= events.size() ? &events[sequence - 1] : nullptr;
    if (event != nullptr && event->payload() == acknowledged.request.event.payload &&
        event->stream() == acknowledged.request.event.stream &&
        event->stream_version() == acknowledged.version) {
      continue;
    }
    ++report->lost_acknowledged;
    report->Add(fmt::format("acknowledged event {} (version {} of '{}') is {}", sequence,
                            acknowledged.version.value, acknowledged.request.event.stream,
                            event == nullptr ? "lost" : "not what was acknowledged"));
  }
}

/// The rebuilt index agrees with the log on every stream's last version.
void CheckStreamHeads(const Log& log,
                      const std::unordered_map<std::string, StreamVersion>& stream_heads,
                      CheckReport* report) {
  for (const auto& [stream, version] : stream_heads) {
    Result<StreamVersion> head = log.StreamHead(stream);
    if (!head.ok() || *head != version) {
      report->Add(fmt::format("the index says '{}' is at version {}, the log says {}", stream,
                              head.ok() ? head->value : 0, version.value));
    }
  }
}

/// Appends `requests` in batches the log takes and calls `check(i, result)` for each; says
/// what failed (as `what`) when a batch could not be appended, and stops there.
template <typename Check>
void AppendAndCheck(Log& log, const std::vector<AppendRequest>& requests, std::string_view what,
                    CheckReport* report, Check check) {
  for (std::size_t start = 0; start < requests.size(); start += limits::kBatchCommandsMax) {
    const std::size_t end = std::min(requests.size(), start + limits::kBatchCommandsMax);
    auto results = log.Append({requests.begin() + start, requests.begin() + end});
    if (!results.ok()) {
      report->Add(fmt::format("{} failed: {}", what, results.status().ToString()));
      return;
    }
    for (std::size_t i = start; i < end; ++i) check(i, (*results)[i - start]);
  }
}

/// Every acknowledged key still answers with its original result (and writes nothing).
void CheckIdempotency(Log& log, const History& history, CheckReport* report) {
  std::vector<AppendRequest> retries;
  std::vector<SequenceNumber> originals;
  for (const Acknowledged& acknowledged : history.acknowledged) {
    if (acknowledged.request.idempotency_key.empty()) continue;
    retries.push_back(acknowledged.request);
    originals.push_back(acknowledged.sequence);
  }
  AppendAndCheck(
      log, retries, "retrying idempotency keys", report,
      [&](std::size_t i, const AppendResult& result) {
        if (result.code == AppendCode::kDuplicate && result.first_sequence == originals[i]) {
          return;
        }
        report->Add(fmt::format("key '{}' returned {} at sequence {}, not the duplicate of {}",
                                retries[i].idempotency_key, AppendCodeName(result.code),
                                result.first_sequence.value, originals[i].value));
      });
}

/// Every acknowledged claim is still held by its event: claiming it again is refused, naming
/// that event, and writes nothing.
void CheckClaims(Log& log, const History& history, CheckReport* report) {
  std::vector<AppendRequest> reclaims;
  std::vector<SequenceNumber> holders;
  for (const Acknowledged& acknowledged : history.acknowledged) {
    if (acknowledged.request.event.claim.empty()) continue;
    AppendRequest reclaim = acknowledged.request;
    reclaim.event.stream = "claim-check";
    reclaim.event.payload = "claim-check/" + reclaim.event.claim;
    reclaim.event.expected = ExpectedVersion::Any();
    reclaim.idempotency_key.clear();
    reclaims.push_back(std::move(reclaim));
    holders.push_back(acknowledged.sequence);
  }
  AppendAndCheck(
      log, reclaims, "claiming acknowledged claims again", report,
      [&](std::size_t i, const AppendResult& result) {
        if (result.code == AppendCode::kClaimTaken && result.first_sequence == holders[i]) {
          return;
        }
        report->Add(fmt::format("claim '{}' returned {} naming sequence {}, not the holder {}",
                                reclaims[i].event.claim, AppendCodeName(result.code),
                                result.first_sequence.value, holders[i].value));
      });
}

}  // namespace

void CheckReport::Add(std::string problem) {
  if (problems.size() < kProblemsShownMax) problems.push_back(std::move(problem));
}

void CheckRecoveredLog(Log& log, const History& history, CheckReport* report) {
  std::vector<RecordedEvent> events = ReadWholeLog(log, report);
  auto stream_heads = CheckEvents(events, history, report);
  CheckAcknowledged(events, history, report);
  CheckStreamHeads(log, stream_heads, report);
  // With acknowledged events lost, a retry would append them again and muddle the report.
  if (report->lost_acknowledged == 0) {
    CheckIdempotency(log, history, report);
    CheckClaims(log, history, report);
  }
}

void CountLostOnDisk(const std::string& path, const History& history, CheckReport* report) {
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const char* name : {"default", "events", "streams", "idempotency", "metadata"}) {
    families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status opened =
      rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), path, families, &handles, &raw);
  if (!opened.ok()) {
    report->Add("nor does RocksDB open it: " + opened.ToString());
    return;
  }
  std::unique_ptr<rocksdb::DB> db(raw);
  std::uint64_t lost = 0;
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), handles[1]));
  for (const Acknowledged& acknowledged : history.acknowledged) {
    ++report->acknowledged_checked;
    // The first pack whose last event is at or after this one holds it, if anything does.
    it->Seek(EventKey(acknowledged.sequence));
    // Payloads are unique, and FlatBuffers stores strings verbatim.
    if (!it->Valid() ||
        it->value().ToStringView().find(acknowledged.request.event.payload) == std::string::npos) {
      ++lost;
    }
  }
  it.reset();
  for (auto* handle : handles) (void)db->DestroyColumnFamilyHandle(handle);
  report->lost_acknowledged += lost;
  report->Add(fmt::format("{} of {} acknowledged events are gone from the database itself", lost,
                          history.acknowledged.size()));
}

}  // namespace ledger::testing
