// Fuzz target: command decisions against the reference model. The input's bytes are every
// choice the randomized model test's generator makes (which command, which ids, amounts
// near the limits, which principal), so libFuzzer steers the commands themselves. Each
// command is decided by the domain (Decide, then Apply when accepted) and by the
// independent model of tests/engine/domain/reference_model.h; they must give the same
// result code, and Apply's own invariant checks (wallets, captures, postings) must hold.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "domain/apply.h"
#include "domain/decide.h"
#include "domain/state.h"
#include "engine/domain/model_generator.h"
#include "engine/domain/reference_model.h"
#include "ledger/engine/domain/events.h"

namespace {

constexpr std::size_t kCommandsMax = 4096;

/// Hands out the input four bytes at a time; zeros once it is used up.
class InputBits {
 public:
  InputBits(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::uint64_t Next() {
    std::uint64_t value = 0;
    for (int i = 0; i < 4 && at_ < size_; ++i) value |= std::uint64_t{data_[at_++]} << (8 * i);
    return value;
  }
  bool exhausted() const { return at_ >= size_; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t at_ = 0;
};

[[noreturn]] void Disagree(const ledger::CommandRequest& request, ledger::domain::ResultCode engine,
                           const std::string& message, ledger::domain::ResultCode model) {
  std::fprintf(stderr, "%s by %s: engine %s ('%s'), model %s\n",
               std::string(ledger::domain::CommandName(request.command)).c_str(),
               request.principal.Actor().c_str(),
               std::string(ledger::domain::ResultCodeName(engine)).c_str(), message.c_str(),
               std::string(ledger::domain::ResultCodeName(model)).c_str());
  std::abort();
}

/// The claims of the accepted events, as the log would hold them.
class ClaimsInMemory final : public ledger::domain::Claims {
 public:
  bool Taken(std::string_view claim) const override { return taken_.count(claim) > 0; }
  void Take(std::string claim) {
    if (!claim.empty()) taken_.insert(std::move(claim));
  }

 private:
  std::set<std::string, std::less<>> taken_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using ledger::domain::ResultCode;
  InputBits bits(data, size);
  ledger::testing::ReferenceModel model;
  ledger::testing::ModelGenerator generator([&bits] { return bits.Next(); }, model);
  ledger::domain::State state;
  ClaimsInMemory claims;
  ledger::SequenceNumber sequence;
  auto decide_and_apply = [&state, &claims, &sequence](const ledger::CommandRequest& request) {
    auto decision = ledger::domain::Decide(state, claims, request.principal, request.command);
    if (decision.accepted()) {
      sequence = sequence.Next();
      ledger::domain::Apply(state, decision.event, sequence);
      claims.Take(decision.claim);
    }
    return decision;
  };
  for (const auto& request : generator.Setup()) {
    auto decision = decide_and_apply(request);
    if (!decision.accepted())
      Disagree(request, decision.code, decision.message, ResultCode::kAccepted);
  }
  for (std::size_t i = 0; i < kCommandsMax && !bits.exhausted(); ++i) {
    ledger::CommandRequest request = generator.Next();
    const ResultCode expected = model.Execute(request.principal, request.command);
    auto decision = decide_and_apply(request);
    if (decision.code != expected) Disagree(request, decision.code, decision.message, expected);
  }
  return 0;
}
