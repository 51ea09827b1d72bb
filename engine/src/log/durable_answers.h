// What the durable index said about keys read together, ahead of the writer's lookups.
//
// The writer reads the durable records of a batch of keys (idempotency keys, stream heads) in
// one RocksDB MultiGet rather than one Get each. An answer stands for the durable index only
// while no index tail has been dropped since the read: a dropped tail's entries moved into the
// durable index behind the answers' back. DerivedIndex checks that count before using one, and
// checks the in-memory tails first, where every entry staged since lives.
//
// Thread-safety: the writer thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/engine/types.h"
#include "ledger/engine/write_job.h"
#include "log/index_tail.h"

namespace ledger::log {

/// Keys read together at most.
inline constexpr std::size_t kAnswersMax = 512;

template <typename Answer>
class DurableAnswers {
 public:
  DurableAnswers() : slots_(kAnswersMax) {}

  /// Forgets every answer; the new ones are read after `tails_dropped` tails were dropped.
  void Clear(std::uint64_t tails_dropped) {
    keys_.clear();
    answers_.clear();
    slots_.Clear();
    tails_dropped_ = tails_dropped;
  }
  void Add(std::string_view key, KeyHash hash, Answer answer) {
    answers_.push_back(Entry{static_cast<std::uint32_t>(keys_.size()),
                             static_cast<std::uint32_t>(key.size()), answer});
    keys_.append(key);
    slots_.Insert(hash, static_cast<std::uint32_t>(answers_.size() - 1));
  }
  /// The answer for a key, or nullptr when it was not read.
  const Answer* Find(std::string_view key, KeyHash hash) const {
    auto found = slots_.Find(hash, [&](std::uint32_t i) {
      return std::string_view(keys_.data() + answers_[i].offset, answers_[i].size) == key;
    });
    return found ? &answers_[*found].answer : nullptr;
  }
  std::uint64_t tails_dropped() const { return tails_dropped_; }

 private:
  struct Entry {
    std::uint32_t offset;
    std::uint32_t size;
    Answer answer;
  };
  std::string keys_;
  std::vector<Entry> answers_;
  FlatSlots slots_;
  std::uint64_t tails_dropped_ = 0;
};

/// A durable idempotency record, or none.
using IdempotencyAnswers = DurableAnswers<std::optional<IdempotencyRecord>>;
/// A stream's last version in the durable index (0: none).
using StreamAnswers = DurableAnswers<StreamVersion>;

}  // namespace ledger::log
