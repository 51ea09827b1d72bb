// Codecs of the directory, accounting and audit rows (grammar in rows.h).
#include "encoding.h"
#include "rows.h"

namespace ledger::projections::internal {

std::string EncodeTime(const TimeRow& row) {
  std::string out;
  RowWriter(&out).Varint(row.first.value).Varint(row.last.value);
  return out;
}

bool DecodeTime(std::string_view row, TimeRow* out) {
  RowReader r(row);
  out->first = SequenceNumber{r.Varint()};
  out->last = SequenceNumber{r.Varint()};
  return r.Finished();
}

void EncodeJournal(const JournalEntry& e, std::string* out) {
  RowWriter w(out);
  w.Signed(e.recorded_at_us).Varint(static_cast<std::uint64_t>(e.source_type));
  w.Text(e.source_id).Text(e.order_id).Text(e.debit_account).Text(e.credit_account);
  w.Signed(e.amount_minor).Text(e.currency);
}

bool DecodeJournal(std::string_view row, JournalEntry* e) {
  RowReader r(row);
  e->recorded_at_us = r.Signed();
  e->source_type = static_cast<schema::EventType>(r.Varint());
  e->source_id = r.Text();
  e->order_id = r.Text();
  e->debit_account = r.Text();
  e->credit_account = r.Text();
  e->amount_minor = r.Signed();
  e->currency = r.Text();
  return r.Finished();
}

std::string EncodeBalance(std::int64_t balance_minor) {
  std::string row;
  EncodeBalance(balance_minor, &row);
  return row;
}

void EncodeBalance(std::int64_t balance_minor, std::string* out) {
  RowWriter(out).Signed(balance_minor);
}

bool DecodeBalance(std::string_view row, std::int64_t* balance_minor) {
  RowReader r(row);
  *balance_minor = r.Signed();
  return r.Finished();
}

std::string EncodeOrganization(const OrganizationRow& row) {
  std::string out;
  RowWriter(&out).Text(row.name).Varint(row.created_sequence.value);
  return out;
}

bool DecodeOrganization(std::string_view row, OrganizationRow* out) {
  RowReader r(row);
  out->name = r.Text();
  out->created_sequence = SequenceNumber{r.Varint()};
  return r.Finished();
}

std::string EncodePlatform(const PlatformRow& row) {
  std::string out;
  RowWriter(&out)
      .U8(static_cast<std::uint8_t>(row.environment))
      .Text(row.organization_id)
      .Text(row.name)
      .Varint(row.created_sequence.value);
  return out;
}

bool DecodePlatform(std::string_view row, PlatformRow* out) {
  RowReader r(row);
  out->environment = static_cast<schema::Environment>(r.U8());
  out->organization_id = r.Text();
  out->name = r.Text();
  out->created_sequence = SequenceNumber{r.Varint()};
  return r.Finished();
}

void EncodeActivity(schema::Environment environment, schema::EventType type,
                    std::int64_t recorded_at_us, std::string_view stream, std::string_view platform,
                    std::string* out) {
  RowWriter(out)
      .U8(static_cast<std::uint8_t>(environment))
      .Varint(static_cast<std::uint64_t>(type))
      .Signed(recorded_at_us)
      .Text(stream)
      .Text(platform);
}

bool DecodeActivity(std::string_view row, ActivityEntry* e) {
  RowReader r(row);
  e->environment = static_cast<schema::Environment>(r.U8());
  e->type = static_cast<schema::EventType>(r.Varint());
  e->recorded_at_us = r.Signed();
  e->stream = r.Text();
  e->platform_id = r.Text();
  return r.Finished();
}

std::string EncodeRoleChange(const RoleChange& c) {
  std::string row;
  RowWriter w(&row);
  w.Signed(c.recorded_at_us).Text(c.actor).Text(c.user_id);
  w.U8(c.granted ? 1 : 0).U8(static_cast<std::uint8_t>(c.role)).U8(c.all_platforms ? 1 : 0);
  w.Varint(c.platform_ids.size());
  for (const std::string& platform : c.platform_ids) w.Text(platform);
  return row;
}

bool DecodeRoleChange(std::string_view row, RoleChange* c) {
  RowReader r(row);
  c->recorded_at_us = r.Signed();
  c->actor = r.Text();
  c->user_id = r.Text();
  c->granted = r.U8() != 0;
  c->role = static_cast<schema::Role>(r.U8());
  c->all_platforms = r.U8() != 0;
  const std::uint64_t platforms = r.Varint();
  c->platform_ids.clear();
  for (std::uint64_t i = 0; i < platforms && r.ok(); ++i) c->platform_ids.push_back(r.Text());
  return r.Finished();
}

}  // namespace ledger::projections::internal
