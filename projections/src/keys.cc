#include "keys.h"

#include "encoding.h"

namespace ledger::projections::internal::keys {
namespace {

std::string Tagged(char tag, std::string_view field) {
  std::string key(1, tag);
  PutField(&key, field);
  return key;
}

std::string ScopePrefix(char tag, schema::Environment environment, std::string_view organization,
                        std::string_view platform) {
  std::string key(1, tag);
  key.push_back(static_cast<char>(environment));
  PutField(&key, organization);
  PutField(&key, platform);
  return key;
}

void Scope(std::string* out, char tag, schema::Environment environment,
           std::string_view organization, std::string_view platform) {
  out->clear();
  out->push_back(tag);
  out->push_back(static_cast<char>(environment));
  PutField(out, organization);
  PutField(out, platform);
}

}  // namespace

void SummaryKey(std::string* out, schema::Environment environment, std::string_view organization,
                std::string_view platform, std::string_view currency) {
  Scope(out, kSummary, environment, organization, platform);
  PutField(out, currency);
}

void DailyKey(std::string* out, schema::Environment environment, std::string_view organization,
              std::string_view platform, std::int64_t day, std::string_view currency) {
  Scope(out, kDaily, environment, organization, platform);
  PutBe32(out, DayField(day));
  PutField(out, currency);
}

void OrderKey(std::string* out, std::string_view platform, std::string_view order) {
  out->assign(1, kOrder);
  PutField(out, platform);
  PutField(out, order);
}

void PlatformPrefixKey(std::string* out, char tag, std::string_view platform) {
  out->assign(1, tag);
  PutField(out, platform);
}

void BalanceKey(std::string* out, schema::Environment environment, std::string_view organization,
                std::string_view currency, std::string_view account) {
  out->assign(1, kBalance);
  out->push_back(static_cast<char>(environment));
  PutField(out, organization);
  PutField(out, currency);
  PutField(out, account);
}

void HistoryPrefixKey(std::string* out, std::string_view account, std::string_view currency) {
  out->assign(1, kHistory);
  PutField(out, account);
  PutField(out, currency);
}

void ActivityPrefixKey(std::string* out, std::string_view organization, std::string_view actor) {
  out->assign(1, kActivity);
  PutField(out, organization);
  PutField(out, actor);
}

std::string Checkpoint(ProjectionId id) {
  std::string key = "checkpoint";
  key.push_back(static_cast<char>(id));
  return key;
}

std::string Organization(std::string_view organization) {
  return Tagged(kOrganization, organization);
}
std::string Platform(std::string_view platform) { return Tagged(kPlatform, platform); }

std::string MembershipPrefix(std::string_view organization, schema::Environment environment) {
  std::string key = Tagged(kMembership, organization);
  key.push_back(static_cast<char>(environment));
  return key;
}

std::string Membership(std::string_view organization, schema::Environment environment,
                       std::string_view platform) {
  std::string key = MembershipPrefix(organization, environment);
  PutField(&key, platform);
  return key;
}

std::string Time(std::int64_t time_us) {
  std::string key(1, kTime);
  // Recorded times are after 1970; a negative one (a test clock) still sorts first.
  PutBe64(&key, static_cast<std::uint64_t>(time_us) ^ (std::uint64_t{1} << 63));
  return key;
}

std::string SummaryPrefix(schema::Environment environment, std::string_view organization,
                          std::string_view platform) {
  return ScopePrefix(kSummary, environment, organization, platform);
}

std::string DailyPrefix(schema::Environment environment, std::string_view organization,
                        std::string_view platform) {
  return ScopePrefix(kDaily, environment, organization, platform);
}

std::uint32_t DayField(std::int64_t day) {
  return static_cast<std::uint32_t>(static_cast<std::uint64_t>(day + (std::int64_t{1} << 31)));
}

std::int64_t DayOfField(std::uint32_t field) {
  return static_cast<std::int64_t>(field) - (std::int64_t{1} << 31);
}

std::string Order(std::string_view platform, std::string_view order) {
  std::string key = Tagged(kOrder, platform);
  PutField(&key, order);
  return key;
}

std::string PlatformPrefix(char tag, std::string_view platform) { return Tagged(tag, platform); }

std::string OrderStatusPrefix(std::string_view platform, OrderStatus status) {
  std::string key = Tagged(kOrderStatus, platform);
  key.push_back(static_cast<char>(status));
  return key;
}

std::string OrderReferencePrefix(std::string_view platform, std::string_view reference) {
  std::string key = Tagged(kOrderReference, platform);
  PutField(&key, reference);
  return key;
}

std::string Withdrawal(std::string_view platform, std::string_view withdrawal) {
  std::string key = Tagged(kWithdrawal, platform);
  PutField(&key, withdrawal);
  return key;
}

std::string BalancePrefix(schema::Environment environment, std::string_view organization) {
  std::string key(1, kBalance);
  key.push_back(static_cast<char>(environment));
  PutField(&key, organization);
  return key;
}

std::string HistoryPrefix(std::string_view account, std::string_view currency) {
  std::string key = Tagged(kHistory, account);
  PutField(&key, currency);
  return key;
}

std::string ActivityPrefix(std::string_view organization, std::string_view actor) {
  std::string key = Tagged(kActivity, organization);
  PutField(&key, actor);
  return key;
}

std::string RoleChangePrefix(std::string_view organization) {
  return Tagged(kRoleChange, organization);
}

std::string WithSequence(std::string prefix, SequenceNumber sequence) {
  PutBe64(&prefix, sequence.value);
  return prefix;
}

SequenceNumber SequenceOfKey(std::string_view key) {
  return SequenceNumber{GetBe64(key.data() + key.size() - 8)};
}

bool ConsumeField(std::string_view* rest, std::string_view* field) {
  std::uint64_t size = 0;
  std::size_t used = 0;
  for (int shift = 0; shift <= 63; shift += 7) {
    if (used >= rest->size()) return false;
    const auto byte = static_cast<std::uint8_t>((*rest)[used++]);
    size |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      if (size > rest->size() - used) return false;
      *field = rest->substr(used, size);
      rest->remove_prefix(used + size);
      return true;
    }
  }
  return false;
}

}  // namespace ledger::projections::internal::keys
