// A bounded queue between two of the projector's threads (reader → applier → writer).
// Push blocks while the queue is full, Pop while it is empty. Close() ends it at once
// (dropping what is queued); Finish() lets the consumer drain what is queued first.
// Thread-safety: any number of producers and consumers.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>

namespace ledger::projections::internal {

template <typename T>
class BoundedQueue {
 public:
  explicit BoundedQueue(std::size_t capacity) : capacity_(capacity) {}

  /// False once closed or finished: the item is dropped.
  bool Push(T item) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return closed_ || finished_ || items_.size() < capacity_; });
    if (closed_ || finished_) return false;
    items_.push_back(std::move(item));
    changed_.notify_all();
    return true;
  }

  /// nullopt once closed, or once finished and drained.
  std::optional<T> Pop() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return closed_ || finished_ || !items_.empty(); });
    if (closed_ || items_.empty()) return std::nullopt;
    T item = std::move(items_.front());
    items_.pop_front();
    changed_.notify_all();
    return item;
  }

  void Close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    items_.clear();
    changed_.notify_all();
  }

  void Finish() {
    std::lock_guard lock(mutex_);
    finished_ = true;
    changed_.notify_all();
  }

 private:
  const std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<T> items_;
  bool closed_ = false;
  bool finished_ = false;
};

}  // namespace ledger::projections::internal
