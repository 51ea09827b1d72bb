// The chain linker (chain_linker.h): packs linked by two threads, in whatever share, form the
// same chain as packs linked by one; a pack is linked only once the chain has reached it; a
// waiting linker is released when the log refuses writes.
#include "log/chain_linker.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "log/event_record.h"
#include "log/sha256.h"

namespace ledger::log {
namespace {

constexpr std::uint64_t kEventsPerPack = 3;

/// An envelope long enough to hold its previous hash at offset 0 and differ per event.
std::string EnvelopeOf(std::uint64_t sequence) {
  return std::string(kHashBytes, '\0') + "event-" + std::to_string(sequence);
}

/// Packs of kEventsPerPack events each, the first starting right after `after`.
std::vector<SealedPack> Packs(std::uint64_t after, std::size_t count) {
  std::vector<SealedPack> packs;
  PackBuilder builder;
  std::uint64_t sequence = after;
  for (std::size_t p = 0; p < count; ++p) {
    for (std::uint64_t i = 0; i < kEventsPerPack; ++i) {
      ++sequence;
      builder.Add(SequenceNumber{sequence}, EnvelopeOf(sequence), 0);
    }
    packs.push_back(builder.Seal());
  }
  return packs;
}

/// The hash of each pack's last event, computed by the chain's definition, one event at a time.
std::vector<Hash256> ExpectedLastHashes(const ChainPoint& start, std::size_t packs) {
  std::vector<Hash256> hashes;
  Hash256 chain = start.hash;
  std::uint64_t sequence = start.sequence.value;
  for (std::size_t p = 0; p < packs; ++p) {
    for (std::uint64_t i = 0; i < kEventsPerPack; ++i) {
      std::string envelope = EnvelopeOf(++sequence);
      envelope.replace(0, kHashBytes, std::string(chain.begin(), chain.end()));
      chain = ChainHash(chain, envelope);
    }
    hashes.push_back(chain);
  }
  return hashes;
}

/// A chain ending at sequence 41 and `count` packs after it, with the hashes they must get.
class ChainLinkerTest : public ::testing::Test {
 protected:
  void SetUpChain(std::size_t count) {
    start_ = ChainPoint{SequenceNumber{41}, {}};
    start_.hash.fill(0x5a);
    expected_ = ExpectedLastHashes(start_, count);
    packs_ = Packs(start_.sequence.value, count);
    linker_.Reset(start_);
  }
  std::span<SealedPack> Pack(std::size_t index) { return {&packs_[index], 1}; }

  ChainPoint start_;
  std::vector<Hash256> expected_;
  std::vector<SealedPack> packs_;
  ChainLinker linker_;
};

TEST_F(ChainLinkerTest, TwoThreadsTakingTurnsLinkTheSameChainAsOne) {
  constexpr std::size_t kPacks = 200;
  SetUpChain(kPacks);
  // Each thread owns every other pack, so each waits for the other at every pack.
  auto link_every_other = [&](std::size_t first) {
    for (std::size_t p = first; p < kPacks; p += 2) EXPECT_TRUE(linker_.LinkInOrder(Pack(p)));
  };
  std::thread odd(link_every_other, 1);
  link_every_other(0);
  odd.join();
  for (std::size_t p = 0; p < kPacks; ++p) {
    ASSERT_TRUE(packs_[p].linked()) << "pack " << p;
    EXPECT_EQ(packs_[p].LastHash(), expected_[p]) << "pack " << p;
  }
}

TEST_F(ChainLinkerTest, TryLinkLinksOnlyThePackTheChainHasReached) {
  SetUpChain(2);
  linker_.TryLink(packs_[1]);
  EXPECT_FALSE(packs_[1].linked()) << "the pack before it is not linked yet";
  linker_.TryLink(packs_[0]);
  ASSERT_TRUE(packs_[0].linked());
  EXPECT_EQ(packs_[0].LastHash(), expected_[0]);
  linker_.TryLink(packs_[1]);
  ASSERT_TRUE(packs_[1].linked());
  EXPECT_EQ(packs_[1].LastHash(), expected_[1]);
}

TEST_F(ChainLinkerTest, LinkInOrderLinksOnlyWhatIsNotLinkedYet) {
  SetUpChain(3);
  linker_.TryLink(packs_[0]);
  ASSERT_TRUE(packs_[0].linked());
  // Linking the first pack again would link it after itself and change its hash.
  ASSERT_TRUE(linker_.LinkInOrder(packs_));
  for (std::size_t p = 0; p < packs_.size(); ++p) EXPECT_EQ(packs_[p].LastHash(), expected_[p]);
}

TEST_F(ChainLinkerTest, AbandonReleasesAWaitingLinkerAndRefusesLaterOnes) {
  SetUpChain(2);
  bool linked = true;
  // The second pack waits for the first, which nobody links.
  std::thread waiter([&] { linked = linker_.LinkInOrder(Pack(1)); });
  linker_.Abandon();
  waiter.join();
  EXPECT_FALSE(linked);
  EXPECT_FALSE(packs_[1].linked());
  EXPECT_FALSE(linker_.LinkInOrder(Pack(0)));
  linker_.TryLink(packs_[0]);
  EXPECT_FALSE(packs_[0].linked());
}

}  // namespace
}  // namespace ledger::log
