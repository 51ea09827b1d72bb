#include "commands_queries.h"

#include <charconv>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <future>
#include <iostream>
#include <memory>
#include <optional>
#include <string_view>

namespace ledger::ctl {

std::optional<std::int64_t> ParseTime(const std::string& text) {
  if (text.empty()) return 0;
  if (text.find_first_not_of("0123456789", text[0] == '-' ? 1 : 0) == std::string::npos) {
    std::int64_t micros = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), micros);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return micros;
  }
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &year, &month, &day, &consumed) != 3) {
    return std::nullopt;
  }
  std::string_view rest = std::string_view(text).substr(static_cast<std::size_t>(consumed));
  std::int64_t fraction_us = 0;
  if (!rest.empty()) {
    int time_consumed = 0;
    if (std::sscanf(rest.data(), "T%2d:%2d:%2d%n", &hour, &minute, &second, &time_consumed) != 3) {
      return std::nullopt;
    }
    rest.remove_prefix(static_cast<std::size_t>(time_consumed));
    if (!rest.empty() && rest.front() == '.') {
      rest.remove_prefix(1);
      std::size_t digits = 0;
      while (digits < rest.size() && digits < 6 && rest[digits] >= '0' && rest[digits] <= '9') {
        fraction_us = fraction_us * 10 + (rest[digits] - '0');
        ++digits;
      }
      if (digits == 0) return std::nullopt;
      for (std::size_t i = digits; i < 6; ++i) fraction_us *= 10;
      rest.remove_prefix(digits);
    }
    if (rest == "Z") rest = {};
    if (!rest.empty()) return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<std::int64_t>(timegm(&tm)) * 1'000'000 + fraction_us;
}

const CLI::Validator kTimeText = CLI::Validator(
    [](std::string& text) {
      return ParseTime(text).has_value()
                 ? std::string()
                 : "'" + text +
                       "' is not a date (2025-11-21), a UTC time "
                       "(2025-11-21T13:00:00.123456Z) or microseconds since the epoch";
    },
    "TIME");

