// What every query does before it reads: wait for min_sequence, take a snapshot, resolve
// its scope against the directory, bound its page, decode its cursor. And the merged scan
// that lists sequence-keyed rows of several platforms as one list in log order.
//
// A cursor is "c" followed by the decimal sequence where the next page resumes (inclusive),
// so it stays valid while new rows arrive. Thread-safety: a ReadView, ResolvedScope or
// SequenceScan is used by one thread (its query).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/engine/status.h"
#include "ledger/engine/types.h"
#include "ledger/projections/types.h"
#include "paged_index.h"
#include "store.h"
#include "time_index.h"

namespace ledger::projections::internal {

/// A scope checked against the directory.
struct ResolvedScope {
  Scope scope;
  /// The platform's name, or the organization's.
  std::string name;
  /// The scope's platforms, sorted (one for a platform scope).
  std::vector<std::string> platforms;
};

enum class ScopeShape : std::uint8_t { kPlatform, kOrganization, kEither };

/// kInvalidArgument for a malformed scope or the wrong shape, kNotFound when the
/// organization or platform does not exist in that environment.
Result<ResolvedScope> ResolveScope(const ReadView& view, const Scope& scope, ScopeShape shape);

/// Waits for min_sequence on the projections a query reads.
Status AwaitProjections(const ViewStore& store, std::initializer_list<ProjectionId> ids,
                        const QueryOptions& options);

/// The query's page size: limits::kPageRowsDefault for 0, at most limits::kPageRowsMax.
std::size_t PageLimit(std::size_t requested);
std::string EncodeCursor(SequenceNumber resume_at);
/// nullopt for an empty cursor; kInvalidArgument for a malformed one.
Result<std::optional<SequenceNumber>> DecodeCursor(std::string_view cursor);

/// The checkpoint a query reports as its as_of.
Result<ChainPoint> AsOf(const ReadView& view, ProjectionId id);

/// The sequences a page may list: those recorded in [from_us, to_us) up to `as_of`, from
/// the cursor on (down from it when `newest_first`).
Result<SequenceRange> PageRange(const ReadView& view, ProjectionId family,
                                std::optional<std::int64_t> from_us,
                                std::optional<std::int64_t> to_us, SequenceNumber as_of,
                                std::string_view cursor, bool newest_first);

/// Entries of several cursors (one per platform, say) merged into one list in log order,
/// or newest first.
class SequenceScan {
 public:
  SequenceScan(std::vector<std::unique_ptr<EntryCursor>> sources, bool newest_first);

  bool Valid() const { return !heap_.empty(); }
  SequenceNumber sequence() const { return heap_.top().sequence; }
  /// Index of the cursor the current entry came from.
  std::size_t source() const { return heap_.top().source; }
  std::string_view value() const { return sources_[source()]->entry(); }
  void Next();
  Status status() const;

 private:
  struct Head {
    SequenceNumber sequence;
    std::size_t source;
  };
  struct Later {
    bool newest_first;
    bool operator()(const Head& a, const Head& b) const {
      return newest_first ? a.sequence < b.sequence : a.sequence > b.sequence;
    }
  };
  void PushIfValid(std::size_t source);

  std::vector<std::unique_ptr<EntryCursor>> sources_;
  std::priority_queue<Head, std::vector<Head>, Later> heap_;
};

/// One page cursor per prefix.
std::vector<std::unique_ptr<EntryCursor>> PageCursors(const ReadView& view, ProjectionId family,
                                                      const std::vector<std::string>& prefixes,
                                                      const SequenceRange& range,
                                                      bool newest_first);

}  // namespace ledger::projections::internal
