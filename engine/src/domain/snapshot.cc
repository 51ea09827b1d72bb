#include "domain/snapshot.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>
#include <xxhash.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <type_traits>

#include "domain/check.h"
#include "ledger/engine/domain/money.h"
#include "ledger/limits.h"

namespace ledger::domain {
namespace {

constexpr std::size_t kBufferBytes = 1 << 20;

static_assert(std::is_trivially_copyable_v<IdTable::Slot>);

Status Errno(std::string_view what, const std::string& path) {
  return Status::IoError(fmt::format("{} {}: {}", what, path, std::strerror(errno)));
}

/// Buffered, checksummed writes to one file.
class Writer {
 public:
  explicit Writer(std::string path) : path_(std::move(path)), hash_(XXH3_createState()) {
    XXH3_64bits_reset(hash_);
    buffer_.reserve(kBufferBytes);
  }
  ~Writer() {
    if (fd_ >= 0) ::close(fd_);
    XXH3_freeState(hash_);
  }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  Status Open() {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    return fd_ < 0 ? Errno("creating", path_) : Status::Ok();
  }
  void Bytes(const void* data, std::size_t size) {
    if (size == 0) return;
    XXH3_64bits_update(hash_, data, size);
    const char* bytes = static_cast<const char*>(data);
    if (size >= kBufferBytes) {
      // Large records (the id table's shards) are written from where they are.
      Flush();
      WriteFully(bytes, size);
      return;
    }
    while (size > 0 && status_.ok()) {
      std::size_t room = kBufferBytes - buffer_.size();
      std::size_t take = std::min(room, size);
      buffer_.append(bytes, take);
      bytes += take;
      size -= take;
      if (buffer_.size() == kBufferBytes) Flush();
    }
  }
  template <typename T>
  void Value(T value) {
    static_assert(std::is_trivially_copyable_v<T>);
    Bytes(&value, sizeof value);
  }
  void Text(std::string_view text) {
    Value(static_cast<std::uint32_t>(text.size()));
    Bytes(text.data(), text.size());
  }
  template <typename T>
  void Records(const std::vector<T>& items) {
    Value<std::uint64_t>(items.size());
    Bytes(items.data(), items.size() * sizeof(T));
  }
  /// Appends the checksum and flushes (to the OS; PublishSnapshotFile fsyncs).
  Status Finish() {
    std::uint64_t digest = XXH3_64bits_digest(hash_);
    buffer_.append(reinterpret_cast<const char*>(&digest), sizeof digest);
    Flush();
    return status_;
  }

 private:
  void WriteFully(const char* bytes, std::size_t size) {
    while (status_.ok() && size > 0) {
      ssize_t n = ::write(fd_, bytes, size);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) status_ = Errno("writing", path_);
      if (n > 0) {
        bytes += n;
        size -= static_cast<std::size_t>(n);
      }
    }
  }
  void Flush() {
    WriteFully(buffer_.data(), buffer_.size());
    buffer_.clear();
  }

