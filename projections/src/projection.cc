#include "projection.h"

#include <fmt/format.h>

namespace ledger::projections::internal {

Result<bool> Projection::Load(std::string_view key, std::string* value) const {
  rocksdb::Status status = store_.db()->Get(rocksdb::ReadOptions(), family_, key, value);
  if (status.IsNotFound()) return false;
  if (!status.ok()) return FromRocks(status, "reading a row to update");
  return true;
}

Status Projection::Corrupt(std::string_view key) const {
  std::string hex;
  for (char c : key.substr(0, 64)) hex += fmt::format("{:02x}", static_cast<unsigned char>(c));
  return Status::Corruption(
      fmt::format("a row of the {} projection is malformed (key {})", ProjectionName(id_), hex));
}

}  // namespace ledger::projections::internal
