#include "log/group_staging.h"

#include <fmt/format.h>

#include "ledger/limits.h"
#include "log/keys.h"

namespace ledger::log {
namespace {

bool HasZeroByte(std::string_view text) { return text.find('\0') != std::string_view::npos; }

AppendResult Rejection(AppendCode code, std::string message) {
  AppendResult result;
  result.code = code;
  result.message = std::move(message);
  return result;
}

}  // namespace

std::optional<std::string> InvalidCommandField(const CommandHeader& header,
                                               std::span<const EventDraft> events) {
  if (events.empty()) return "a command must have at least one event";
  if (events.size() > limits::kBatchCommandsMax) return "a command has too many events";
  if (auto problem = IdempotencyKeyProblem(header.idempotency_key)) return problem;
  if (header.idempotency_scope.size() > limits::kStreamNameBytesMax ||
      HasZeroByte(header.idempotency_scope)) {
    return "idempotency scope is too long or has a zero byte";
  }
  for (const EventDraft& event : events) {
    if (event.stream.empty() || event.stream.size() > limits::kStreamNameBytesMax ||
        HasZeroByte(event.stream)) {
      return fmt::format("stream name must be 1 to {} bytes with no zero byte",
                         limits::kStreamNameBytesMax);
    }
    if (event.claim.size() > limits::kClaimBytesMax || HasZeroByte(event.claim)) {
      return fmt::format("claim must be at most {} bytes with no zero byte",
                         limits::kClaimBytesMax);
    }
    if (event.payload.size() > limits::kPayloadBytesMax) {
      return fmt::format("payload of {} bytes exceeds {}", event.payload.size(),
                         limits::kPayloadBytesMax);
    }
  }
  return std::nullopt;
}

Status GroupStaging::Fail(Status failure) {
  if (group_.failure.ok()) group_.failure = failure;
  return failure;
}

Result<StreamVersion> GroupStaging::CurrentVersion(std::string_view stream) {
  Result<StreamVersion> version = log_.index_->WriterLastVersion(stream, &log_.stream_answers_);
  if (!version.ok()) return Fail(version.status());
  return version;
}

Result<std::optional<IdempotencyRecord>> GroupStaging::FindIdempotency(std::string_view scope,
                                                                       std::string_view key) {
  auto record =
      log_.index_->FindIdempotency(IdempotencyKey(scope, key), &log_.idempotency_answers_);
  if (!record.ok()) return Fail(record.status());
  return record;
}

Result<std::optional<SequenceNumber>> GroupStaging::FindClaim(std::string_view claim) {
  claim_key_.clear();
  AppendClaimKey(claim, &claim_key_);
  auto record = log_.index_->FindIdempotency(claim_key_, &log_.idempotency_answers_);
  if (!record.ok()) return Fail(record.status());
  if (!record->has_value()) {
    free_claim_.assign(claim);
    free_claim_before_ = log_.next_sequence_;
    return std::optional<SequenceNumber>();
  }
  return std::optional<SequenceNumber>((*record)->first_sequence);
}

void GroupStaging::PrefetchIdempotency(std::span<const ScopedKey> keys) {
  std::string arena;
  std::vector<std::pair<std::size_t, std::size_t>> spans;  // offset, size in `arena`
  for (const ScopedKey& scoped : keys) {
    if (scoped.key.empty()) continue;
    const std::size_t offset = arena.size();
    AppendIdempotencyKey(scoped.scope, scoped.key, &arena);
    spans.emplace_back(offset, arena.size() - offset);
  }
  std::vector<std::string_view> composite_keys;
  composite_keys.reserve(spans.size());
  for (auto [offset, size] : spans) composite_keys.emplace_back(arena.data() + offset, size);
  log_.index_->PrefetchIdempotency(composite_keys, &log_.idempotency_answers_);
}

void GroupStaging::PrefetchStreams(std::span<const std::string_view> streams) {
  log_.index_->PrefetchStreams(streams, &log_.stream_answers_);
}

Result<AppendResult> GroupStaging::CheckVersions(std::span<const EventDraft> events,
                                                 std::vector<StreamVersion>* versions) {
  for (std::size_t i = 0; i < events.size(); ++i) {
    const EventDraft& event = events[i];
    // Events of one command may share a stream: each sees the ones before it. Commands hold
    // a few events, so a backward scan beats a map.
    std::optional<StreamVersion> current;
    for (std::size_t j = i; j-- > 0;) {
      if (events[j].stream == event.stream) {
        current = (*versions)[j];
        break;
      }
    }
    if (!current) {
      Result<StreamVersion> found = CurrentVersion(event.stream);
      if (!found.ok()) return found.status();
      current = *found;
    }
    if (auto violation = event.expected.Violation(event.stream, *current)) {
      return Rejection(AppendCode::kWrongExpectedVersion, std::move(*violation));
    }
    versions->push_back(current->Next());
  }
  return AppendResult{};
}

Result<AppendResult> GroupStaging::CheckClaims(std::span<const EventDraft> events) {
  for (std::size_t i = 0; i < events.size(); ++i) {
    const std::string& claim = events[i].claim;
    if (claim.empty()) continue;
    for (std::size_t j = 0; j < i; ++j) {
      if (events[j].claim == claim) {
        return Rejection(AppendCode::kClaimTaken,
                         fmt::format("two events of the command claim '{}'", claim));
      }
    }
    if (claim == free_claim_ && free_claim_before_ == log_.next_sequence_) continue;
    Result<std::optional<SequenceNumber>> holder = FindClaim(claim);
    if (!holder.ok()) return holder.status();
    if (holder->has_value()) {
      AppendResult taken = Rejection(
          AppendCode::kClaimTaken,
          fmt::format("'{}' is claimed by the event at sequence {}", claim, (*holder)->value));
      taken.first_sequence = **holder;
      return taken;
    }
  }
  return AppendResult{};
}

Result<AppendResult> GroupStaging::StageCommand(const CommandHeader& header,
                                                std::span<const EventDraft> events) {
  if (auto invalid = InvalidCommandField(header, events)) {
    return Rejection(AppendCode::kInvalidArgument, *invalid);
  }
  std::string& composite_key = composite_key_;
  composite_key.clear();
  if (!header.idempotency_key.empty()) {
    AppendIdempotencyKey(header.idempotency_scope, header.idempotency_key, &composite_key);
    auto found = log_.index_->FindIdempotency(composite_key, &log_.idempotency_answers_);
    if (!found.ok()) return Fail(found.status());
    if (found->has_value()) {
      const IdempotencyRecord& record = **found;
      if (record.fingerprint != header.fingerprint) {
        return Rejection(AppendCode::kIdempotencyKeyReusedWithDifferentCommand,
                         fmt::format("idempotency key '{}' was used for a different command "
                                     "recorded at sequence {}",
                                     header.idempotency_key, record.first_sequence.value));
      }
      AppendResult duplicate{AppendCode::kDuplicate,
                             record.first_sequence,
                             record.first_version,
                             record.event_count,
                             {}};
      return duplicate;
    }
  }
  std::vector<StreamVersion>& versions = versions_;
  versions.clear();
  Result<AppendResult> checked = CheckVersions(events, &versions);
  if (!checked.ok() || checked->code != AppendCode::kAppended) return checked;
  checked = CheckClaims(events);
  if (!checked.ok() || checked->code != AppendCode::kAppended) return checked;

  AppendResult result{AppendCode::kAppended,
                      log_.next_sequence_,
                      versions.front(),
                      static_cast<std::uint32_t>(events.size()),
                      {}};
  for (std::size_t i = 0; i < events.size(); ++i) {
    EventPlacement placement{log_.next_sequence_, versions[i], recorded_at_us_};
    EventRecordBuilder& builder = log_.record_builder_;
    builder.Build(header, events[i], placement);
    log_.pack_.Add(placement.sequence, builder.envelope(), builder.previous_hash_offset());
    if (log_.pack_.full()) log_.ClosePack(group_);
    log_.index_->AddEvent(events[i].stream, placement.version, placement.sequence);
    if (!events[i].claim.empty()) {
      claim_key_.clear();
      AppendClaimKey(events[i].claim, &claim_key_);
      log_.index_->AddIdempotency(claim_key_, ClaimRecord(placement.sequence, placement.version));
    }
    group_.head = ChainPoint{placement.sequence, {}};
    log_.next_sequence_ = placement.sequence.Next();
    ++group_.event_count;
    ++group_.piece_event_count;
  }
  if (!composite_key.empty()) {
    log_.index_->AddIdempotency(composite_key,
                                IdempotencyRecord{result.first_sequence, result.first_version,
                                                  result.event_count, header.fingerprint});
  }
  log_.HandOffPieceIfIdle(group_);
  return result;
}

}  // namespace ledger::log
