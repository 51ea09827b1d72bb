#include "log/key_filter.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "log/keys.h"

namespace ledger::log {
namespace {

constexpr std::size_t kWordsPerBlock = 8;
constexpr std::size_t kBlockBytes = kWordsPerBlock * 8;

/// The 64-byte blocks a segment sized for `keys` keys has (at least one).
std::size_t BlocksFor(std::uint64_t keys) {
  return std::max<std::size_t>(
      1, (keys * KeyFilter::kBitsPerKey + kBlockBytes * 8 - 1) / (kBlockBytes * 8));
}

/// The probes' bit positions inside a 512-bit block: the low half of the hash multiplied by
/// an odd constant again for each probe, its top nine bits taken (as RocksDB's FastLocalBloom).
template <typename Visit>
void ForEachProbe(KeyHash hash, Visit visit) {
  auto x = static_cast<std::uint32_t>(hash.value);
  for (unsigned probe = 0; probe < KeyFilter::kProbes; ++probe) {
    x *= 0x9E3779B9u;
    const unsigned bit = x >> 23;
    visit(bit / 64, std::uint64_t{1} << (bit % 64));
  }
}

void PutLittleEndian64(std::string* out, std::uint64_t value) {
  for (int i = 0; i < 8; ++i, value >>= 8) out->push_back(static_cast<char>(value & 0xff));
}

std::uint64_t GetLittleEndian64(const char* in) {
  std::uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = value << 8 | static_cast<unsigned char>(in[i]);
  return value;
}

}  // namespace

KeyFilter::Segment::Segment(std::size_t keys)
    : capacity(keys),
      blocks(BlocksFor(keys)),
      words(new std::atomic<std::uint64_t>[blocks * kWordsPerBlock]) {
  for (std::size_t i = 0; i < blocks * kWordsPerBlock; ++i) {
    words[i].store(0, std::memory_order_relaxed);
  }
}

KeyFilter::KeyFilter(std::size_t first_capacity) {
  Append(std::make_unique<Segment>(std::max<std::size_t>(first_capacity, 1024)));
}

KeyFilter::~KeyFilter() {
  for (std::size_t i = 0; i < segment_count_.load(); ++i) delete segments_[i];
}

void KeyFilter::Append(std::unique_ptr<Segment> segment) {
  const std::size_t count = segment_count_.load(std::memory_order_relaxed);
  segments_[count] = segment.release();
  segment_count_.store(count + 1, std::memory_order_release);
}

bool KeyFilter::SegmentMayContain(const Segment& segment, KeyHash hash) {
  const std::atomic<std::uint64_t>* block = &segment.words[BlockOf(segment, hash) * kWordsPerBlock];
  bool all = true;
  ForEachProbe(hash, [&](unsigned word, std::uint64_t mask) {
    all = all && (block[word].load(std::memory_order_relaxed) & mask) != 0;
  });
  return all;
}

void KeyFilter::SegmentAdd(Segment& segment, KeyHash hash) {
  std::atomic<std::uint64_t>* block = &segment.words[BlockOf(segment, hash) * kWordsPerBlock];
  ForEachProbe(hash, [&](unsigned word, std::uint64_t mask) {
    if ((block[word].load(std::memory_order_relaxed) & mask) == 0) {
      block[word].fetch_or(mask, std::memory_order_relaxed);
    }
  });
  ++segment.added;
}

void KeyFilter::AddAll(std::span<const KeyHash> hashes) {
  // Each key lands on a random cache line: start loading a few keys ahead.
  constexpr std::size_t kAhead = 8;
  std::lock_guard lock(add_mutex_);
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    const KeyHash hash = hashes[i];
    Segment* newest = segments_[segment_count_.load(std::memory_order_relaxed) - 1];
    if (i + kAhead < hashes.size()) {
      __builtin_prefetch(&newest->words[BlockOf(*newest, hashes[i + kAhead]) * kWordsPerBlock], 1);
    }
    if (newest->added >= newest->capacity) {
      if (segment_count_.load(std::memory_order_relaxed) == kSegmentsMax) std::abort();
      Append(std::make_unique<Segment>(newest->capacity * kGrowth));
      newest = segments_[segment_count_.load(std::memory_order_relaxed) - 1];
    }
    SegmentAdd(*newest, hash);
  }
}

