// A compact set of ids: 128-bit keys in open-addressing tables (linear probing, 64 shards by
// the key's top bits), each with a 32-bit value (an index into the state's records, or 0
// for ids only checked for use).
//
// Orders, transactions, operations and withdrawals are counted in millions, so their ids are
// not kept as strings: an id is known by IdKey = XXH3-128(kind, platform, id). Two different
// ids share a key with probability about n²/2^129 (below 10^-24 for 10^7 ids), far below the
// odds of an undetected hardware fault; docs/domain.md states what a collision would do.
// Nothing is ever erased: ids stay taken forever.
//
// Invariant: every shard's load stays at most kMaxLoadPercent; an all-zero key marks an empty
// slot (MakeIdKey never returns it); a key lives in shard ShardOf(key).
// Thread-safety: none; the domain state guards it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace ledger::domain {

struct IdKey {
  std::uint64_t low = 0;
  std::uint64_t high = 0;
  bool operator==(const IdKey&) const = default;
};

/// The namespaces of platform-scoped ids: the same string may name an order and a
/// transaction of one platform.
enum class IdKind : std::uint8_t {
  kOrder = 1,
  kTransaction = 2,
  kOperation = 3,
  kWithdrawal = 4,
};

IdKey MakeIdKey(IdKind kind, std::string_view platform_id, std::string_view id);

class IdTable {
 public:
  /// Stored as four 32-bit words so a slot is 20 bytes, not 24.
  struct Slot {
    std::uint32_t key[4];
    std::uint32_t value;
  };
  static_assert(sizeof(Slot) == 20);
  static constexpr std::size_t kMaxLoadPercent = 75;
  /// The table is split by the key's top bits into shards that grow one at a time, so growing
  /// holds an old and a new copy of one shard only, never of the whole table.
  static constexpr std::size_t kShards = 64;

  /// The value stored for `key`, or nullptr.
  const std::uint32_t* Find(const IdKey& key) const { return shards_[ShardOf(key)].Find(key); }
  /// REQUIRES: `key` is absent.
  void Insert(const IdKey& key, std::uint32_t value) {
    shards_[ShardOf(key)].Insert(key, value);
    ++size_;
  }

  std::size_t size() const { return size_; }
  std::size_t capacity() const;
  std::size_t MemoryBytes() const { return capacity() * sizeof(Slot); }

  /// Raw slots of one shard, for snapshots; RestoreShard() takes them back as they were.
  const std::vector<Slot>& ShardSlots(std::size_t shard) const { return shards_[shard].slots(); }
  std::size_t ShardSize(std::size_t shard) const { return shards_[shard].size(); }
  /// False when `slots` cannot be that shard (count, load or a key of another shard).
  bool RestoreShard(std::size_t shard, std::vector<Slot> slots, std::size_t size);

 private:
  class Shard {
   public:
    const std::uint32_t* Find(const IdKey& key) const;
    void Insert(const IdKey& key, std::uint32_t value);
    std::size_t size() const { return size_; }
    std::size_t capacity() const { return slots_.size(); }
    const std::vector<Slot>& slots() const { return slots_; }
    void Restore(std::vector<Slot> slots, std::size_t size) {
      slots_ = std::move(slots);
      size_ = size;
    }

   private:
    std::size_t Home(const IdKey& key) const;
    void Grow();

    std::vector<Slot> slots_;
    std::size_t size_ = 0;
  };

  static std::size_t ShardOf(const IdKey& key) { return static_cast<std::size_t>(key.low >> 58); }
  static_assert(kShards == 64, "ShardOf takes the top six bits");

  std::array<Shard, kShards> shards_;
  std::size_t size_ = 0;
};

}  // namespace ledger::domain
