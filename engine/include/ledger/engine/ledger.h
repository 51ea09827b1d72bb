// The Ledger: the payment domain on top of the event log, the engine's one entry point for
// commands.
//
// Execute() decides each command of a batch inside the log's single writer thread (a
// WriteJob), against the domain state as it stands after every event staged before it, and
// stages the command's event in the same group commit: invariants are serializable, so two
// concurrent withdrawals can never both spend the same funds. Each command succeeds or fails
// on its own; accepted ones are acknowledged once durable.
//
// State: rebuilt on Open() from the newest snapshot file plus the log after it, written again
// every `snapshot_every_events` events and on close. After a failed write the ledger refuses
// every later command until reopened (its state may hold events that never became durable).
//
// Thread-safety: every public member may be called from any thread. Readers (Allowed, the
// credential lookups, balances) see a consistent state between two applied events.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/engine/domain/commands.h"
#include "ledger/engine/domain/permissions.h"
#include "ledger/engine/domain/principal.h"
#include "ledger/engine/domain/rejection.h"
#include "ledger/engine/log.h"
#include "ledger/engine/status.h"
#include "ledger/engine/types.h"

namespace ledger {

struct LedgerOptions {
  LogOptions log;
  /// The domain state snapshot file. Default (empty): "<log.path>/domain.snapshot".
  std::string snapshot_path;
  /// Write a snapshot after this many domain events since the last one; 0: only on close.
  /// Reopening after a crash replays at most about this many events. Default: 1 Mi events.
  std::uint64_t snapshot_every_events = 1u << 20;
  /// Orders kept in memory to decide on (with their transactions). Past it, orders not used
  /// lately whose events are durable leave memory; a command that names one loads it back
  /// from its stream in the log (docs/domain.md §10). At least 1. Default: 1 Mi orders,
  /// about 180 MiB at one to two transactions per order.
  std::size_t hot_orders_max = std::size_t{1} << 20;
  /// Logger for state changes (open, replay, snapshots). Default: spdlog's default logger.
  std::shared_ptr<spdlog::logger> logger;
};

/// One command with who sends it and how it is traced.
struct CommandRequest {
  domain::Principal principal;
  domain::Command command;
  /// Empty: no idempotency. Scope: domain::IdempotencyScopeOf(command).
  std::string idempotency_key;
  std::string correlation_id;
  std::string causation_id;
  /// Optimistic concurrency on the command's stream (the one its event goes to,
  /// docs/domain.md §3): NoStream or Exact(v) must hold there, else kWrongExpectedVersion.
  /// Checked after the domain's rules and never for a retry of a recorded command (§5, §7).
  ExpectedVersion expected = ExpectedVersion::Any();
};

struct CommandResult {
  domain::ResultCode code = domain::ResultCode::kAccepted;
  /// For rejections: a sentence naming the rule and the values.
  std::string message;
  /// For accepted commands and duplicates: the sequence of the command's (first) event.
  SequenceNumber first_sequence;
  std::uint32_t event_count = 0;
  /// For accepted commands and duplicates: the version of the command's (first) event in its
  /// stream; a later command on that stream may expect exactly this version.
  StreamVersion first_version;

