// The hash chain's moving end, shared by the threads that link sealed packs into it.
//
// Packs are linked strictly in sequence order, each by exactly one thread. Hashing is about a
// third of the commit thread's work per event, and the commit thread is the slower of the two
// on a large group, so the writer takes a share: it links each pack it seals while the commit
// thread is busy, if the chain has reached that pack (the commit thread linked everything it
// took); once it has staged a group whose earlier piece the commit thread is still writing,
// it links the group's rest, waiting for the chain if need be. The commit thread links
// whatever it takes unlinked. Only the holder of the chain's next packs gets past the check,
// so it hashes without the lock.
//
// Thread-safety: every member from any thread.
#pragma once

#include <condition_variable>
#include <mutex>
#include <span>

#include "ledger/engine/types.h"
#include "log/event_pack.h"

namespace ledger::log {

class ChainLinker {
 public:
  /// Where the chain ends before any thread links: the recovered head.
  void Reset(const ChainPoint& head);
  /// Links the packs, which follow each other, after the chain: those not linked yet (a
  /// suffix), once the chain has reached them. False, leaving them unlinked, once Abandon()
  /// was called.
  bool LinkInOrder(std::span<SealedPack> packs);
  /// Links the pack if the chain has just reached it; never waits.
  void TryLink(SealedPack& pack);
  /// Wakes and refuses every linker, now and later: the log refuses writes, so packs whose
  /// predecessors will never be linked must not wait for them.
  void Abandon();

 private:
  /// Moves the end to `end`, which the caller alone could link (it held the next packs).
  void Publish(const ChainPoint& end);

  std::mutex mutex_;
  std::condition_variable advanced_;
  ChainPoint end_;
  bool abandoned_ = false;
};

}  // namespace ledger::log
