// What the audit views answer: who did what and when (activity by actor), and how roles in
// an organization changed over time. Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ledger/engine/types.h"
#include "ledger/projections/types.h"
#include "ledger/schema/common_generated.h"

namespace ledger::projections {

struct ActivityEntry {
  SequenceNumber sequence;
  std::int64_t recorded_at_us = 0;
  /// Unspecified for organization-level events (role changes), which concern both.
  schema::Environment environment = schema::Environment::Unspecified;
  std::string actor;
  schema::EventType type = schema::EventType::Opaque;
  /// The event's stream: which order, wallet, platform, organization or user it touched.
  std::string stream;
  std::string platform_id;
  bool operator==(const ActivityEntry&) const = default;
};

struct ActivityFilter {
  /// Empty: events outside any organization (users, their tokens).
  std::string organization_id;
  /// "root", "user:<id>" or "key:<id>".
  std::string actor;
  /// Unspecified: every environment. Otherwise that environment's events and the
  /// organization-level ones.
  schema::Environment environment = schema::Environment::Unspecified;
  /// Recorded in [from_us, to_us) (microseconds since the epoch, UTC); unset: unbounded.
  std::optional<std::int64_t> from_us, to_us;
  std::string cursor;
  std::size_t limit = 0;
};

struct ActivityPage {
  SequenceNumber as_of;
  /// Newest first.
  std::vector<ActivityEntry> entries;
  std::string next_cursor;
};

struct RoleChange {
  SequenceNumber sequence;
  std::int64_t recorded_at_us = 0;
  /// Who made the change.
  std::string actor;
  std::string user_id;
  /// True for a grant (which replaces any previous role), false for a revocation.
  bool granted = false;
  /// The role granted, or the one revoked.
  schema::Role role = schema::Role::Unspecified;
  bool all_platforms = false;
  std::vector<std::string> platform_ids;
  bool operator==(const RoleChange&) const = default;
};

struct RoleHistoryFilter {
  std::string organization_id;
  /// Empty: every user.
  std::string user_id;
  std::string cursor;
  std::size_t limit = 0;
};

struct RoleHistory {
  SequenceNumber as_of;
  std::string organization_id;
  /// Oldest first.
  std::vector<RoleChange> changes;
  std::string next_cursor;
};

}  // namespace ledger::projections
