// Reading a snapshot (the grammar is in snapshot.h): streamed through a small buffer, every
// count bounded by the bytes left, every index checked, the checksum compared at the end.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <type_traits>

#include "domain/snapshot.h"
#include "ledger/engine/domain/money.h"

namespace ledger::domain {
namespace {

constexpr std::size_t kBufferBytes = 1 << 20;
constexpr std::uint32_t kTextBytesMax = 4096;

class Reader {
 public:
  explicit Reader(const std::string& path) : hash_(XXH3_createState()) {
    XXH3_64bits_reset(hash_);
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat info {};
    if (fd_ >= 0 && ::fstat(fd_, &info) == 0) remaining_ = static_cast<std::uint64_t>(info.st_size);
  }
  ~Reader() {
    if (fd_ >= 0) ::close(fd_);
    XXH3_freeState(hash_);
  }
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  bool opened() const { return fd_ >= 0; }
  bool ok() const { return ok_; }
  /// Fails the read (and returns false) unless `condition`.
  bool Expect(bool condition) {
    if (!condition) ok_ = false;
    return ok_;
  }

  void Bytes(void* out, std::size_t size, bool hashed = true) {
    if (!Expect(size <= remaining_) || size == 0) return;
    char* bytes = static_cast<char*>(out);
    const std::size_t wanted = size;
    const std::size_t buffered = std::min(size, buffer_.size() - position_);
    if (buffered > 0) std::memcpy(bytes, buffer_.data() + position_, buffered);
    position_ += buffered;
    bytes += buffered;
    size -= buffered;
    if (size >= kBufferBytes) {
      // Large records (the id table, orders, transactions) go straight to their vectors.
      if (!ReadFully(bytes, size)) return;
      size = 0;
    }
    while (size > 0 && ok_) {
      if (!Fill()) return;
      std::size_t take = std::min(size, buffer_.size() - position_);
      std::memcpy(bytes, buffer_.data() + position_, take);
      position_ += take;
      bytes += take;
      size -= take;
    }
    remaining_ -= wanted;
    if (hashed) XXH3_64bits_update(hash_, out, wanted);
  }
  template <typename T>
  T Value() {
    static_assert(std::is_trivially_copyable_v<T>);
    T value{};
    Bytes(&value, sizeof value);
    return value;
  }
  /// A count of items of at least `item_bytes` each, bounded by what is left of the file.
  std::uint64_t Count(std::size_t item_bytes) {
    auto count = Value<std::uint64_t>();
    Expect(item_bytes == 0 || count <= remaining_ / item_bytes);
    return ok_ ? count : 0;
  }
  std::string Text() {
    auto size = Value<std::uint32_t>();
    std::string text;
    if (!Expect(size <= kTextBytesMax)) return text;
    text.resize(size);
    Bytes(text.data(), size);
    return text;
  }
  template <typename T>
  void Records(std::vector<T>* items) {
    std::uint64_t count = Count(sizeof(T));
    items->resize(count);
    Bytes(items->data(), count * sizeof(T));
  }
  /// Reads the trailer and checks it against everything read before; true at a clean end.
  bool FinishChecksum() {
    std::uint64_t expected = XXH3_64bits_digest(hash_);
    std::uint64_t stored = 0;
    Bytes(&stored, sizeof stored, /*hashed=*/false);
    return ok_ && stored == expected && remaining_ == 0;
  }

 private:
  bool ReadFully(char* out, std::size_t size) {
    while (size > 0) {
      ssize_t n = ::read(fd_, out, size);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        ok_ = false;
        return false;
      }
      out += n;
      size -= static_cast<std::size_t>(n);
    }
    return true;
  }

  bool Fill() {
    buffer_.resize(kBufferBytes);
    ssize_t n;
    do {
      n = ::read(fd_, buffer_.data(), buffer_.size());
    } while (n < 0 && errno == EINTR);
    if (n <= 0) {
      ok_ = false;
      return false;
    }
    buffer_.resize(static_cast<std::size_t>(n));
    position_ = 0;
    return true;
  }

