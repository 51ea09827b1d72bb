// A filter over the keys of the durable index (stream names, idempotency keys): it says
// "certainly absent" for nearly every key the index does not hold, so the writer's lookups of
// new keys skip RocksDB.
//
// Nearly every lookup the writer makes is for a new stream or a new idempotency key. RocksDB
// answers such a miss by checking the bloom filter of every sorted run of the family, and
// ingested index files spread over L0 and every level below it: measured, those reads took
// about a quarter of the writer thread's time at batch 4096 (docs/performance.md).
//
// A blocked Bloom filter: a key sets kProbes bits in one 64-byte block chosen by its hash, so
// a lookup reads one cache line per segment. A Bloom filter cannot grow without its keys, so
// when the newest segment is full a segment of kGrowth times its capacity is added; a lookup
// checks every segment, and there are few (log base kGrowth of the key count). About 1% of
// absent keys pass each segment; no key that was added is ever reported absent.
//
// A filter stands for the durable index only once it is complete: every key the index holds
// was added (it was loaded from a file written for this very index, or built by scanning it).
// Until then callers ask RocksDB.
//
// Thread-safety: Add and AddAll from any thread (serialized inside; bits are set atomically),
// MayContain and complete() from any thread. A key added before an operation that publishes
// (a mutex release, a release store) is seen by MayContain after the matching acquire.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>

#include "log/index_tail.h"

namespace ledger::log {

class KeyFilter {
 public:
  static constexpr std::size_t kFirstCapacity = 1 << 20;
  static constexpr std::size_t kGrowth = 4;
  static constexpr unsigned kBitsPerKey = 12;
  static constexpr unsigned kProbes = 6;

  /// An empty, incomplete filter whose first segment holds `first_capacity` keys.
  explicit KeyFilter(std::size_t first_capacity = kFirstCapacity);
  ~KeyFilter();
  KeyFilter(const KeyFilter&) = delete;
  KeyFilter& operator=(const KeyFilter&) = delete;

  void Add(KeyHash hash) { AddAll(std::span<const KeyHash>(&hash, 1)); }
  void AddAll(std::span<const KeyHash> hashes);
  /// False only if no key with this hash was added.
  bool MayContain(KeyHash hash) const;
  /// Starts loading the cache lines MayContain(hash) reads.
  void Prefetch(KeyHash hash) const;

  /// Whether every key of the durable index was added, so "absent" may be trusted.
  bool complete() const { return complete_.load(std::memory_order_acquire); }
  void MarkComplete() { complete_.store(true, std::memory_order_release); }

  std::size_t added() const;
  std::size_t MemoryBytes() const;

  /// Appends the filter's contents (segments and their bits, not `complete`) to `out`.
  /// REQUIRES: no concurrent Add.
  void EncodeTo(std::string* out) const;
  /// Replaces an empty filter's contents with an encoding read from the front of `*in`,
  /// which then starts after it. False (filter unchanged) if it is malformed.
  /// REQUIRES: no concurrent use of any kind (the filter is being opened).
  bool DecodeFrom(std::string_view* in);

 private:
  struct Segment {
    explicit Segment(std::size_t capacity);
    std::size_t capacity;  // keys it was sized for
    std::size_t blocks;    // 64-byte blocks
    std::size_t added = 0;
    std::unique_ptr<std::atomic<std::uint64_t>[]> words;  // blocks * 8
  };
  /// Far more than needed: kGrowth^40 times the first capacity.
  static constexpr std::size_t kSegmentsMax = 40;

  static std::size_t BlockOf(const Segment& segment, KeyHash hash) {
    return static_cast<std::size_t>(((hash.value >> 32) * segment.blocks) >> 32);
  }
  static bool SegmentMayContain(const Segment& segment, KeyHash hash);
  static void SegmentAdd(Segment& segment, KeyHash hash);
  /// Publishes a new segment. REQUIRES: add_mutex_.
  void Append(std::unique_ptr<Segment> segment);

  std::array<Segment*, kSegmentsMax> segments_{};
  std::atomic<std::size_t> segment_count_{0};
  mutable std::mutex add_mutex_;
  std::atomic<bool> complete_{false};
};

}  // namespace ledger::log