  std::string path_;
  int fd_ = -1;
  XXH3_state_t* hash_;
  std::string buffer_;
  Status status_;
};

void WriteDirectory(Writer& w, const State& state) {
  w.Value<std::uint64_t>(state.organizations.size());
  for (const OrganizationState& o : state.organizations) {
    w.Text(o.id);
    w.Value(o.version);
    w.Value(o.organization_admins);
    w.Value<std::uint64_t>(o.grants.size());
    for (const auto& [user, grant] : o.grants) {
      w.Text(user);
      w.Value(static_cast<std::uint8_t>(grant.role));
      w.Value(static_cast<std::uint8_t>(grant.all_platforms));
      w.Value<std::uint64_t>(grant.platform_ids.size());
      for (const std::string& id : grant.platform_ids) w.Text(id);
    }
  }
  w.Value<std::uint64_t>(state.platforms.size());
  for (const PlatformState& p : state.platforms) {
    w.Text(p.id);
    w.Value(p.organization);
    w.Value(static_cast<std::uint8_t>(p.environment));
    w.Value(p.version);
    w.Value<std::uint64_t>(p.bank_accounts.size());
    for (const auto& [id, account] : p.bank_accounts) {
      w.Text(id);
      w.Value(account.currency);
      w.Value(account.balance_minor);
    }
  }
  w.Value<std::uint64_t>(state.users.size());
  for (const UserState& u : state.users) {
    w.Text(u.id);
    w.Value(u.version);
    w.Records(u.organizations);
  }
  for (const auto* credentials : {&state.api_keys, &state.user_tokens}) {
    w.Value<std::uint64_t>(credentials->size());
    for (const auto& [id, credential] : *credentials) {
      w.Text(id);
      w.Value(credential.owner);
      w.Bytes(credential.secret_sha256.data(), credential.secret_sha256.size());
      w.Value(static_cast<std::uint8_t>(credential.active));
    }
  }
}

void WritePayments(Writer& w, const State& state) {
  w.Value<std::uint64_t>(state.withdrawal_ids.size());
  for (std::size_t shard = 0; shard < IdTable::kShards; ++shard) {
    w.Value<std::uint64_t>(state.withdrawal_ids.ShardSize(shard));
    w.Records(state.withdrawal_ids.ShardSlots(shard));
  }
  w.Value<std::uint64_t>(state.withdrawals.size());
  for (const WithdrawalState& d : state.withdrawals) {
    w.Value(d.amount_minor);
    w.Value(d.platform);
    w.Value(d.currency);
    w.Value(static_cast<std::uint8_t>(d.status));
    w.Text(d.bank_account_id);
  }
  w.Value<std::uint64_t>(state.wallets.size());
  for (const auto& [key, wallet] : state.wallets) {
    w.Value(key);
    w.Value(wallet.balance_minor);
    w.Value(wallet.in_transit_minor);
    w.Value(wallet.customer_funds_minor);
    w.Value(wallet.fees_minor);
    w.Value(wallet.version);
  }
}

}  // namespace

State CopyForSnapshot(State& state) {
  state.withdrawal_ids.Settle();
  // The previous copy is gone, so every shard is the state's own again.
  LEDGER_CHECK(state.withdrawal_ids.overlay_size() == 0);
  // The hot orders stay out of the copy: set aside (cheap moves), copy the rest, put back.
  HotOrders hot = std::move(state.hot);
  state.hot = HotOrders{};
  State copy = state;
  state.hot = std::move(hot);
  return copy;
}

Status WriteSnapshotFile(const State& state, const ChainPoint& position,
                         const std::string& temp_path) {
  Writer w(temp_path);
  if (Status opened = w.Open(); !opened.ok()) return opened;
  w.Bytes(kSnapshotMagic, sizeof kSnapshotMagic);
  w.Value(kSnapshotFormatVersion);
  w.Value(CurrencyTableDigest());
  w.Value(position.sequence.value);
  w.Bytes(position.hash.data(), position.hash.size());
  WriteDirectory(w, state);
  WritePayments(w, state);
  return w.Finish();
}

Status PublishSnapshotFile(const std::string& temp_path, const std::string& path) {
  const int file = ::open(temp_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (file < 0) return Errno("opening", temp_path);
  const int data_synced = ::fdatasync(file);
  ::close(file);
  if (data_synced != 0) return Errno("syncing", temp_path);
  if (::rename(temp_path.c_str(), path.c_str()) != 0) return Errno("renaming", temp_path);
  std::string directory = std::filesystem::path(path).parent_path().string();
  if (directory.empty()) directory = ".";
  int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Errno("opening directory", directory);
  const int synced = ::fsync(fd);
  ::close(fd);
  return synced == 0 ? Status::Ok() : Errno("syncing directory", directory);
}

}  // namespace ledger::domain
