// Random commands for the randomized model test: mostly plausible (ids that exist, amounts
// near the limits the state allows, the platform's own API key), with a steady share of
// invalid ones (malformed ids, non-positive amounts, unknown currencies, the wrong principal,
// other organizations and environments, revoked keys). Amounts and targets are drawn from the
// reference model's state, so the same seed always produces the same commands.
//
// The directory (set up once): organization acme with sandbox platforms pa1, pa2 and
// production pa3; organization globex with sandbox pb1; an API key per platform; bank
// accounts in EUR, JPY and KWD on every platform; users with every role and scope.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "engine/domain/reference_model.h"
#include "ledger/engine/ledger.h"

namespace ledger::testing {

class ModelGenerator {
 public:
  ModelGenerator(std::uint64_t seed, ReferenceModel& model);
  /// Draws every choice from `bits` instead (the decision fuzzer feeds its input here).
  ModelGenerator(std::function<std::uint64_t()> bits, ReferenceModel& model);

  /// The directory's commands (all valid), already declared to the model.
  std::vector<CommandRequest> Setup();
  /// The next random command.
  CommandRequest Next();

 private:
  struct PlatformInfo {
    std::string id;
    std::string organization;
    schema::Environment environment;
    std::vector<std::string> keys;  // Issued keys, newest last.
    std::vector<std::string> orders;
    std::vector<std::pair<std::string, std::string>> transactions;  // (order, transaction)
    std::vector<std::string> withdrawals;
  };

  int Percent() { return static_cast<int>(random_() % 100); }
  std::size_t Below(std::size_t n) { return n == 0 ? 0 : random_() % n; }
  PlatformInfo& AnyPlatform() { return platforms_[Below(platforms_.size())]; }
  std::string MaybeBroken(std::string id);
  std::int64_t Around(std::int64_t target);
  std::string Currency();
  domain::Principal KeyOf(const PlatformInfo& platform);
  domain::Principal PrincipalFor(const PlatformInfo& platform);
  domain::Principal AdminFor(const PlatformInfo& platform);
  CommandRequest Request(domain::Principal principal, domain::Command command);

  CommandRequest CreateOrder(PlatformInfo& platform);
  CommandRequest CancelOrder(PlatformInfo& platform);
  CommandRequest CreateTransaction(PlatformInfo& platform);
  CommandRequest RecordOperation(PlatformInfo& platform);
  CommandRequest Withdrawal(PlatformInfo& platform);
  CommandRequest Directory(PlatformInfo& platform);

  std::function<std::uint64_t()> random_;
  ReferenceModel& model_;
  std::vector<PlatformInfo> platforms_;
  std::uint64_t next_id_ = 0;
};

}  // namespace ledger::testing
