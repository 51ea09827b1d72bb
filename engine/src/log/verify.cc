// The audit walk: checks every event from a start point to the head against the chain.
#include <fmt/format.h>

#include "log/event_pack.h"
#include "log/log_impl.h"
#include "log/sha256.h"

namespace ledger::log {
namespace {

VerifyReport Bad(VerifyReport report, SequenceNumber sequence, std::string problem) {
  report.ok = false;
  report.first_bad_sequence = sequence;
  report.problem = std::move(problem);
  return report;
}

/// Checks one stored record against the previous point of the chain; empty when it holds.
std::string CheckLink(std::string_view stored, SequenceNumber sequence, const Hash256& previous,
                      std::string* aligned) {
  const schema::Envelope* envelope = nullptr;
  Status shape = CopyAndCheckRecord(stored, aligned, &envelope);
  std::string_view record = *aligned;
  if (!shape.ok()) return shape.message();
  if (envelope->sequence() != sequence.value) {
    return fmt::format("the event stored at sequence {} says it is sequence {}", sequence.value,
                       envelope->sequence());
  }
  auto* linked = envelope->previous_hash();
  if (linked == nullptr || linked->size() != previous.size() ||
      !std::equal(linked->begin(), linked->end(), previous.begin())) {
    return "its previous-hash does not link to the event before it";
  }
  if (ChainHash(previous, EnvelopeBytes(record)) != StoredHash(record)) {
    return "its bytes do not match its hash (the event was altered)";
  }
  return {};
}

}  // namespace

Result<VerifyReport> LogImpl::Verify(std::optional<ChainPoint> from) const {
  const ChainPoint head = Head();
  VerifyReport report;
  const ChainPoint point = from.value_or(ChainPoint{});
  // Until the audited point itself checks out, nothing is known good: last_good stays empty.
  if (point.sequence > head.sequence) {
    return Bad(report, head.sequence.Next(),
               fmt::format("the audited point {} is past the head {}: the log was truncated",
                           point.sequence.value, head.sequence.value));
  }
  EventCursor cursor(store_->db(), store_->events());
  if (point.sequence.value > 0) {
    cursor.Seek(point.sequence);
    if (cursor.status().code() == StatusCode::kCorruption) {
      return Bad(report, point.sequence, cursor.status().message());
    }
    if (!cursor.status().ok()) return cursor.status();
    if (!cursor.Valid() || cursor.sequence() != point.sequence) {
      return Bad(report, point.sequence, "the audited event is missing");
    }
    if (cursor.record().size() <= kHashBytes || StoredHash(cursor.record()) != point.hash) {
      return Bad(report, point.sequence, "the audited event's hash differs from the audit");
    }
  }
  report.last_good = point;
  SequenceNumber expected = point.sequence.Next();
  std::string aligned;
  for (cursor.Seek(expected); cursor.Valid() && expected <= head.sequence; cursor.Next()) {
    const SequenceNumber sequence = cursor.sequence();
    if (sequence != expected) {
      return Bad(report, expected,
                 fmt::format("event {} is missing (the next event is {})", expected.value,
                             sequence.value));
    }
    std::string_view record = cursor.record();
    if (std::string problem = CheckLink(record, sequence, report.last_good.hash, &aligned);
        !problem.empty()) {
      return Bad(report, sequence, std::move(problem));
    }
    report.last_good = ChainPoint{sequence, StoredHash(record)};
    ++report.events_checked;
    expected = sequence.Next();
  }
  // A malformed pack is damage where the walk stopped; a read error is not a finding.
  if (cursor.status().code() == StatusCode::kCorruption && expected <= head.sequence) {
    return Bad(report, expected, cursor.status().message());
  }
  if (!cursor.status().ok()) return cursor.status();
  if (report.last_good.sequence != head.sequence) {
    return Bad(
        report, expected,
        fmt::format("event {} is missing (the head is {})", expected.value, head.sequence.value));
  }
  if (report.last_good.hash != head.hash) {
    return Bad(report, head.sequence, "the last event's hash differs from the stored head");
  }
  report.ok = true;
  return report;
}

}  // namespace ledger::log
