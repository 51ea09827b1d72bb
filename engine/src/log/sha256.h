// SHA-256 through OpenSSL's EVP interface, with a reusable context for the hot path.
// Thread-safety: one Sha256 object per thread; the free function is safe anywhere.
#pragma once

#include <string_view>

#include "ledger/engine/types.h"

struct evp_md_ctx_st;

namespace ledger::log {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  /// SHA-256(first ‖ second).
  Hash256 Digest(std::string_view first, std::string_view second);

 private:
  evp_md_ctx_st* context_;
};

/// SHA-256(previous ‖ envelope): the hash chain's link.
Hash256 ChainHash(const Hash256& previous, std::string_view envelope);

}  // namespace ledger::log
