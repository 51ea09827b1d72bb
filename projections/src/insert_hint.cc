#include "insert_hint.h"

#include <rocksdb/slice.h>

#include <string_view>

namespace ledger::projections::internal {
namespace {

class InsertHintPrefix final : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "ledger.views.InsertHintPrefix"; }

  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    const std::string_view tags_with_sequence = "lxvqjhag";
    const std::string_view tags_with_field = "owrpm";
    const char tag = key[0];
    if (tags_with_sequence.find(tag) != std::string_view::npos && key.size() > 8) {
      return rocksdb::Slice(key.data(), key.size() - 8);
    }
    if (tags_with_field.find(tag) != std::string_view::npos) {
      return rocksdb::Slice(key.data(), FirstFieldEnd(key));
    }
    if (tag == 't') return rocksdb::Slice(key.data(), 1);
    return key;
  }

  bool InDomain(const rocksdb::Slice& key) const override { return !key.empty(); }

 private:
  /// Where the field after the tag ends (the whole key when it does not parse).
  static std::size_t FirstFieldEnd(const rocksdb::Slice& key) {
    std::size_t size = 0;
    std::size_t at = 1;
    for (int shift = 0; shift <= 28 && at < key.size(); shift += 7) {
      const auto byte = static_cast<unsigned char>(key[at++]);
      size |= static_cast<std::size_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return size <= key.size() - at ? at + size : key.size();
    }
    return key.size();
  }
};

}  // namespace

std::shared_ptr<const rocksdb::SliceTransform> NewInsertHintPrefix() {
  return std::make_shared<InsertHintPrefix>();
}

}  // namespace ledger::projections::internal