  int fd_ = -1;
  XXH3_state_t* hash_;
  std::string buffer_;
  std::size_t position_ = 0;
  std::uint64_t remaining_ = 0;
  bool ok_ = true;
};

void ReadDirectory(Reader& r, State* state) {
  state->organizations.resize(r.Count(16));
  for (OrganizationState& o : state->organizations) {
    o.id = r.Text();
    o.version = r.Value<std::uint32_t>();
    o.organization_admins = r.Value<std::uint32_t>();
    for (std::uint64_t g = r.Count(14); g > 0 && r.ok(); --g) {
      std::string user = r.Text();
      RoleGrant grant;
      grant.role = static_cast<schema::Role>(r.Value<std::uint8_t>());
      grant.all_platforms = r.Value<std::uint8_t>() != 0;
      grant.platform_ids.resize(r.Count(4));
      for (std::string& id : grant.platform_ids) id = r.Text();
      o.grants.emplace(std::move(user), std::move(grant));
    }
  }
  state->platforms.resize(r.Count(21));
  for (PlatformState& p : state->platforms) {
    p.id = r.Text();
    p.organization = r.Value<std::uint32_t>();
    p.environment = static_cast<schema::Environment>(r.Value<std::uint8_t>());
    p.version = r.Value<std::uint32_t>();
    for (std::uint64_t b = r.Count(14); b > 0 && r.ok(); --b) {
      std::string id = r.Text();
      BankAccountState account;
      account.currency = r.Value<std::uint16_t>();
      account.balance_minor = r.Value<std::int64_t>();
      r.Expect(account.currency < CurrencyCount());
      p.bank_accounts.emplace(std::move(id), account);
    }
    r.Expect(p.organization < state->organizations.size());
  }
  state->users.resize(r.Count(16));
  for (UserState& u : state->users) {
    u.id = r.Text();
    u.version = r.Value<std::uint32_t>();
    r.Records(&u.organizations);
    for (std::uint32_t index : u.organizations) r.Expect(index < state->organizations.size());
  }
  for (auto [credentials, owners] : {std::pair{&state->api_keys, state->platforms.size()},
                                     std::pair{&state->user_tokens, state->users.size()}}) {
    for (std::uint64_t n = r.Count(41); n > 0 && r.ok(); --n) {
      std::string id = r.Text();
      CredentialState credential;
      credential.owner = r.Value<std::uint32_t>();
      r.Bytes(credential.secret_sha256.data(), credential.secret_sha256.size());
      credential.active = r.Value<std::uint8_t>() != 0;
      r.Expect(credential.owner < owners);
      credentials->emplace(std::move(id), credential);
    }
  }
}

void ReadPayments(Reader& r, State* state) {
  const auto id_count = r.Value<std::uint64_t>();
  for (std::size_t shard = 0; shard < IdTable::kShards && r.ok(); ++shard) {
    const auto size = r.Value<std::uint64_t>();
    std::vector<IdTable::Slot> slots;
    r.Records(&slots);
    r.Expect(state->withdrawal_ids.RestoreShard(shard, std::move(slots), size));
  }
  r.Expect(state->withdrawal_ids.size() == id_count);
  state->withdrawals.resize(r.Count(19));
  r.Expect(state->withdrawal_ids.size() == state->withdrawals.size());
  for (std::size_t shard = 0; shard < IdTable::kShards; ++shard) {
    for (const IdTable::Slot& slot : state->withdrawal_ids.ShardSlots(shard)) {
      r.Expect(IdTable::IsEmpty(slot) || slot.value < state->withdrawals.size());
    }
  }
  for (WithdrawalState& d : state->withdrawals) {
    d.amount_minor = r.Value<std::int64_t>();
    d.platform = r.Value<std::uint32_t>();
    d.currency = r.Value<std::uint16_t>();
    d.status = static_cast<WithdrawalStatus>(r.Value<std::uint8_t>());
    d.bank_account_id = r.Text();
    r.Expect(d.platform < state->platforms.size() && d.currency < CurrencyCount());
  }
  for (std::uint64_t n = r.Count(44); n > 0 && r.ok(); --n) {
    auto key = r.Value<std::uint64_t>();
    WalletState wallet;
    wallet.balance_minor = r.Value<std::int64_t>();
    wallet.in_transit_minor = r.Value<std::int64_t>();
    wallet.customer_funds_minor = r.Value<std::int64_t>();
    wallet.fees_minor = r.Value<std::int64_t>();
    wallet.version = r.Value<std::uint32_t>();
    state->wallets.emplace(key, wallet);
  }
}

template <typename Items>
void Reindex(const Items& items, StringMap<std::uint32_t>* index) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    index->emplace(items[i].id, static_cast<std::uint32_t>(i));
  }
}

}  // namespace

