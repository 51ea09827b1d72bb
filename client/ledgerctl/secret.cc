#include "secret.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace ledger::ctl {

bool MakeSecret(NewSecret* out) {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return false;
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  for (unsigned char byte : bytes) {
    text += kDigits[byte >> 4];
    text += kDigits[byte & 0xf];
  }
  return SecretFromText(text, out);
}

bool SecretFromText(const std::string& secret, NewSecret* out) {
  if (secret.size() != 64 || secret.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return false;
  }
  out->secret = secret;
  SHA256(reinterpret_cast<const unsigned char*>(out->secret.data()), out->secret.size(),
         out->sha256.data());
  return true;
}

bool PrepareSavedCredential(const std::string& path, const std::string& id, NewSecret* secret,
                            SavedCredential* outcome, std::string* error) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno == EEXIST) {
    std::ifstream in(path);
    std::string credential;
    in >> credential;
    const std::string prefix = id + ".";
    if (credential.rfind(prefix, 0) == 0 &&
        SecretFromText(credential.substr(prefix.size()), secret)) {
      *outcome = SavedCredential::kFound;
      return true;
    }
    *error = path + " exists and holds no credential of '" + id +
             "': choose a new file (it is never overwritten)";
    return false;
  }
  if (fd < 0) {
    *error = "cannot write " + path + ": " + std::strerror(errno);
    return false;
  }
  const std::string line = id + "." + secret->secret + "\n";
  const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
                       ::fsync(fd) == 0;
  ::close(fd);
  if (!written) {
    ::unlink(path.c_str());
    *error = "cannot write " + path;
    return false;
  }
  *outcome = SavedCredential::kWritten;
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
