// A vector of fixed-size records stored in chunks of kChunkRecords: growing never copies
// what is there, never holds old and new storage at once, and wastes at most one chunk.
// The domain keeps millions of orders and transactions this way, so that its memory grows
// smoothly instead of doubling in steps.
//
// Copies share their chunks, copy-on-write: copying is cheap (a pointer per chunk), and a
// write through a non-const accessor first gives the written chunk its own storage when
// another copy still holds it. A snapshot writes a copy on its own thread while the writer
// thread goes on mutating the original; only the chunks written meanwhile are duplicated.
// Thread-safety: none for one object; two copies may be used on two threads.
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

  T& operator[](std::size_t index) {
    return Owned(chunks_[index / kChunkRecords])[index % kChunkRecords];
  }
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
      f(Owned(chunks_[first / kChunkRecords]).get(), std::min(kChunkRecords, size_ - first));
    }
  }
  /// Chunks shared with another copy (for tests and statistics).
  std::size_t SharedChunks() const {
    return static_cast<std::size_t>(std::count_if(
        chunks_.begin(), chunks_.end(), [](const auto& chunk) { return chunk.use_count() > 1; }));
  }

 private:
  using Chunk = std::shared_ptr<T[]>;
  static Chunk NewChunk() { return std::make_shared<T[]>(kChunkRecords); }
  /// `chunk`, given storage of its own first when another copy shares it. A count read as
  /// more than one while the other copy is being dropped costs a needless copy, never a
  /// write into shared storage: counts only fall once no other copy is made.
  static Chunk& Owned(Chunk& chunk) {
    if (chunk.use_count() > 1) {
      Chunk own = NewChunk();
      std::copy(chunk.get(), chunk.get() + kChunkRecords, own.get());
      chunk = std::move(own);
    }
    return chunk;
  }

  std::vector<Chunk> chunks_;
  std::size_t size_ = 0;
};

}  // namespace ledger::domain
