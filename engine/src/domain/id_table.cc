#include "domain/id_table.h"

#include <xxhash.h>

#include <cstring>

#include "domain/check.h"
#include "ledger/limits.h"

namespace ledger::domain {
namespace {

constexpr std::size_t kInitialSlots = 64;
__extension__ using Wide = unsigned __int128;

IdKey KeyOf(const IdTable::Slot& slot) {
  IdKey key;
  std::memcpy(&key, slot.key, sizeof key);
  return key;
}

}  // namespace

IdKey MakeIdKey(IdKind kind, std::string_view platform_id, std::string_view id) {
  // kind ‖ platform ‖ 0x00 ‖ id: ids have no 0x00 byte, so the split is unambiguous.
  char buffer[2 + 2 * limits::kIdBytesMax];
  LEDGER_CHECK(platform_id.size() <= limits::kIdBytesMax && id.size() <= limits::kIdBytesMax);
  std::size_t size = 0;
  buffer[size++] = static_cast<char>(kind);
  std::memcpy(buffer + size, platform_id.data(), platform_id.size());
  size += platform_id.size();
  buffer[size++] = '\0';
  std::memcpy(buffer + size, id.data(), id.size());
  size += id.size();
  XXH128_hash_t hash = XXH3_128bits(buffer, size);
  IdKey key{hash.low64, hash.high64};
  if (key == IdKey{}) key.low = 1;  // The all-zero key marks empty slots.
  return key;
}

std::size_t IdTable::Shard::Home(const IdKey& key) const {
  // Multiply-shift range reduction: any capacity works, not only powers of two.
  return static_cast<std::size_t>((static_cast<Wide>(key.high) * slots_->size()) >> 64);
}

const std::uint32_t* IdTable::Shard::Find(const IdKey& key) const {
  const std::vector<Slot>& slots = *slots_;
  if (slots.empty()) return nullptr;
  for (std::size_t i = Home(key);; i = (i + 1 == slots.size() ? 0 : i + 1)) {
    const Slot& slot = slots[i];
    if (IsEmpty(slot)) return nullptr;
    if (KeyOf(slot) == key) return &slot.value;
  }
}

void IdTable::Shard::Insert(const IdKey& key, std::uint32_t value) {
  LEDGER_CHECK(!shared());
  if ((size_ + 1) * 100 > slots_->size() * kMaxLoadPercent) Grow();
  std::vector<Slot>& slots = *slots_;
  for (std::size_t i = Home(key);; i = (i + 1 == slots.size() ? 0 : i + 1)) {
    Slot& slot = slots[i];
    if (IsEmpty(slot)) {
      std::memcpy(slot.key, &key, sizeof key);
      slot.value = value;
      ++size_;
      return;
    }
    LEDGER_CHECK(KeyOf(slot) != key);
  }
}

bool IdTable::Shard::Erase(const IdKey& key) {
  LEDGER_CHECK(!shared());
  std::vector<Slot>& slots = *slots_;
  const std::size_t n = slots.size();
  if (n == 0) return false;
  auto next = [n](std::size_t i) { return i + 1 == n ? 0 : i + 1; };
  std::size_t hole = Home(key);
  for (;; hole = next(hole)) {
    if (IsEmpty(slots[hole])) return false;
    if (KeyOf(slots[hole]) == key) break;
  }
  // Backward shift, not a tombstone, so probe runs stay as short as if the key had never
  // been there: a later key of the run moves into the hole when the hole lies on its path
  // from its home (its distance from home is at least the hole's distance to it).
  for (std::size_t j = next(hole); !IsEmpty(slots[j]); j = next(j)) {
    const std::size_t home = Home(KeyOf(slots[j]));
    if ((j + n - home) % n >= (j + n - hole) % n) {
      slots[hole] = slots[j];
      hole = j;
    }
  }
  slots[hole] = Slot{};
  --size_;
  return true;
}

void IdTable::Shard::Grow() {
  std::vector<Slot> old = std::move(*slots_);
  // Growing by a quarter keeps the load between 60% and 75%, and the moment of growth (old
  // and new tables both held) at 2.25 times the old table: memory over rehashing time.
  const std::size_t capacity = old.empty() ? kInitialSlots : old.size() + old.size() / 4;
  std::vector<Slot>& slots = *slots_;
  slots.assign(capacity, Slot{});
  for (const Slot& slot : old) {
    if (IsEmpty(slot)) continue;
    for (std::size_t i = Home(KeyOf(slot));; i = (i + 1 == slots.size() ? 0 : i + 1)) {
      if (IsEmpty(slots[i])) {
        slots[i] = slot;
        break;
      }
    }
  }
}

void IdTable::Settle() {
  for (auto it = overlay_.begin(); it != overlay_.end();) {
    Shard& shard = shards_[ShardOf(it->first)];
    if (shard.shared()) {
      ++it;
      continue;
    }
    shard.Insert(it->first, it->second);
    it = overlay_.erase(it);
  }
}

std::size_t IdTable::capacity() const {
  std::size_t total = 0;
  for (const Shard& shard : shards_) total += shard.capacity();
  return total;
}

bool IdTable::RestoreShard(std::size_t shard, std::vector<Slot> slots, std::size_t size) {
  if (shard >= kShards) return false;
  std::size_t used = 0;
  for (const Slot& slot : slots) {
    if (IsEmpty(slot)) continue;
    if (ShardOf(KeyOf(slot)) != shard) return false;
    ++used;
  }
  if (used != size || (!slots.empty() && size * 100 > slots.size() * kMaxLoadPercent)) {
    return false;
  }
  size_ = size_ - shards_[shard].size() + size;
  shards_[shard].Restore(std::move(slots), size);
  return true;
}

}  // namespace ledger::domain
