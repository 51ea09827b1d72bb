// The directory projection: organizations, platforms, and which platforms each
// organization has in each environment. Queries resolve their scope against it.
#include <type_traits>

#include "keys.h"
#include "projection.h"
#include "rows.h"

namespace ledger::projections::internal {
namespace {

class DirectoryProjection final : public Projection {
 public:
  static constexpr std::uint32_t kLayoutVersion = 1;

  explicit DirectoryProjection(ViewStore& store) : Projection(store, ProjectionId::kDirectory) {}

  std::uint32_t layout_version() const override { return kLayoutVersion; }

  Status Apply(const EventContext& event, RowBatch* batch) override {
    if (event.event == nullptr) return Status::Ok();
    if (const auto* created = std::get_if<domain::OrganizationCreated>(event.event)) {
      Put(batch, keys::Organization(created->organization_id),
          EncodeOrganization(OrganizationRow{created->name, event.sequence}));
    } else if (const auto* platform = std::get_if<domain::PlatformCreated>(event.event)) {
      Put(batch, keys::Platform(platform->platform_id),
          EncodePlatform(PlatformRow{platform->environment, platform->organization_id,
                                     platform->name, event.sequence}));
      Put(batch,
          keys::Membership(platform->organization_id, platform->environment, platform->platform_id),
          {});
    }
    return Status::Ok();
  }
};

}  // namespace

std::unique_ptr<Projection> MakeDirectoryProjection(ViewStore& store) {
  return std::make_unique<DirectoryProjection>(store);
}

}  // namespace ledger::projections::internal
