// A vector of fixed-size records stored in chunks of kChunkRecords: growing never copies
// what is there, never holds old and new storage at once, and wastes at most one chunk.
// The domain keeps millions of orders and transactions this way, so that its memory grows
// smoothly instead of doubling in steps. Thread-safety: none; the domain state guards it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <type_traits>
#include <vector>

namespace ledger::domain {

template <typename T>
class ChunkedVector {
 public:
  static constexpr std::size_t kChunkRecords = std::size_t{1} << 16;
  static_assert(std::is_trivially_copyable_v<T>, "records are written to snapshots raw");

  T& operator[](std::size_t index) { return chunks_[index / kChunkRecords][index % kChunkRecords]; }
  const T& operator[](std::size_t index) const {
    return chunks_[index / kChunkRecords][index % kChunkRecords];
  }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::size_t MemoryBytes() const { return chunks_.size() * kChunkRecords * sizeof(T); }

  void push_back(const T& value) {
    if (size_ == chunks_.size() * kChunkRecords) chunks_.push_back(NewChunk());
    (*this)[size_++] = value;
  }

  /// Makes the vector hold `count` records (default-constructed), for restoring a snapshot.
  void Resize(std::size_t count) {
    chunks_.clear();
    while (chunks_.size() * kChunkRecords < count) chunks_.push_back(NewChunk());
    size_ = count;
  }

  /// Calls `f(pointer, count)` for each chunk's records, in order.
  template <typename Function>
  void ForEachSpan(Function f) const {
    for (std::size_t first = 0; first < size_; first += kChunkRecords) {
      f(chunks_[first / kChunkRecords].get(), std::min(kChunkRecords, size_ - first));
    }
  }
  template <typename Function>
  void ForEachSpan(Function f) {
    for (std::size_t first = 0; first < size_; first += kChunkRecords) {
      f(chunks_[first / kChunkRecords].get(), std::min(kChunkRecords, size_ - first));
    }
  }

 private:
  static std::unique_ptr<T[]> NewChunk() { return std::make_unique<T[]>(kChunkRecords); }

  std::vector<std::unique_ptr<T[]>> chunks_;
  std::size_t size_ = 0;
};

}  // namespace ledger::domain