Status ReadSnapshotFile(const std::string& path, State* state, ChainPoint* position) {
  Reader r(path);
  if (!r.opened()) {
    if (errno == ENOENT) return Status::NotFound(fmt::format("no snapshot at {}", path));
    return Status::IoError(fmt::format("opening {}: {}", path, std::strerror(errno)));
  }
  char magic[4] = {};
  r.Bytes(magic, sizeof magic);
  const bool header_ok = r.Expect(std::memcmp(magic, kSnapshotMagic, sizeof magic) == 0) &&
                         r.Expect(r.Value<std::uint32_t>() == kSnapshotFormatVersion) &&
                         r.Expect(r.Value<std::uint64_t>() == CurrencyTableDigest());
  if (header_ok) {
    position->sequence = SequenceNumber{r.Value<std::uint64_t>()};
    r.Bytes(position->hash.data(), position->hash.size());
    ReadDirectory(r, state);
    ReadPayments(r, state);
  }
  if (!r.FinishChecksum()) {
    *state = State();
    return Status::Corruption(
        fmt::format("the snapshot {} is not one this build wrote whole; ignoring it", path));
  }
  Reindex(state->organizations, &state->organization_index);
  Reindex(state->platforms, &state->platform_index);
  Reindex(state->users, &state->user_index);
  state->applied_through = position->sequence;
  return Status::Ok();
}

Status ReadSnapshotPosition(int fd, ChainPoint* position) {
  // header := "LGDS" u32(format_version) u64(currency_table_digest) u64(sequence) hash[32]
  constexpr std::size_t kSequenceOffset = sizeof kSnapshotMagic + 4 + 8;
  std::array<char, kSequenceOffset + 8 + 32> header{};
  std::size_t read = 0;
  while (read < header.size()) {
    const ssize_t n =
        ::pread(fd, header.data() + read, header.size() - read, static_cast<off_t>(read));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::IoError(fmt::format("reading a snapshot: {}", std::strerror(errno)));
    if (n == 0) return Status::Corruption("the snapshot ends inside its header");
    read += static_cast<std::size_t>(n);
  }
  std::uint32_t format = 0;
  std::uint64_t digest = 0;
  std::uint64_t sequence = 0;
  std::memcpy(&format, header.data() + sizeof kSnapshotMagic, sizeof format);
  std::memcpy(&digest, header.data() + sizeof kSnapshotMagic + 4, sizeof digest);
  std::memcpy(&sequence, header.data() + kSequenceOffset, sizeof sequence);
  if (std::memcmp(header.data(), kSnapshotMagic, sizeof kSnapshotMagic) != 0 ||
      format != kSnapshotFormatVersion || digest != CurrencyTableDigest()) {
    return Status::Corruption("the snapshot's header is not one this build writes");
  }
  position->sequence = SequenceNumber{sequence};
  std::memcpy(position->hash.data(), header.data() + kSequenceOffset + 8, position->hash.size());
  return Status::Ok();
}

}  // namespace ledger::domain
