// A compact set of ids: 128-bit keys in open-addressing tables (linear probing, 64 shards by
// the key's top bits), each with a 32-bit value (an index into the state's records, or 0
// for ids only checked for use).
//
// Orders, transactions, operations and withdrawals are counted in millions, so their ids are
// not kept as strings: an id is known by IdKey = XXH3-128(kind, platform, id). Two different
// ids share a key with probability about n²/2^129 (below 10^-24 for 10^7 ids), far below the
// odds of an undetected hardware fault; docs/domain.md states what a collision would do.
// Keys are erased only from a table no copy shares (the hot orders' table, which snapshots
// leave out).
//
// Copies share their shards' slots. While another copy holds a shard (a snapshot being
// written on its own thread), inserts into it wait in a small overlay table that Find also
// reads; Settle() moves them into their shards once nothing else holds those any more. So a
// snapshot never makes the table copy its slots, and the copy it writes stays as it was.
//
// Invariant: every shard's load stays at most kMaxLoadPercent; an all-zero key marks an empty
// slot (MakeIdKey never returns it); a key lives in shard ShardOf(key) or in the overlay,
// never both; a key is in the overlay only while its shard is or was shared.
// Thread-safety: none for one object; two copies may be used on two threads.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <unordered_map>
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
  // 3 named operations, whose ids the log now keeps (decide.h, Claims).
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
  /// Whether a raw slot (ShardSlots) holds no key.
  static bool IsEmpty(const Slot& slot) {
    return (slot.key[0] | slot.key[1] | slot.key[2] | slot.key[3]) == 0;
  }

  /// The value stored for `key`, or nullptr.
  const std::uint32_t* Find(const IdKey& key) const {
    if (const std::uint32_t* found = shards_[ShardOf(key)].Find(key)) return found;
    if (overlay_.empty()) return nullptr;
    auto in_overlay = overlay_.find(key);
    return in_overlay == overlay_.end() ? nullptr : &in_overlay->second;
  }
  /// REQUIRES: `key` is absent.
  void Insert(const IdKey& key, std::uint32_t value) {
    Shard& shard = shards_[ShardOf(key)];
    if (shard.shared()) {
      overlay_.emplace(key, value);
    } else {
      shard.Insert(key, value);
    }
    ++size_;
  }
  /// Removes `key`; false when it is absent. REQUIRES: no other copy holds its shard, and
  /// the overlay is empty.
  bool Erase(const IdKey& key) {
    if (!shards_[ShardOf(key)].Erase(key)) return false;
    --size_;
    return true;
  }
  /// Moves the overlay's keys into their shards where no other copy holds those any more.
  void Settle();
  /// Keys waiting in the overlay.
  std::size_t overlay_size() const { return overlay_.size(); }

  std::size_t size() const { return size_; }
  std::size_t capacity() const;
  std::size_t MemoryBytes() const { return capacity() * sizeof(Slot); }

  /// Raw slots of one shard, for snapshots; RestoreShard() takes them back as they were.
  /// REQUIRES (for a snapshot to be complete): overlay_size() == 0.
  const std::vector<Slot>& ShardSlots(std::size_t shard) const { return shards_[shard].slots(); }
  std::size_t ShardSize(std::size_t shard) const { return shards_[shard].size(); }
  /// False when `slots` cannot be that shard (count, load or a key of another shard).
  bool RestoreShard(std::size_t shard, std::vector<Slot> slots, std::size_t size);

 private:
  class Shard {
   public:
    Shard() : slots_(std::make_shared<std::vector<Slot>>()) {}
    const std::uint32_t* Find(const IdKey& key) const;
    /// REQUIRES: !shared().
    void Insert(const IdKey& key, std::uint32_t value);
    /// REQUIRES: !shared().
    bool Erase(const IdKey& key);
    std::size_t size() const { return size_; }
    std::size_t capacity() const { return slots_->size(); }
    const std::vector<Slot>& slots() const { return *slots_; }
    /// Whether another copy of the table holds these slots.
    bool shared() const { return slots_.use_count() > 1; }
    void Restore(std::vector<Slot> slots, std::size_t size) {
      slots_ = std::make_shared<std::vector<Slot>>(std::move(slots));
      size_ = size;
    }

   private:
    std::size_t Home(const IdKey& key) const;
    void Grow();

    std::shared_ptr<std::vector<Slot>> slots_;
    std::size_t size_ = 0;
  };
  struct KeyHash {
    std::size_t operator()(const IdKey& key) const {
      return static_cast<std::size_t>(key.low ^ key.high);
    }
  };

  static std::size_t ShardOf(const IdKey& key) { return static_cast<std::size_t>(key.low >> 58); }
  static_assert(kShards == 64, "ShardOf takes the top six bits");

  std::array<Shard, kShards> shards_;
  std::unordered_map<IdKey, std::uint32_t, KeyHash> overlay_;
  std::size_t size_ = 0;
};

}  // namespace ledger::domain
