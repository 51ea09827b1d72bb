// The id table's erase, which the hot orders use as orders leave memory: with linear probing
// an erase must leave every other key findable (no probe run broken), and erased keys gone.
#include "domain/id_table.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace ledger::testing {
namespace {

using domain::IdKey;
using domain::IdKind;
using domain::IdTable;
using domain::MakeIdKey;

IdKey Key(int i) { return MakeIdKey(IdKind::kOrder, "shop", "o-" + std::to_string(i)); }

TEST(IdTable, ErasingKeysLeavesEveryOtherKeyFindable) {
  constexpr int kKeys = 20000;
  IdTable table;
  for (int i = 0; i < kKeys; ++i) table.Insert(Key(i), static_cast<std::uint32_t>(i));
  std::vector<int> order(kKeys);
  for (int i = 0; i < kKeys; ++i) order[i] = i;
  std::mt19937 random(7);
  std::shuffle(order.begin(), order.end(), random);
  std::vector<bool> present(kKeys, true);
  // Erase two thirds in random order, checking the whole table at a few points on the way.
  for (int n = 0; n < kKeys * 2 / 3; ++n) {
    const int i = order[n];
    ASSERT_TRUE(table.Erase(Key(i))) << i;
    EXPECT_FALSE(table.Erase(Key(i))) << "erased twice: " << i;
    present[i] = false;
    if (n % 4000 == 0 || n + 1 == kKeys * 2 / 3) {
      for (int k = 0; k < kKeys; ++k) {
        const std::uint32_t* found = table.Find(Key(k));
        ASSERT_EQ(found != nullptr, present[k]) << "key " << k << " after " << n + 1 << " erases";
        if (found != nullptr) {
          EXPECT_EQ(*found, static_cast<std::uint32_t>(k));
        }
      }
    }
  }
  EXPECT_EQ(table.size(), static_cast<std::size_t>(kKeys - kKeys * 2 / 3));
  // Erased keys may be inserted again, with new values.
  for (int n = 0; n < kKeys * 2 / 3; ++n) {
    table.Insert(Key(order[n]), static_cast<std::uint32_t>(order[n] + kKeys));
  }
  EXPECT_EQ(table.size(), static_cast<std::size_t>(kKeys));
  for (int k = 0; k < kKeys; ++k) {
    const std::uint32_t* found = table.Find(Key(k));
    ASSERT_NE(found, nullptr) << k;
    EXPECT_EQ(*found, static_cast<std::uint32_t>(present[k] ? k : k + kKeys));
  }
  EXPECT_FALSE(table.Erase(Key(kKeys)));
}

}  // namespace
}  // namespace ledger::testing