bool KeyFilter::MayContain(KeyHash hash) const {
  const std::size_t count = segment_count_.load(std::memory_order_acquire);
  for (std::size_t i = 0; i < count; ++i) {
    if (SegmentMayContain(*segments_[i], hash)) return true;
  }
  return false;
}

void KeyFilter::Prefetch(KeyHash hash) const {
  const std::size_t count = segment_count_.load(std::memory_order_acquire);
  for (std::size_t i = 0; i < count; ++i) {
    const Segment& segment = *segments_[i];
    __builtin_prefetch(&segment.words[BlockOf(segment, hash) * kWordsPerBlock]);
  }
}

std::size_t KeyFilter::added() const {
  std::lock_guard lock(add_mutex_);
  std::size_t total = 0;
  for (std::size_t i = 0; i < segment_count_.load(std::memory_order_relaxed); ++i) {
    total += segments_[i]->added;
  }
  return total;
}

std::size_t KeyFilter::MemoryBytes() const {
  std::size_t total = 0;
  const std::size_t count = segment_count_.load(std::memory_order_acquire);
  for (std::size_t i = 0; i < count; ++i) total += segments_[i]->blocks * kBlockBytes;
  return total;
}

// Encoding: be32 segment count, then per segment be64 capacity, be64 blocks, be64 keys added
// and the blocks' words, each little-endian.
void KeyFilter::EncodeTo(std::string* out) const {
  const std::size_t count = segment_count_.load(std::memory_order_acquire);
  PutBigEndian32(out, static_cast<std::uint32_t>(count));
  for (std::size_t i = 0; i < count; ++i) {
    const Segment& segment = *segments_[i];
    PutBigEndian64(out, segment.capacity);
    PutBigEndian64(out, segment.blocks);
    PutBigEndian64(out, segment.added);
    out->reserve(out->size() + segment.blocks * kBlockBytes);
    for (std::size_t w = 0; w < segment.blocks * kWordsPerBlock; ++w) {
      PutLittleEndian64(out, segment.words[w].load(std::memory_order_relaxed));
    }
  }
}

bool KeyFilter::DecodeFrom(std::string_view* in) {
  std::string_view rest = *in;
  if (rest.size() < 4) return false;
  const std::uint32_t count = GetBigEndian32(rest.data());
  rest.remove_prefix(4);
  if (count == 0 || count > kSegmentsMax) return false;
  std::vector<std::unique_ptr<Segment>> decoded;
  for (std::uint32_t i = 0; i < count; ++i) {
    if (rest.size() < 24) return false;
    const std::uint64_t capacity = GetBigEndian64(rest.data());
    const std::uint64_t blocks = GetBigEndian64(rest.data() + 8);
    const std::uint64_t added = GetBigEndian64(rest.data() + 16);
    rest.remove_prefix(24);
    // A segment's size follows from its capacity, and segments grow as AddAll grows them
    // (each kGrowth times the last, added only when the last was full): anything else is not
    // one of ours. So a decoded filter has few segments and room to grow.
    const bool grown_as_ours =
        decoded.empty() || (capacity == decoded.back()->capacity * kGrowth &&
                            decoded.back()->added == decoded.back()->capacity);
    if (capacity == 0 || capacity > (std::uint64_t{1} << 40) || added > capacity ||
        !grown_as_ours || blocks != BlocksFor(capacity) || rest.size() / kBlockBytes < blocks) {
      return false;
    }
    auto segment = std::make_unique<Segment>(capacity);
    segment->added = added;
    for (std::size_t w = 0; w < blocks * kWordsPerBlock; ++w) {
      segment->words[w].store(GetLittleEndian64(rest.data() + w * 8), std::memory_order_relaxed);
    }
    rest.remove_prefix(blocks * kBlockBytes);
    decoded.push_back(std::move(segment));
  }
  std::lock_guard lock(add_mutex_);
  if (segment_count_.load(std::memory_order_relaxed) != 1 || segments_[0]->added != 0) {
    return false;
  }
  delete segments_[0];
  segment_count_.store(0, std::memory_order_relaxed);
  for (auto& segment : decoded) Append(std::move(segment));
  *in = rest;
  return true;
}

}  // namespace ledger::log
