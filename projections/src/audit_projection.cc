// The audit projection: every event under its organization and actor ('a'), and every
// role change under its organization ('g').
#include "keys.h"
#include "projection.h"
#include "rows.h"

namespace ledger::projections::internal {
namespace {

class AuditProjection final : public Projection {
 public:
  static constexpr std::uint32_t kLayoutVersion = 1;

  explicit AuditProjection(ViewStore& store) : Projection(store, ProjectionId::kAudit) {}

  std::uint32_t layout_version() const override { return kLayoutVersion; }

  Status Apply(const EventContext& event, rocksdb::WriteBatch* batch) override {
    ActivityEntry entry;
    entry.environment = event.environment;
    entry.type = event.type;
    entry.recorded_at_us = event.recorded_at_us;
    entry.stream = std::string(event.stream);
    entry.platform_id = std::string(event.platform);
    Put(batch,
        keys::WithSequence(keys::ActivityPrefix(event.organization, event.actor), event.sequence),
        EncodeActivity(entry));
    if (event.event == nullptr) return Status::Ok();
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
                 const RoleChange& change, rocksdb::WriteBatch* batch) const {
    Put(batch, keys::WithSequence(keys::RoleChangePrefix(organization), event.sequence),
        EncodeRoleChange(change));
  }
};

}  // namespace

std::unique_ptr<Projection> MakeAuditProjection(ViewStore& store) {
  return std::make_unique<AuditProjection>(store);
}

}  // namespace ledger::projections::internal
