// The keys of the views database: one RocksDB instance, a column family per projection and
// `default` for the checkpoints. Strings are `field`s and numbers big-endian (encoding.h),
// so keys sort by their parts, and every index keyed by a sequence lists in log order.
// "page" rows hold up to limits::kViewPageEntriesMax entries of an append-only index, keyed
// by the sequence of their first entry (paged_index.h); each entry is listed after "→".
//
//   default     "checkpoint" u8:projection          → Checkpoint (store.h)
//   directory   'o' field:org                       → OrganizationRow
//               'p' field:platform                  → PlatformRow
//               'm' field:org u8:env field:platform → ""  the organization's platforms
//   payments    't' be64:time                       → TimeRow  (time_index.h)
//               's' u8:env field:org field:platform field:currency  → FiguresRow
//               'd' u8:env field:org field:platform be32:day field:currency → DailyRow
//                   (platform "" holds the organization's sums over its platforms)
//               'o' field:platform field:order      → OrderRow
//               'l' field:platform be64:first       page → order id      orders by creation
//               'q' field:platform u8:status be64:seq → order id  by status, creation seq
//               'r' field:platform field:reference be64:seq → order id  by reference
//               'x' field:platform be64:first       page → OperationRow  operations
//               'w' field:platform field:withdrawal → WithdrawalRow
//               'v' field:platform be64:first       page → withdrawal id  by request
//   accounting  't' be64:time                       → TimeRow
//               'j' field:platform be64:first       page → JournalRow
//               'b' u8:env field:org field:currency field:account → svarint balance now
//               'h' field:account field:currency be64:first page → svarint balance after
//   audit       'a' field:org field:actor be64:first page → ActivityRow
//               'g' field:org be64:seq              → RoleChangeRow
//
// `day` is days since 1970-01-01 (UTC) plus 2^31, so earlier days sort first.
// Index rows point at rows or name ids; none copies an event (the log keeps those).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/engine/types.h"
#include "ledger/projections/types.h"
#include "ledger/schema/common_generated.h"

namespace ledger::projections::internal::keys {

inline constexpr char kOrganization = 'o';
inline constexpr char kPlatform = 'p';
inline constexpr char kMembership = 'm';
inline constexpr char kTime = 't';
inline constexpr char kSummary = 's';
inline constexpr char kDaily = 'd';
inline constexpr char kOrder = 'o';
inline constexpr char kOrderList = 'l';
inline constexpr char kOrderStatus = 'q';
inline constexpr char kOrderReference = 'r';
inline constexpr char kOperation = 'x';
inline constexpr char kWithdrawal = 'w';
inline constexpr char kWithdrawalList = 'v';
inline constexpr char kJournal = 'j';
inline constexpr char kBalance = 'b';
inline constexpr char kHistory = 'h';
inline constexpr char kActivity = 'a';
inline constexpr char kRoleChange = 'g';

std::string Checkpoint(ProjectionId id);

std::string Organization(std::string_view organization);
std::string Platform(std::string_view platform);
std::string MembershipPrefix(std::string_view organization, schema::Environment environment);
std::string Membership(std::string_view organization, schema::Environment environment,
                       std::string_view platform);

std::string Time(std::int64_t time_us);

// Hot paths build keys into a caller's buffer (cleared first), which keeps its capacity.
void SummaryKey(std::string* out, schema::Environment environment, std::string_view organization,
                std::string_view platform, std::string_view currency);
void DailyKey(std::string* out, schema::Environment environment, std::string_view organization,
              std::string_view platform, std::int64_t day, std::string_view currency);
void OrderKey(std::string* out, std::string_view platform, std::string_view order);
void PlatformPrefixKey(std::string* out, char tag, std::string_view platform);
void BalanceKey(std::string* out, schema::Environment environment, std::string_view organization,
                std::string_view currency, std::string_view account);
void HistoryPrefixKey(std::string* out, std::string_view account, std::string_view currency);
void ActivityPrefixKey(std::string* out, std::string_view organization, std::string_view actor);

/// `platform` empty: the organization's row.
std::string SummaryPrefix(schema::Environment environment, std::string_view organization,
                          std::string_view platform);
std::string DailyPrefix(schema::Environment environment, std::string_view organization,
                        std::string_view platform);
std::uint32_t DayField(std::int64_t day);
std::int64_t DayOfField(std::uint32_t field);

std::string Order(std::string_view platform, std::string_view order);
/// tag ‖ field:platform: the prefix of the 'l', 'x', 'v' and 'j' indexes.
std::string PlatformPrefix(char tag, std::string_view platform);
std::string OrderStatusPrefix(std::string_view platform, OrderStatus status);
std::string OrderReferencePrefix(std::string_view platform, std::string_view reference);
std::string Withdrawal(std::string_view platform, std::string_view withdrawal);

std::string BalancePrefix(schema::Environment environment, std::string_view organization);
std::string HistoryPrefix(std::string_view account, std::string_view currency);

std::string ActivityPrefix(std::string_view organization, std::string_view actor);
std::string RoleChangePrefix(std::string_view organization);

/// prefix ‖ be64:sequence.
std::string WithSequence(std::string prefix, SequenceNumber sequence);
/// The sequence that ends a key made by WithSequence (REQUIRES: key.size() >= 8).
SequenceNumber SequenceOfKey(std::string_view key);

/// Reads one field from the front of `*rest`; false when it is malformed.
bool ConsumeField(std::string_view* rest, std::string_view* field);

}  // namespace ledger::projections::internal::keys
