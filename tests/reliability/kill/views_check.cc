#include "kill/views_check.h"

#include <fmt/format.h>

#include "ledger/engine/log.h"
#include "ledger/projections/projector.h"
#include "ledger/server/data_directory.h"

namespace ledger::reliability {
namespace {

/// The digest of the views in `path` once they have applied the log's head.
Result<projections::ViewsDigest> DigestAtHead(const Log& log, const std::string& path) {
  projections::ProjectorOptions options;
  options.path = path;
  options.log = &log;
  auto projector = projections::Projector::Open(std::move(options));
  if (!projector.ok()) return projector.status();
  if (Status started = (*projector)->Start(); !started.ok()) return started;
  if (!(*projector)->WaitForSequence(log.Head().sequence, std::chrono::minutes(5))) {
    return Status::IoError("the views did not reach the head: " + (*projector)->Stats().failure);
  }
  (*projector)->Stop();
  return (*projector)->views().CanonicalDigest();
}

}  // namespace

std::string CheckViewsEqualRebuild(const std::string& data_directory, const std::string& scratch) {
  LogOptions options;
  options.path = server::LogPath(data_directory);
  auto log = Log::Open(std::move(options));
  if (!log.ok()) return "cannot open the log: " + log.status().ToString();
  auto resumed = DigestAtHead(**log, server::ViewsPath(data_directory));
  if (!resumed.ok()) return "resuming the views: " + resumed.status().ToString();
  auto rebuilt = DigestAtHead(**log, scratch);
  if (!rebuilt.ok()) return "rebuilding the views: " + rebuilt.status().ToString();
  if (resumed->digest != rebuilt->digest) {
    return fmt::format("the resumed views' digest {} differs from a rebuild's {}",
                       ToHex(resumed->digest), ToHex(rebuilt->digest));
  }
  return "";
}

}  // namespace ledger::reliability
