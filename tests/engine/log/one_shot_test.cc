// OneShot (common/one_shot.h) hands the synchronous calls their results: one value, once,
// from the completing thread to the waiting one.
#include "common/one_shot.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace ledger {
namespace {

TEST(OneShotTest, WaitTakesTheValueDeliveredOnAnotherThread) {
  OneShot<std::vector<std::string>> shot;
  std::thread deliverer([deliver = shot.Setter()] {
    // Late enough that the waiter is usually asleep on the futex by then.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    deliver(std::vector<std::string>{"first", "second"});
  });
  std::vector<std::string> got = shot.Wait();
  deliverer.join();
  EXPECT_EQ(got, (std::vector<std::string>{"first", "second"}));
}

TEST(OneShotTest, WaitReturnsAtOnceWhenTheValueCameFirst) {
  OneShot<int> shot;
  shot.Setter()(42);
  EXPECT_EQ(shot.Wait(), 42);
}

TEST(OneShotTest, ResultSetterDeliversTheValuesOrTheFailure) {
  OneShot<Result<std::vector<int>>> succeeded;
  succeeded.ResultSetter<std::vector<int>>()(Status::Ok(), {1, 2, 3});
  Result<std::vector<int>> values = succeeded.Wait();
  ASSERT_TRUE(values.ok());
  EXPECT_EQ(*values, (std::vector<int>{1, 2, 3}));

  OneShot<Result<std::vector<int>>> failed;
  failed.ResultSetter<std::vector<int>>()(Status::IoError("disk gone"), {7});
  Result<std::vector<int>> failure = failed.Wait();
  ASSERT_FALSE(failure.ok());
  EXPECT_EQ(failure.status().code(), StatusCode::kIoError);
  EXPECT_NE(failure.status().ToString().find("disk gone"), std::string::npos);
}

TEST(OneShotTest, TheSetterKeepsTheStateAliveAfterTheOneShotIsGone) {
  // The completing thread may still hold its callback after the caller returned: the state
  // they share lives until the last of them is gone.
  auto payload = std::make_shared<int>(5);
  std::function<void(std::shared_ptr<int>)> late;
  {
    OneShot<std::shared_ptr<int>> shot;
    late = shot.Setter();
  }
  late(payload);
  EXPECT_EQ(payload.use_count(), 2);  // The state, still alive, holds the delivered value...
  late = nullptr;
  EXPECT_EQ(payload.use_count(), 1);  // ...and goes with the last setter.
}

}  // namespace
}  // namespace ledger