namespace {

namespace p = protocol;
using nlohmann::json;

struct QueryOptions {
  std::string organization, platform, order, status, reference, account, currency, actor, user,
      cursor, from, to, at_time;
  std::uint64_t at_sequence = 0, min_sequence = 0;
  std::uint32_t limit = 0, wait_ms = 2000;
};

client::BodyBuilder QueryBody(p::QueryKind kind, const QueryOptions& o, schema::Environment env) {
  return [kind, o, env](flatbuffers::FlatBufferBuilder& b) {
    auto text = [&](const std::string& s) { return s.empty() ? 0 : b.CreateString(s); };
    auto organization = text(o.organization), platform = text(o.platform), order = text(o.order),
         status = text(o.status), reference = text(o.reference), account = text(o.account),
         currency = text(o.currency), actor = text(o.actor), user = text(o.user),
         cursor = text(o.cursor);
    p::QueryBuilder q(b);
    q.add_kind(kind);
    q.add_environment(env);
    q.add_organization_id(organization);
    q.add_platform_id(platform);
    q.add_order_id(order);
    q.add_status(status);
    q.add_reference(reference);
    q.add_account(account);
    q.add_currency(currency);
    q.add_actor(actor);
    q.add_user_id(user);
    q.add_cursor(cursor);
    q.add_from_us(ParseTime(o.from).value_or(0));
    q.add_to_us(ParseTime(o.to).value_or(0));
    q.add_at_time_us(ParseTime(o.at_time).value_or(0));
    q.add_at_sequence(o.at_sequence);
    q.add_limit(o.limit);
    q.add_min_sequence(o.min_sequence);
    q.add_wait_ms(o.wait_ms);
    return q.Finish().Union();
  };
}

enum class Format { kText, kNumber, kMoney, kTime };
struct Column {
  const char* header;
  const char* field;
  Format format = Format::kText;
};

std::string Cell(const json& row, const Column& column) {
  const json value = row.value(column.field, json());
  switch (column.format) {
    case Format::kText:
      return value.is_string() ? value.get<std::string>() : (value.is_null() ? "" : value.dump());
    case Format::kNumber:
      return value.is_number() ? value.dump() : "0";
    case Format::kMoney:
      return FormatMoney(value.is_number() ? value.get<std::int64_t>() : 0,
                         row.value("currency", std::string()));
    case Format::kTime:
      return value.is_number() ? FormatTime(value.get<std::int64_t>()) : "";
  }
  return "";
}

void PrintRows(const json& rows, const std::vector<Column>& columns) {
  std::vector<std::string> headers;
  for (const auto& column : columns) headers.push_back(column.header);
  std::vector<std::vector<std::string>> cells;
  if (rows.is_array()) {
    for (const auto& row : rows) {
      std::vector<std::string> line;
      for (const auto& column : columns) line.push_back(Cell(row, column));
      cells.push_back(std::move(line));
    }
  }
  Ctl::PrintTable(headers, cells);
}

const std::vector<Column> kFigures = {{"CURRENCY", "currency"},
                                      {"CAPTURED", "captured_minor", Format::kMoney},
                                      {"REFUNDED", "refunded_minor", Format::kMoney},
                                      {"CHARGED BACK", "charged_back_minor", Format::kMoney},
                                      {"FEES", "fees_minor", Format::kMoney},
                                      {"WITHDRAWN", "withdrawn_minor", Format::kMoney},
                                      {"AVAILABLE", "available_minor", Format::kMoney},
                                      {"PENDING OUT", "pending_withdrawal_minor", Format::kMoney}};

void PrintQuery(p::QueryKind kind, const json& body) {
  using F = Format;
  switch (kind) {
    case p::QueryKind::PlatformSummary:
    case p::QueryKind::OrganizationSummary: {
      const std::string platform = body.value("platform_id", "");
      std::cout << body.value("organization_id", "") << (platform.empty() ? "" : "/" + platform)
                << " \"" << body.value("name", "") << "\" (" << body.value("environment", "")
                << "), as of sequence " << body.value("as_of", 0) << "\n\n";
    }
      return PrintRows(body.value("currencies", json::array()), kFigures);
    case p::QueryKind::DailyTotals:
      return PrintRows(body.value("days", json::array()),
                       {{"DAY", "day"},
                        {"CURRENCY", "currency"},
                        {"CAPTURED", "captured_minor", F::kMoney},
                        {"REFUNDED", "refunded_minor", F::kMoney},
                        {"CHARGED BACK", "charged_back_minor", F::kMoney},
                        {"FEES", "fees_minor", F::kMoney},
                        {"WITHDRAWN", "withdrawn_minor", F::kMoney}});
    case p::QueryKind::Orders:
      return PrintRows(body.value("orders", json::array()),
                       {{"ORDER", "order_id"},
                        {"STATUS", "status"},
                        {"AMOUNT", "amount_minor", F::kMoney},
                        {"CAPTURED", "captured_minor", F::kMoney},
                        {"REFUNDED", "refunded_minor", F::kMoney},
                        {"TXNS", "transaction_count", F::kNumber},
                        {"CREATED", "created_at_us", F::kTime},
                        {"REFERENCE", "reference"}});
    case p::QueryKind::OrderDetail: {
      const json order = body.value("order", json::object());
      PrintRows(json::array({order}), {{"ORDER", "order_id"},
                                       {"STATUS", "status"},
                                       {"AMOUNT", "amount_minor", F::kMoney},
                                       {"CAPTURED", "captured_minor", F::kMoney},
                                       {"MODULE", "module"},
                                       {"REFERENCE", "reference"}});
      json operations = json::array();
      for (const auto& transaction : body.value("transactions", json::array())) {
        for (auto operation : transaction.value("operations", json::array())) {
          operations.push_back(operation);
        }
      }
      std::cout << "\n";
      return PrintRows(operations, {{"SEQUENCE", "sequence", F::kNumber},
                                    {"TRANSACTION", "transaction_id"},
                                    {"OPERATION", "operation_id"},
                                    {"KIND", "kind"},
                                    {"OUTCOME", "outcome"},
                                    {"AMOUNT", "amount_minor", F::kMoney},
                                    {"NET", "net_minor", F::kMoney},
                                    {"EXTERNAL REF", "external_reference"}});
    }
    case p::QueryKind::Withdrawals:
      return PrintRows(body.value("withdrawals", json::array()),
                       {{"WITHDRAWAL", "withdrawal_id"},
                        {"STATUS", "status"},
                        {"AMOUNT", "amount_minor", F::kMoney},
                        {"BANK ACCOUNT", "bank_account_id"},
                        {"REQUESTED", "requested_at_us", F::kTime},
                        {"BY", "requested_by"}});
    case p::QueryKind::Journal:
      return PrintRows(body.value("entries", json::array()),
                       {{"SEQUENCE", "sequence", F::kNumber},
                        {"RECORDED AT", "recorded_at_us", F::kTime},
                        {"DEBIT", "debit_account"},
                        {"CREDIT", "credit_account"},
                        {"AMOUNT", "amount_minor", F::kMoney},
                        {"SOURCE", "source_id"}});
    case p::QueryKind::TrialBalance:
      PrintRows(body.value("lines", json::array()),
                {{"ACCOUNT", "account"}, {"BALANCE", "balance_minor", F::kMoney}});
      std::cout << "\n";
      return PrintRows(body.value("totals", json::array()),
                       {{"CURRENCY", "currency"}, {"TOTAL", "total_minor", F::kMoney}});
    case p::QueryKind::AccountBalance:
      return PrintRows(json::array({body}), {{"ACCOUNT", "account"},
                                             {"AT SEQUENCE", "at_sequence", F::kNumber},
                                             {"BALANCE", "balance_minor", F::kMoney},
                                             {"LAST CHANGE", "last_change_sequence", F::kNumber}});
    case p::QueryKind::Activity:
      return PrintRows(body.value("entries", json::array()),
                       {{"SEQUENCE", "sequence", F::kNumber},
                        {"RECORDED AT", "recorded_at_us", F::kTime},
                        {"ACTOR", "actor"},
                        {"TYPE", "type"},
                        {"STREAM", "stream"}});
    case p::QueryKind::RoleHistory: {
      json changes = body.value("changes", json::array());
      for (auto& change : changes) {
        std::string scope;
        for (const auto& platform : change.value("platform_ids", json::array())) {
          scope += (scope.empty() ? "" : ",") + platform.get<std::string>();
        }
        change["scope"] = change.value("all_platforms", false) ? "all platforms" : scope;
      }
      return PrintRows(changes, {{"SEQUENCE", "sequence", F::kNumber},
                                 {"RECORDED AT", "recorded_at_us", F::kTime},
                                 {"ACTOR", "actor"},
                                 {"USER", "user_id"},
                                 {"GRANTED", "granted"},
                                 {"ROLE", "role"},
                                 {"SCOPE", "scope"}});
    }
    default:
      Ctl::PrintJson(body);
  }
}

}  // namespace

