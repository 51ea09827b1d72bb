// The accounting projection: the journal of postings ('j'), each account's balance now
// ('b', the trial balance) and after every posting that moved it ('h', for balances as of
// any past sequence), and its own time index.
//
// Invariant: for each (environment, organization, currency) the 'b' balances sum to zero,
// because every posting adds its amount to one account and takes it from another.
#include <fmt/format.h>

#include "encoding.h"
#include "keys.h"
#include "ledger/engine/domain/money.h"
#include "ledger/engine/domain/postings.h"
#include "ledger/limits.h"
#include "paged_index.h"
#include "projection.h"
#include "rows.h"
#include "time_index.h"

namespace ledger::projections::internal {
namespace {

// The journal and history keys end with the event's sequence: one posting per event.
// An event with more postings needs an index in those keys (and a new layout version).
static_assert(domain::PostingList::kPostingsPerEventMax == 1);

/// The id a posting's source event names, and the order for operations.
void SourceOf(const domain::Event& event, JournalEntry* entry) {
  if (const auto* op = std::get_if<domain::OperationRecorded>(&event)) {
    entry->source_id = op->operation_id;
    entry->order_id = op->order_id;
  } else if (const auto* requested = std::get_if<domain::WithdrawalRequested>(&event)) {
    entry->source_id = requested->withdrawal_id;
  } else if (const auto* settled = std::get_if<domain::WithdrawalSettled>(&event)) {
    entry->source_id = settled->withdrawal_id;
  } else if (const auto* failed = std::get_if<domain::WithdrawalFailed>(&event)) {
    entry->source_id = failed->withdrawal_id;
  }
}

class AccountingProjection final : public Projection {
 public:
  static constexpr std::uint32_t kLayoutVersion = 2;

  explicit AccountingProjection(ViewStore& store)
      : Projection(store, ProjectionId::kAccounting),
        time_index_(store, ProjectionId::kAccounting),
        pages_(store, ProjectionId::kAccounting),
        balances_(limits::kProjectionCachedRowsMax) {}

  std::uint32_t layout_version() const override { return kLayoutVersion; }

  Status Apply(const EventContext& event, RowBatch* batch) override {
    Status status = time_index_.Record(event.recorded_at_us, event.sequence, batch);
    if (!status.ok() || event.event == nullptr) return status;
    for (const domain::Posting& posting : domain::PostingsOf(*event.event)) {
      JournalEntry entry;
      entry.recorded_at_us = event.recorded_at_us;
      entry.source_type = event.type;
      SourceOf(*event.event, &entry);
      entry.debit_account = posting.to.Name();
      entry.credit_account = posting.from.Name();
      entry.amount_minor = posting.amount_minor;
      entry.currency = std::string(posting.currency);
      keys::PlatformPrefixKey(&prefix_, keys::kJournal, posting.from.platform);
      entry_.clear();
      EncodeJournal(entry, &entry_);
      status = pages_.Append(prefix_, event.sequence, entry_, batch);
      if (status.ok()) {
        status = Move(event, entry.credit_account, entry.currency, -posting.amount_minor, batch);
      }
      if (status.ok()) {
        status = Move(event, entry.debit_account, entry.currency, posting.amount_minor, batch);
      }
      if (!status.ok()) return status;
    }
    return Status::Ok();
  }

  Status Flush(RowBatch* batch) override {
    time_index_.Flush(batch);
    pages_.Flush(batch);
    balances_.ForEachDirty([&](const std::string& key, std::int64_t& balance) {
      Put(batch, key, EncodeBalance(balance));
    });
    return Status::Ok();
  }

  void Committed() override {
    pages_.Committed();
    balances_.Committed();
  }

  void Reset() override {
    time_index_.Reset();
    pages_.Reset();
    balances_.Clear();
  }

 private:
  /// Adds `delta` to the account's balance and records the balance after this event.
  Status Move(const EventContext& event, const std::string& account, const std::string& currency,
              std::int64_t delta, RowBatch* batch) {
    keys::BalanceKey(&key_, event.environment, event.organization, currency, account);
    auto found = balances_.Find(key_, [this](std::string_view k, std::int64_t* balance) {
      return LoadRow(k, balance, DecodeBalance);
    });
    if (!found.ok()) return found.status();
    RowCache<std::int64_t>::Slot* slot = *found;
    if (slot == nullptr) slot = balances_.Insert(key_, 0);
    std::int64_t& balance = slot->second.row;
    if (!domain::CheckedAdd(balance, delta, &balance)) {
      return Status::Corruption(
          fmt::format("the balance of {} in {} leaves the int64 range at "
                      "sequence {}",
                      account, currency, event.sequence.value));
    }
    balances_.MarkDirty(slot);
    keys::HistoryPrefixKey(&prefix_, account, currency);
    entry_.clear();
    EncodeBalance(balance, &entry_);
    return pages_.Append(prefix_, event.sequence, entry_, batch);
  }

  TimeIndexWriter time_index_;
  /// The journal ('j') and the balance history ('h').
  PageWriter pages_;
  RowCache<std::int64_t> balances_;
  /// Buffers reused from event to event.
  std::string key_;
  std::string prefix_;
  std::string entry_;
};

}  // namespace

std::unique_ptr<Projection> MakeAccountingProjection(ViewStore& store) {
  return std::make_unique<AccountingProjection>(store);
}

}  // namespace ledger::projections::internal
