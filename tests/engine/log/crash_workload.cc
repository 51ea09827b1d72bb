#include "log/crash_workload.h"

#include <fmt/format.h>

namespace ledger::testing {
namespace {

constexpr int kBatchesPerWorker = 30;
constexpr std::uint64_t kBatchAppendsMax = 4;
/// One batch in this many is large, so that its group commit is written in several pieces
/// (log_impl.h) and crashes fall between them.
constexpr int kLargeBatchOneIn = 8;
constexpr std::uint64_t kLargeBatchAppendsMin = 64;
constexpr std::uint64_t kLargeBatchAppendsMax = 256;
constexpr std::uint64_t kSharedStreams = 3;
constexpr std::uint64_t kOwnStreams = 3;
constexpr std::uint64_t kPayloadFillerBytesMax = 300;
/// One request in this many retries a key this worker had acknowledged.
constexpr std::uint64_t kRetryOneIn = 8;

std::string SharedStream(std::uint64_t index) { return fmt::format("shared-{}", index); }

}  // namespace

void History::Add(WorkerRecord& record, std::vector<std::string>* problems) {
  for (auto& problem : record.problems) problems->push_back(std::move(problem));
  for (auto& request : record.submitted) {
    std::string payload = request.event.payload;
    submitted.emplace(std::move(payload), std::move(request));
  }
  acknowledged.insert(acknowledged.end(), record.acknowledged.begin(), record.acknowledged.end());
}

void Worker::Run() {
  for (std::uint64_t s = 0; s < kSharedStreams; ++s) {
    if (!RefreshBelief(SharedStream(s))) return;
  }
  for (int batch_index = 0; batch_index < kBatchesPerWorker; ++batch_index) {
    std::vector<AppendRequest> batch;
    std::vector<std::optional<std::size_t>> retry_of;
    const std::uint64_t size =
        batch_index % kLargeBatchOneIn == kLargeBatchOneIn - 1
            ? kLargeBatchAppendsMin + random_() % (kLargeBatchAppendsMax - kLargeBatchAppendsMin)
            : 1 + random_() % kBatchAppendsMax;
    for (std::uint64_t i = 0; i < size; ++i) {
      if (!keyed_.empty() && random_() % kRetryOneIn == 0) {
        std::size_t original = keyed_[random_() % keyed_.size()];
        batch.push_back(record_->acknowledged[original].request);
        retry_of.push_back(original);
      } else {
        batch.push_back(NewRequest());
        record_->submitted.push_back(batch.back());
        retry_of.push_back(std::nullopt);
      }
    }
    auto results = log_.Append(batch);
    if (!results.ok()) return;  // Nothing of a failed batch was acknowledged.
    if (results->size() != batch.size()) {
      record_->problems.push_back("a batch got a different number of results");
      return;
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (!Record(batch[i], (*results)[i], retry_of[i])) return;
    }
  }
}

AppendRequest Worker::NewRequest() {
  AppendRequest request;
  const std::uint64_t serial = serial_++;
  if (random_() % 3 == 0) {
    request.event.stream = SharedStream(random_() % kSharedStreams);
    StreamVersion believed = believed_[request.event.stream];
    request.event.expected =
        believed.value == 0 ? ExpectedVersion::NoStream() : ExpectedVersion::Exact(believed);
  } else {
    request.event.stream = fmt::format("own-{}-{}", index_, random_() % kOwnStreams);
  }
  request.event.payload = fmt::format("{}/w{}/{}/", tag_, index_, serial);
  request.event.payload.append(random_() % kPayloadFillerBytesMax,
                               static_cast<char>('a' + serial % 26));
  request.metadata.actor = "key:crash-test";
  request.metadata.environment = schema::Environment::Sandbox;
  request.metadata.organization = "org-1";
  request.metadata.platform = fmt::format("platform-{}", index_ % 2);
  if (random_() % 3 == 0)
    request.event.claim = fmt::format("claim/{}/w{}/{}", tag_, index_, serial);
  if (random_() % 2 == 0) {
    request.idempotency_scope = request.metadata.platform;
    request.idempotency_key = fmt::format("key/{}/w{}/{}", tag_, index_, serial);
  }
  return request;
}

bool Worker::RefreshBelief(const std::string& stream) {
  Result<StreamVersion> head = log_.StreamHead(stream);
  if (head.ok()) believed_[stream] = *head;
  return head.ok();
}

bool Worker::Record(const AppendRequest& request, const AppendResult& result,
                    std::optional<std::size_t> retry_of) {
  if (retry_of) {
    const Acknowledged& original = record_->acknowledged[*retry_of];
    if (result.code != AppendCode::kDuplicate || result.first_sequence != original.sequence) {
      record_->problems.push_back(fmt::format(
          "retrying key '{}' returned {} at sequence {}, not the duplicate of sequence {}",
          request.idempotency_key, AppendCodeName(result.code), result.first_sequence.value,
          original.sequence.value));
    }
    return true;
  }
  switch (result.code) {
    case AppendCode::kAppended:
      if (!request.idempotency_key.empty()) keyed_.push_back(record_->acknowledged.size());
      record_->acknowledged.push_back({request, result.first_sequence, result.first_version});
      if (believed_.contains(request.event.stream)) {
        believed_[request.event.stream] = result.first_version;
      }
      return true;
    case AppendCode::kWrongExpectedVersion:
      return RefreshBelief(request.event.stream);
    default:
      record_->problems.push_back(fmt::format("an append was rejected as {}: {}",
                                              AppendCodeName(result.code), result.message));
      return false;
  }
}

}  // namespace ledger::testing