void AddQueryCommands(CLI::App& app, Ctl& ctl) {
  auto* query = app.add_subcommand("query", "read the views (projections)")->require_subcommand(1);
  auto o = std::make_shared<QueryOptions>();
  // Each kind takes only the options its query reads (docs/protocol.md, QueryKind): one it
  // would ignore is refused as a usage error instead of silently changing nothing.
  enum Takes : unsigned {
    kPlatform = 1 << 0,
    kOrder = 1 << 1,
    kStatus = 1 << 2,
    kReference = 1 << 3,
    kAccount = 1 << 4,
    kActor = 1 << 5,
    kUser = 1 << 6,
    kRange = 1 << 7,
    kAt = 1 << 8,
    kPages = 1 << 9,
  };
  struct Kind {
    const char* name;
    p::QueryKind kind;
    const char* help;
    unsigned takes;
  };
  const Kind kinds[] = {
      {"summary", p::QueryKind::PlatformSummary, "a platform's figures by currency", kPlatform},
      {"org-summary", p::QueryKind::OrganizationSummary, "an organization's figures", 0},
      {"daily", p::QueryKind::DailyTotals, "daily totals (--from/--to dates)", kPlatform | kRange},
      {"orders", p::QueryKind::Orders, "orders, newest first (--status, --reference)",
       kPlatform | kStatus | kReference | kRange | kPages},
      {"order", p::QueryKind::OrderDetail, "one order with its transactions and operations",
       kPlatform | kOrder},
      {"withdrawals", p::QueryKind::Withdrawals, "withdrawals, newest first",
       kPlatform | kStatus | kRange | kPages},
      {"journal", p::QueryKind::Journal, "the journal of postings", kPlatform | kRange | kPages},
      {"trial-balance", p::QueryKind::TrialBalance, "every account's balance; totals are zero", 0},
      {"balance", p::QueryKind::AccountBalance, "an account's balance at a sequence or time",
       kPlatform | kAccount | kAt},
      {"activity", p::QueryKind::Activity, "what an actor did, newest first",
       kActor | kRange | kPages},
      {"roles", p::QueryKind::RoleHistory, "role changes of an organization (--user: one user's)",
       kUser | kPages},
  };
  for (const Kind& k : kinds) {
    auto* sub = query->add_subcommand(k.name, k.help);
    sub->add_option("--org", o->organization, "organization id");
    if (k.takes & kPlatform) {
      sub->add_option("--platform", o->platform, "platform id (none: the whole organization)");
    }
    if (k.takes & kOrder) sub->add_option("--order", o->order, "order id")->required();
    if (k.takes & kStatus) sub->add_option("--status", o->status, "status filter");
    if (k.takes & kReference) sub->add_option("--reference", o->reference, "exact reference");
    if (k.takes & kAccount) {
      sub->add_option("--account", o->account, "account name (wallet:<platform>...)")->required();
      sub->add_option("--currency", o->currency, "ISO 4217 code")->required();
    }
    if (k.takes & kActor) {
      sub->add_option("--actor", o->actor, "root, user:<id> or key:<id>")->required();
    }
    if (k.takes & kUser) sub->add_option("--user", o->user, "user id");
    if (k.takes & kRange) {
      sub->add_option("--from", o->from, "from this date, time or µs")->check(kTimeText);
      sub->add_option("--to", o->to, "until this date, time or µs (excluded)")->check(kTimeText);
    }
    if (k.takes & kAt) {
      sub->add_option("--at-sequence", o->at_sequence, "balance as of this sequence");
      sub->add_option("--at-time", o->at_time, "balance as of this time")->check(kTimeText);
    }
    if (k.takes & kPages) {
      sub->add_option("--cursor", o->cursor, "continue a list where the last page ended");
      sub->add_option("--limit", o->limit, "rows per page");
    }
    sub->add_option("--min-sequence", o->min_sequence, "wait until the views include this");
    sub->add_option("--wait-ms", o->wait_ms, "how long to wait for it (default 2000)");
    sub->callback([&ctl, o, kind = k.kind] {
      ctl.action = [o, kind](Ctl& c) {
        schema::Environment env = schema::Environment::Unspecified;
        ParseEnvironment(c.options.environment, &env);
        auto reply = c.Call(p::RequestBody::Query, QueryBody(kind, *o, env));
        if (!reply.ok()) return c.ExitCodeOf(reply);
        json body = ResponseJson(reply);
        if (c.options.json) {
          Ctl::PrintJson(body);
        } else {
          PrintQuery(kind, body);
          if (!body.value("next_cursor", std::string()).empty()) {
            std::cout << "(more: --cursor " << body.value("next_cursor", std::string()) << ")\n";
          }
        }
        return kExitOk;
      };
    });
  }
  AddExportCommands(app, ctl);
}

}  // namespace ledger::ctl
