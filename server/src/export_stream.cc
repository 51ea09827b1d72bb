#include "export_stream.h"

#include <flatbuffers/flatbuffers.h>

#include "ledger/limits.h"
#include "ledger/schema/protocol_generated.h"
#include "responses.h"

namespace ledger::server {
namespace {

namespace p = protocol;

std::string ChunkFrame(std::uint64_t request_id, std::string_view data, bool last,
                       std::uint64_t rows, const ChainPoint& as_of) {
  flatbuffers::FlatBufferBuilder b(data.size() + 256);
  auto bytes = b.CreateVector(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
  auto hash = last ? b.CreateVector(as_of.hash.data(), as_of.hash.size()) : 0;
  auto chunk = p::CreateExportChunk(b, bytes, last, rows, as_of.sequence.value, hash);
  return FinishResponse(b, request_id, p::ResponseBody::ExportChunk, chunk.Union());
}

}  // namespace

ExportStream::ExportStream(Responder responder)
    : responder_(std::move(responder)), flow_(std::make_shared<Flow>()) {
  buffer_.reserve(limits::kExportChunkBytesMax);
}

bool ExportStream::cancelled() const {
  std::lock_guard lock(flow_->mutex);
  return flow_->cancelled;
}

bool ExportStream::PushChunk() {
  {
    std::unique_lock lock(flow_->mutex);
    flow_->room.wait(lock, [&] { return flow_->cancelled || flow_->in_flight < kChunksInFlight; });
    if (flow_->cancelled) return false;
    ++flow_->in_flight;
  }
  responder_.Push(ChunkFrame(responder_.request_id(), buffer_, false, 0, {}),
                  [flow = flow_](bool written) {
                    std::lock_guard lock(flow->mutex);
                    --flow->in_flight;
                    flow->cancelled = flow->cancelled || !written;
                    flow->room.notify_all();
                  });
  buffer_.clear();
  return true;
}

std::streambuf::int_type ExportStream::overflow(int_type c) {
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  char byte = traits_type::to_char_type(c);
  return xsputn(&byte, 1) == 1 ? c : traits_type::eof();
}

std::streamsize ExportStream::xsputn(const char* data, std::streamsize size) {
  std::streamsize taken = 0;
  while (taken < size) {
    if (buffer_.size() >= limits::kExportChunkBytesMax && !PushChunk()) return taken;
    auto room = static_cast<std::streamsize>(limits::kExportChunkBytesMax - buffer_.size());
    auto part = std::min(room, size - taken);
    buffer_.append(data + taken, static_cast<std::size_t>(part));
    taken += part;
  }
  return taken;
}

void ExportStream::Finish(std::uint64_t rows, const ChainPoint& as_of) {
  responder_.Finish(ChunkFrame(responder_.request_id(), buffer_, true, rows, as_of));
  buffer_.clear();
}

}  // namespace ledger::server