  bool ok() const {
    return code == domain::ResultCode::kAccepted || code == domain::ResultCode::kDuplicate;
  }
};

/// What the server needs to authenticate a credential: never the secret, only its hash.
struct CredentialInfo {
  /// The key id or token id.
  std::string id;
  /// API keys: the key's organization, platform and environment.
  std::string organization;
  std::string platform;
  schema::Environment environment = schema::Environment::Unspecified;
  /// User tokens: the user.
  std::string user;
  Hash256 secret_sha256{};
  bool active = false;
};

/// A new secret, shown once to whoever asked for it; only `sha256` goes into a command.
struct GeneratedSecret {
  /// 64 lower-case hexadecimal characters (32 random bytes).
  std::string secret;
  Hash256 sha256{};
};

struct LedgerStats {
  /// The last log sequence folded into the domain state.
  SequenceNumber applied_through;
  /// Orders held in memory, and their transactions (LedgerOptions::hot_orders_max).
  std::uint64_t hot_orders = 0;
  std::uint64_t hot_transactions = 0;
  /// Since Open: orders loaded back from the log, and orders that left memory.
  std::uint64_t orders_loaded = 0;
  std::uint64_t orders_evicted = 0;
  /// Bytes held by the domain state's large tables (hot orders and their transactions, with
  /// their id table; withdrawals' ids).
  std::uint64_t state_bytes = 0;
  /// The sequence the newest snapshot file covers, and how many were written since Open.
  SequenceNumber snapshot_sequence;
  std::uint64_t snapshots_written = 0;
  /// The longest a snapshot held up appends (its copy of the state in the writer thread),
  /// milliseconds.
  std::uint64_t snapshot_pause_ms_max = 0;
  /// Events replayed from the log on Open (after the snapshot).
  std::uint64_t replayed_on_open = 0;
  /// Where Open's time went, milliseconds: opening the log (RocksDB, index tail), reading the
  /// snapshot, replaying the log after it.
  std::uint64_t open_log_ms = 0;
  std::uint64_t open_snapshot_ms = 0;
  std::uint64_t open_replay_ms = 0;
};

/// What Ledger::Backup wrote.
struct LedgerBackup {
  /// The log's copy (Log::Backup); its files and bytes count the snapshot's too.
  LogBackup log;
  /// The sequence the domain snapshot in the backup covers; 0 when it holds none (an open of
  /// the backup then replays the whole log).
  SequenceNumber snapshot_sequence;
};

class Ledger {
 public:
  /// Opens the log, loads the newest usable snapshot and replays the log after it.
  static Result<std::unique_ptr<Ledger>> Open(LedgerOptions options);
  /// Waits for queued commands, writes a snapshot, closes the log.
  ~Ledger();
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  /// Decides and appends a batch (at most limits::kBatchCommandsMax commands) and blocks
  /// until it is durable. One result per command; a non-ok Status means nothing of the batch
  /// is acknowledged (storage failed, overloaded, shutting down, batch too large).
  Result<std::vector<CommandResult>> Execute(std::vector<CommandRequest> batch);
  using ExecuteCallback = std::function<void(Status, std::vector<CommandResult>)>;
  /// The same, without blocking: `done` runs on the log's commit thread.
  void ExecuteAsync(std::vector<CommandRequest> batch, ExecuteCallback done);

  /// The log, for reads (streams, ranges, subscriptions, verify). Writes go through Execute
  /// (domain commands) and AppendOpaque (opaque events on other streams).
  const Log& log() const;

  /// Appends opaque events (EventType Opaque, e.g. an embedder's own records) through the
  /// log, with the log's expected versions and idempotency. The whole batch is refused with
  /// kInvalidArgument, nothing written, when an event is of another type or names a domain
  /// stream (domain::IsDomainStream): those only the domain writes.
  Result<std::vector<AppendResult>> AppendOpaque(std::vector<AppendRequest> batch);
  /// The same, without blocking: `done` runs on the log's commit thread (or at once, on the
  /// caller's thread, when the batch is refused).
  void AppendOpaqueAsync(std::vector<AppendRequest> batch, Log::AppendCallback done);

  /// domain::Allowed() evaluated against current state: the principal must be an active
  /// credential, the target's platform (if any) must exist in target.organization (its
  /// environment then comes from the platform), and the user's grant is looked up.
  bool Allowed(const domain::Principal& principal, domain::Action action,
               const domain::Target& target) const;
  std::optional<CredentialInfo> FindApiKey(std::string_view key_id) const;
  std::optional<CredentialInfo> FindUserToken(std::string_view token_id) const;
  /// The environment of `platform_id` when it is a platform of `organization_id`.
  std::optional<schema::Environment> PlatformEnvironment(std::string_view organization_id,
                                                         std::string_view platform_id) const;
  /// The user's role in the organization, if any.
  std::optional<domain::RoleGrant> FindGrant(std::string_view organization_id,
                                             std::string_view user_id) const;
  /// The platform's available wallet balance in `currency` (0 when nothing moved yet).
  std::optional<std::int64_t> AvailableBalance(std::string_view platform_id,
                                               std::string_view currency) const;

  /// Writes a snapshot now (after every command queued before this call) and waits for it.
  Status WriteSnapshot();
  /// Writes a backup into `log_path` while commands go on: the log's copy (Log::Backup, same
  /// rules for `log_path`) and, as `<log_path>/domain.snapshot`, the newest snapshot published
  /// before the copy began, so that Open on `log_path` replays only the events after it.
  Result<LedgerBackup> Backup(const std::string& log_path) const;
  LedgerStats Stats() const;

  /// 32 random bytes from OpenSSL's RAND_bytes, hex-encoded, with their SHA-256.
  static Result<GeneratedSecret> GenerateSecret();
  /// SHA-256 of a secret's text: what key and token commands carry, what the server compares.
  static Hash256 HashSecret(std::string_view secret);

  struct Impl;

 private:
  explicit Ledger(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ledger
