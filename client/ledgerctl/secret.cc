#include "secret.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <unistd.h>

namespace ledger::ctl {

bool MakeSecret(NewSecret* out) {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return false;
  static constexpr char kDigits[] = "0123456789abcdef";
  out->secret.clear();
  for (unsigned char byte : bytes) {
    out->secret += kDigits[byte >> 4];
    out->secret += kDigits[byte & 0xf];
  }
  SHA256(reinterpret_cast<const unsigned char*>(out->secret.data()), out->secret.size(),
         out->sha256.data());
  return true;
}

bool SaveCredential(const std::string& path, const std::string& credential) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  std::string line = credential + "\n";
  bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  ::close(fd);
  return written;
}

}  // namespace ledger::ctl
