// The audit projection: every event under its organization and actor ('a'), and every
// role change under its organization ('g').
#include "keys.h"
#include "paged_index.h"
#include "projection.h"
#include "rows.h"

namespace ledger::projections::internal {
namespace {

class AuditProjection final : public Projection {
 public:
  static constexpr std::uint32_t kLayoutVersion = 2;

  explicit AuditProjection(ViewStore& store)
      : Projection(store, ProjectionId::kAudit), pages_(store, ProjectionId::kAudit) {}

  std::uint32_t layout_version() const override { return kLayoutVersion; }

  Status Apply(const EventContext& event, RowBatch* batch) override {
    keys::ActivityPrefixKey(&prefix_, event.organization, event.actor);
    entry_.clear();
    EncodeActivity(event.environment, event.type, event.recorded_at_us, event.stream,
                   event.platform, &entry_);
    Status status = pages_.Append(prefix_, event.sequence, entry_, batch);
    if (!status.ok() || event.event == nullptr) return status;
    if (const auto* granted = std::get_if<domain::RoleGranted>(event.event)) {
      RoleChange change = Change(event, granted->user_id, true, granted->role);
      change.all_platforms = granted->all_platforms;
      change.platform_ids = granted->platform_ids;
      PutChange(event, granted->organization_id, change, batch);
    } else if (const auto* revoked = std::get_if<domain::RoleRevoked>(event.event)) {
      PutChange(event, revoked->organization_id,
                Change(event, revoked->user_id, false, revoked->role), batch);
    }
    return Status::Ok();
  }

  Status Flush(RowBatch* batch) override {
    pages_.Flush(batch);
    return Status::Ok();
  }
  void Committed() override { pages_.Committed(); }
  void Reset() override { pages_.Reset(); }

 private:
  static RoleChange Change(const EventContext& event, const std::string& user, bool granted,
                           schema::Role role) {
    RoleChange change;
    change.recorded_at_us = event.recorded_at_us;
    change.actor = std::string(event.actor);
    change.user_id = user;
    change.granted = granted;
    change.role = role;
    return change;
  }

  void PutChange(const EventContext& event, const std::string& organization,
                 const RoleChange& change, RowBatch* batch) const {
    Put(batch, keys::WithSequence(keys::RoleChangePrefix(organization), event.sequence),
        EncodeRoleChange(change));
  }

  /// Activity ('a').
  PageWriter pages_;
  /// Buffers reused from event to event.
  std::string prefix_;
  std::string entry_;
};

}  // namespace

std::unique_ptr<Projection> MakeAuditProjection(ViewStore& store) {
  return std::make_unique<AuditProjection>(store);
}

}  // namespace ledger::projections::internal
