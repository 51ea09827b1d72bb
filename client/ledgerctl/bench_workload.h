// The commands `ledgerctl bench` sends, generated without per-command allocations beyond the
// FlatBuffers builder: each connection walks its own sequence of order lifecycles.
#pragma once

#include <flatbuffers/flatbuffers.h>

#include <cstdint>
#include <string>

#include "ledger/schema/protocol_generated.h"

namespace ledger::ctl {

enum class Workload : std::uint8_t { kRealistic, kOrders, kOpaque };

class BenchWorkload {
 public:
  BenchWorkload(Workload workload, std::string platform, std::string prefix);

  /// Builds the next request body of `count` commands (or opaque events) into `builder`;
  /// returns its type and offset.
  std::pair<protocol::RequestBody, flatbuffers::Offset<void>> Next(
      flatbuffers::FlatBufferBuilder& builder, int count);

 private:
  /// The next command of the current order's lifecycle.
  flatbuffers::Offset<protocol::CommandInput> NextCommand(flatbuffers::FlatBufferBuilder& b);
  flatbuffers::Offset<protocol::CommandInput> Operation(flatbuffers::FlatBufferBuilder& b,
                                                        schema::OperationKind kind,
                                                        schema::OperationOutcome outcome,
                                                        std::int64_t amount, char tag);

  Workload workload_;
  std::string platform_;
  std::string prefix_;
  std::uint64_t order_ = 0;
  int step_ = 0;
  char id_[96] = {};
  char transaction_[112] = {};
};

}  // namespace ledger::ctl
