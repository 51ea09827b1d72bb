#include "log/head_marker.h"

#include <fmt/format.h>
#include <pthread.h>
#include <rocksdb/file_system.h>

#include <chrono>
#include <sstream>

#include "log/durable_file.h"
#include "log/log_store.h"

namespace ledger::log {
namespace {

constexpr std::string_view kMagic = "ledger-acknowledged-head 1";

constexpr std::string_view kFileName = "ACKNOWLEDGED_HEAD";

}  // namespace

Status WriteHeadMarker(rocksdb::FileSystem& file_system, const std::string& directory,
                       const ChainPoint& head) {
  std::string contents = fmt::format("{} {} {}\n", kMagic, head.sequence.value, ToHex(head.hash));
  return ReplaceFileDurably(file_system, directory, std::string(kFileName), contents,
                            "acknowledged-head marker");
}

HeadMarker::HeadMarker(std::shared_ptr<rocksdb::FileSystem> file_system, std::string directory,
                       std::function<Status()> make_durable)
    : file_system_(std::move(file_system)),
      make_durable_(std::move(make_durable)),
      directory_(std::move(directory)),
      path_(directory_ + "/" + std::string(kFileName)) {}

HeadMarker::~HeadMarker() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Result<std::optional<ChainPoint>> HeadMarker::Read() const {
  rocksdb::IOOptions io;
  if (file_system_->FileExists(path_, io, nullptr).IsNotFound()) {
    return std::optional<ChainPoint>();
  }
  std::string contents;
  Status read = FromRocks(rocksdb::ReadFileToString(file_system_.get(), path_, &contents),
                          "reading the acknowledged-head marker");
  if (!read.ok()) return read;
  std::istringstream in(contents);
  std::string magic_word, magic_version, hash_text;
  std::uint64_t sequence = 0;
  ChainPoint point;
  in >> magic_word >> magic_version >> sequence >> hash_text;
  if (!in || magic_word + " " + magic_version != kMagic || !ParseHash256(hash_text, &point.hash)) {
    return Status::Corruption("the acknowledged-head marker " + path_ + " is malformed");
  }
  point.sequence = SequenceNumber{sequence};
  return std::optional<ChainPoint>(point);
}

Status HeadMarker::Write(const ChainPoint& head) const {
  Status durable = make_durable_();
  if (!durable.ok()) return durable;
  return WriteHeadMarker(*file_system_, directory_, head);
}

void HeadMarker::Start(const ChainPoint& initial) {
  published_ = initial;
  written_ = initial;
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "ledger-marker");
    Loop();
  });
}

void HeadMarker::Publish(const ChainPoint& head) {
  std::lock_guard lock(mutex_);
  published_ = head;
}

void HeadMarker::Loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_ && !failed_) {
    wake_.wait_for(lock, std::chrono::milliseconds(kHeadMarkerPeriodMs));
    if (stopping_ || published_ == written_) continue;
    ChainPoint next = published_;
    lock.unlock();
    Status written = Write(next);
    lock.lock();
    // A marker that cannot be written only weakens detection; the log itself is intact.
    if (written.ok()) {
      written_ = next;
    } else {
      failed_ = true;
    }
  }
}

Status HeadMarker::StopAndWrite() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (published_ == written_) return Status::Ok();
  Status written = Write(published_);
  if (written.ok()) written_ = published_;
  return written;
}

}  // namespace ledger::log
