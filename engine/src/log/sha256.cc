#include "log/sha256.h"

#include <openssl/evp.h>

#include <cstdlib>

namespace ledger::log {
namespace {

const EVP_MD* Sha256Method() {
  // Fetched once: EVP_sha256() per call would look the algorithm up every time.
  static const EVP_MD* method = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return method;
}

}  // namespace

Sha256::Sha256() : context_(EVP_MD_CTX_new()) {
  if (context_ == nullptr || Sha256Method() == nullptr) std::abort();
}

Sha256::~Sha256() { EVP_MD_CTX_free(context_); }

Hash256 Sha256::Digest(std::string_view first, std::string_view second) {
  Hash256 out{};
  unsigned int size = 0;
  // A hash that silently failed would break the chain: failure here is a fatal bug.
  if (EVP_DigestInit_ex(context_, Sha256Method(), nullptr) != 1 ||
      EVP_DigestUpdate(context_, first.data(), first.size()) != 1 ||
      EVP_DigestUpdate(context_, second.data(), second.size()) != 1 ||
      EVP_DigestFinal_ex(context_, out.data(), &size) != 1 || size != out.size()) {
    std::abort();
  }
  return out;
}

Hash256 ChainHash(const Hash256& previous, std::string_view envelope) {
  thread_local Sha256 sha;
  return sha.Digest(
      std::string_view(reinterpret_cast<const char*>(previous.data()), previous.size()), envelope);
}

}  // namespace ledger::log
