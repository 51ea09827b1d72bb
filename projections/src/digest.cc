// The canonical digest: SHA-256 over every row of every projection, in key order.
//
//   projection digest := SHA-256( for each row: be32 key size ‖ key ‖ be32 value size ‖ value )
//   views digest      := SHA-256( for each projection, in ProjectionId order:
//                                 u8 id ‖ be64 checkpoint ‖ checkpoint hash ‖ be64 rows ‖
//                                 projection digest )
//
// Rows depend only on the events applied (projection.h), so two views built from the same
// log up to the same checkpoints have the same digest, however they were built.
#include <openssl/evp.h>

#include <memory>

#include "encoding.h"
#include "ledger/projections/views.h"
#include "query_support.h"

namespace ledger::projections {

namespace {

class Sha256 {
 public:
  Sha256() : context_(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
    EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr);
  }
  void Update(std::string_view bytes) {
    EVP_DigestUpdate(context_.get(), bytes.data(), bytes.size());
  }
  void UpdateSized(std::string_view bytes) {
    std::string size;
    internal::PutBe32(&size, static_cast<std::uint32_t>(bytes.size()));
    Update(size);
    Update(bytes);
  }
  Hash256 Finish() {
    Hash256 digest{};
    unsigned int size = 0;
    EVP_DigestFinal_ex(context_.get(), digest.data(), &size);
    return digest;
  }

 private:
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context_;
};

std::string_view Bytes(const Hash256& hash) {
  return {reinterpret_cast<const char*>(hash.data()), hash.size()};
}

}  // namespace

Result<ViewsDigest> Views::CanonicalDigest(const QueryOptions& options) const {
  Status status =
      internal::WaitForQuery(*store_, kAllProjections, options.min_sequence, options.wait);
  if (!status.ok()) return status;
  internal::ReadView view(*store_);
  ViewsDigest result;
  Sha256 overall;
  for (std::size_t i = 0; i < kProjectionCount; ++i) {
    ProjectionDigest& projection = result.projections[i];
    projection.id = kAllProjections[i];
    auto checkpoint = internal::AsOf(view, projection.id);
    if (!checkpoint.ok()) return checkpoint.status();
    projection.checkpoint = *checkpoint;
    Sha256 rows;
    internal::RowIterator it(view, projection.id, std::string(), std::string());
    for (it.SeekToFirst(); it.Valid(); it.Next()) {
      rows.UpdateSized(it.key());
      rows.UpdateSized(it.value());
      ++projection.rows;
    }
    if (!it.status().ok()) return it.status();
    projection.digest = rows.Finish();
    std::string header(1, static_cast<char>(projection.id));
    internal::PutBe64(&header, projection.checkpoint.sequence.value);
    header.append(Bytes(projection.checkpoint.hash));
    internal::PutBe64(&header, projection.rows);
    overall.Update(header);
    overall.Update(Bytes(projection.digest));
  }
  result.digest = overall.Finish();
  return result;
}

}  // namespace ledger::projections
