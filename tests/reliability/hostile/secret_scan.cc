#include "hostile/secret_scan.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <random>
#include <sstream>

namespace ledger::testing {
namespace {

namespace fs = std::filesystem;

std::string ReadRawBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

using Visitor = std::function<void(const std::string& bytes, const std::string& where)>;

/// Every key and value of every column family, as RocksDB itself reads them back
/// (decompressed), so that a secret inside a compressed table cannot hide.
void VisitDatabase(const fs::path& directory, const Visitor& visit) {
  std::vector<std::string> families;
  rocksdb::Options options;
  if (!rocksdb::DB::ListColumnFamilies(options, directory.string(), &families).ok()) {
    ADD_FAILURE() << "cannot read the database " << directory;
    return;
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& family : families) descriptors.emplace_back(family, options);
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  if (!rocksdb::DB::OpenForReadOnly(options, directory.string(), descriptors, &handles, &raw)
           .ok()) {
    ADD_FAILURE() << "cannot read the database " << directory;
    return;
  }
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::ReadOptions read;
  read.total_order_seek = true;
  for (std::size_t i = 0; i < handles.size(); ++i) {
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(read, handles[i]));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      visit(it->key().ToString() + '\n' + it->value().ToString(),
            directory.string() + " (" + families[i] + ")");
    }
  }
  for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle);
}

/// Every regular file's raw bytes, and every key and value of every database, under `path`.
void Visit(const std::string& path, const Visitor& visit) {
  if (fs::is_regular_file(path)) {
    visit(ReadRawBytes(path), path);
    return;
  }
  for (const auto& entry : fs::recursive_directory_iterator(path)) {
    if (entry.is_regular_file()) visit(ReadRawBytes(entry.path()), entry.path());
    if (entry.is_directory() && fs::exists(entry.path() / "CURRENT")) {
      VisitDatabase(entry.path(), visit);
    }
  }
}

}  // namespace

std::vector<SecretFound> FindSecrets(const std::string& path,
                                     const std::vector<NamedSecret>& secrets) {
  std::vector<SecretFound> found;
  Visit(path, [&](const std::string& bytes, const std::string& where) {
    for (const NamedSecret& secret : secrets) {
      if (bytes.find(secret.text) != std::string::npos) found.push_back({secret.name, where});
    }
  });
  return found;
}

std::vector<SecretFound> FindCardNumberLikeRuns(const std::string& path) {
  std::vector<SecretFound> found;
  Visit(path, [&](const std::string& bytes, const std::string& where) {
    for (const std::string& run : CardNumberLikeRuns(bytes)) found.push_back({run, where});
  });
  return found;
}

bool PassesLuhn(const std::string& digits) {
  if (digits.size() < 13 || digits.size() > 19) return false;
  int sum = 0;
  bool twice = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int digit = *it - '0';
    if (twice && (digit *= 2) > 9) digit -= 9;
    sum += digit;
    twice = !twice;
  }
  return sum % 10 == 0;
}

std::vector<std::string> CardNumberLikeRuns(const std::string& text) {
  std::vector<std::string> runs;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] < '0' || text[i] > '9') {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
    std::string run = text.substr(i, end - i);
    if (PassesLuhn(run)) runs.push_back(run);
    i = end;
  }
  return runs;
}

std::string MakeCardNumberLike(unsigned long long seed) {
  std::mt19937_64 random(seed);
  std::string number = "4";  // A card scheme's first digit.
  while (number.size() < 15) number += static_cast<char>('0' + random() % 10);
  for (char check = '0'; check <= '9'; ++check) {
    if (PassesLuhn(number + check)) return number + check;
  }
  return number;
}

}  // namespace ledger::testing
