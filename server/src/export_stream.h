// An std::ostream target that turns a CSV export into ExportChunk frames pushed to the
// client, with flow control: at most kChunksInFlight chunks wait to be written to the
// socket; the exporting thread blocks for room, and stops producing once the connection is
// gone. Thread-safety: the stream is used by one thread (the exporter); the flow state is
// shared with the io thread's write completions.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <streambuf>
#include <string>

#include "ledger/engine/types.h"
#include "responder.h"

namespace ledger::server {

class ExportStream final : public std::streambuf {
 public:
  /// Chunks pushed and not yet written to the socket, at most.
  static constexpr int kChunksInFlight = 4;

  explicit ExportStream(Responder responder);

  /// Sends what is buffered as the last chunk, with the export's manifest figures.
  void Finish(std::uint64_t rows, const ChainPoint& as_of);
  /// True once the connection dropped a chunk: the export may stop.
  bool cancelled() const;

 protected:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* data, std::streamsize size) override;

 private:
  struct Flow {
    std::mutex mutex;
    std::condition_variable room;
    int in_flight = 0;
    bool cancelled = false;
  };
  /// Pushes the buffer as one chunk (waiting for room); false once cancelled.
  bool PushChunk();

  Responder responder_;
  std::shared_ptr<Flow> flow_;
  std::string buffer_;
};

}  // namespace ledger::server
