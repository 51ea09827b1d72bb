#include "log/chain_linker.h"

#include <algorithm>

namespace ledger::log {

void ChainLinker::Reset(const ChainPoint& head) {
  std::lock_guard lock(mutex_);
  end_ = head;
  abandoned_ = false;
}

bool ChainLinker::LinkInOrder(std::span<SealedPack> packs) {
  auto first_unlinked = std::find_if(packs.begin(), packs.end(),
                                     [](const SealedPack& pack) { return !pack.linked(); });
  if (first_unlinked == packs.end()) return true;
  Hash256 chain;
  {
    std::unique_lock lock(mutex_);
    advanced_.wait(lock,
                   [&] { return abandoned_ || end_.sequence.Next() == first_unlinked->first(); });
    if (abandoned_) return false;
    chain = end_.hash;
  }
  for (auto pack = first_unlinked; pack != packs.end(); ++pack) pack->Link(&chain);
  Publish(ChainPoint{packs.back().last(), chain});
  return true;
}

void ChainLinker::TryLink(SealedPack& pack) {
  Hash256 chain;
  {
    std::lock_guard lock(mutex_);
    if (abandoned_ || end_.sequence.Next() != pack.first()) return;
    chain = end_.hash;
  }
  pack.Link(&chain);
  Publish(ChainPoint{pack.last(), chain});
}

void ChainLinker::Publish(const ChainPoint& end) {
  {
    std::lock_guard lock(mutex_);
    end_ = end;
  }
  advanced_.notify_all();
}

void ChainLinker::Abandon() {
  {
    std::lock_guard lock(mutex_);
    abandoned_ = true;
  }
  advanced_.notify_all();
}

}  // namespace ledger::log
