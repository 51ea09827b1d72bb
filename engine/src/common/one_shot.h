// A result handed from one thread to a thread waiting for it, once, with one wake-up.
//
// The synchronous calls (Log::Append, Ledger::Execute) wait for the log's commit or
// completion thread to hand them their results. std::promise costs that thread two system
// calls per hand-off: the futex wake of the result's status, and another from the
// std::call_once guarding it (glibc's pthread_once wakes its flag's waiters unconditionally).
// With many single-event callers those calls are a large part of the completing thread's
// work. Here the waiter sleeps on a 32-bit atomic (a futex), and the setter's notify makes a
// system call only when someone is asleep on it.
//
// Thread-safety: Setter()'s callable is called exactly once, from any thread; Wait() once,
// from the thread that made the OneShot. The state is shared, so the setter may finish after
// the waiter returned.
#pragma once

#include <atomic>
#include <concepts>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>

#include "ledger/engine/status.h"

namespace ledger {

template <typename T>
class OneShot {
 public:
  OneShot() : state_(std::make_shared<State>()) {}

  /// The callable that delivers the value.
  auto Setter() const {
    return [state = state_](T value) {
      state->value.emplace(std::move(value));
      state->ready.store(1, std::memory_order_release);
      state->ready.notify_one();
    };
  }

  /// For a Result<Values>: the callback of an asynchronous call answering (Status, Values),
  /// delivering the values, or the status when it is not ok.
  template <typename Values>
  auto ResultSetter() const requires std::same_as<T, Result<Values>> {
    return [deliver = Setter()](Status status, Values values) {
      if (status.ok()) {
        deliver(std::move(values));
      } else {
        deliver(std::move(status));
      }
    };
  }

  /// Blocks until the value was delivered, and takes it.
  T Wait() {
    state_->ready.wait(0, std::memory_order_acquire);
    return std::move(*state_->value);
  }

 private:
  struct State {
    std::atomic<std::uint32_t> ready{0};
    std::optional<T> value;
  };
  std::shared_ptr<State> state_;
};

}  // namespace ledger
