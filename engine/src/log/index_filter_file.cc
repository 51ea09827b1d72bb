#include "log/index_filter_file.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <cstring>

#include "log/keys.h"

namespace ledger::log {
namespace {

/// The filters' parameters are part of the magic line: a build that probes differently never
/// takes another build's file. (How keys are hashed and probed is pinned by key_filter_test's
/// golden encoding; a change there must change the version here.)
const std::string& Magic() {
  static const std::string magic =
      fmt::format("ledger-index-filter 1 xxh3-64 bits={} probes={} growth={}\n",
                  KeyFilter::kBitsPerKey, KeyFilter::kProbes, KeyFilter::kGrowth);
  return magic;
}

}  // namespace

std::string EncodeIndexFilters(const ChainPoint& head, const KeyFilter& streams,
                               const KeyFilter& idempotency) {
  std::string out = Magic();
  PutBigEndian64(&out, head.sequence.value);
  out.append(reinterpret_cast<const char*>(head.hash.data()), head.hash.size());
  streams.EncodeTo(&out);
  idempotency.EncodeTo(&out);
  PutBigEndian64(&out, XXH3_64bits(out.data(), out.size()));
  return out;
}

bool DecodeIndexFilters(std::string_view contents, const ChainPoint& head, KeyFilter* streams,
                        KeyFilter* idempotency) {
  const std::string& magic = Magic();
  const std::size_t fixed = magic.size() + 8 + head.hash.size();
  if (contents.size() < fixed + 8 || !contents.starts_with(magic)) return false;
  const std::string_view body = contents.substr(0, contents.size() - 8);
  if (XXH3_64bits(body.data(), body.size()) != GetBigEndian64(body.data() + body.size())) {
    return false;
  }
  ChainPoint written;
  written.sequence = SequenceNumber{GetBigEndian64(body.data() + magic.size())};
  std::memcpy(written.hash.data(), body.data() + magic.size() + 8, written.hash.size());
  if (!(written == head)) return false;
  std::string_view rest = body.substr(fixed);
  return streams->DecodeFrom(&rest) && idempotency->DecodeFrom(&rest) && rest.empty();
}

}  // namespace ledger::log
