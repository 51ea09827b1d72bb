// CSV exports parsed back: columns, formatted amounts, formula-injection protection, the
// manifest, chunked writes, and totals reconciled with the trial balance.
#include <chrono>
#include <future>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "ledger/limits.h"
#include "projections/fixture.h"
#include "projections/printers.h"

namespace ledger::testing {
namespace {

using Row = std::vector<std::string>;
using schema::Environment;

/// RFC 4180: fields separated by commas, rows by CRLF, quoted fields with doubled quotes.
std::vector<Row> ParseCsv(const std::string& text) {
  std::vector<Row> rows(1);
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(std::exchange(field, {}));
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      rows.back().push_back(std::exchange(field, {}));
      rows.emplace_back();
      ++i;
    } else {
      field.push_back(c);
    }
  }
  rows.pop_back();  // After the last CRLF.
  return rows;
}

std::vector<std::string> Split(std::string_view line, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= line.size(); ++i) {
    if (i == line.size() || line[i] == separator) {
      parts.emplace_back(line.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

/// The manifest's key=value pairs.
std::map<std::string, std::string> Manifest(const Row& row) {
  std::map<std::string, std::string> values;
  for (std::size_t i = 1; i < row.size(); ++i) {
    const std::size_t equals = row[i].find('=');
    values[row[i].substr(0, equals)] = row[i].substr(equals + 1);
  }
  return values;
}

/// Counts the writes an export makes, and the largest.
class CountingBuffer : public std::stringbuf {
 public:
  std::size_t writes = 0;
  std::size_t largest = 0;

 protected:
  std::streamsize xsputn(const char* data, std::streamsize size) override {
    ++writes;
    largest = std::max(largest, static_cast<std::size_t>(size));
    return std::stringbuf::xsputn(data, size);
  }
};

class ExportsTest : public ProjectionTest {
 protected:
  void SetUp() override {
    ProjectionTest::SetUp();
    scenario_->SetUp();
    scenario_->Run(3000, 6);
    OpenProjector();
    CatchUp();
  }

  std::string Export(bool payments, const projections::ExportFilter& filter,
                     projections::ExportManifest* manifest = nullptr) {
    std::ostringstream out;
    auto result =
        payments ? views().ExportPayments(filter, out) : views().ExportDisbursements(filter, out);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    if (manifest != nullptr && result.ok()) *manifest = *result;
    return out.str();
  }

  projections::ExportFilter OrganizationFilter(std::string organization) const {
    projections::ExportFilter filter;
    filter.scope = ScopeOf(Environment::Production, std::move(organization));
    return filter;
  }
};

TEST_F(ExportsTest, PaymentsHaveOneRowPerOperationAndAStableHeader) {
  projections::ExportManifest manifest;
  const auto rows = ParseCsv(Export(true, OrganizationFilter("acme"), &manifest));
  ASSERT_GE(rows.size(), 2u);
  EXPECT_EQ(rows.front(), Split(projections::kPaymentsCsvHeader, ','));
  std::size_t operations = 0;
  for (const CommittedEvent& e : scenario_->events()) {
    if (std::holds_alternative<domain::OperationRecorded>(e.event) &&
        e.metadata.environment == Environment::Production && e.metadata.organization == "acme") {
      ++operations;
    }
  }
  EXPECT_EQ(rows.size(), operations + 2);
  EXPECT_EQ(manifest.rows, operations);
  const std::size_t columns = rows.front().size();
  SequenceNumber previous;
  for (std::size_t i = 1; i + 1 < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), columns) << i;
    const SequenceNumber sequence{std::stoull(rows[i][0])};
    EXPECT_GT(sequence, previous) << "rows follow the log";
    previous = sequence;
    EXPECT_EQ(rows[i][1].size(), 27u) << rows[i][1];  // 2025-11-21T13:16:00.000000Z
    EXPECT_EQ(rows[i][1].back(), 'Z');
    EXPECT_EQ(rows[i][3], "production");
  }
}

TEST_F(ExportsTest, AnExportWaitsForMinSequenceBeforeItTakesItsSnapshot) {
  projector_->Stop();
  scenario_->Run(300, 6);  // Events the stopped projector has not applied.
  const SequenceNumber head = log_->Head().sequence;
  const projections::QueryOptions options{head, std::chrono::seconds(30)};
  const projections::ExportFilter filter = OrganizationFilter("acme");
  std::ostringstream payments_out, disbursements_out;
  auto payments = std::async(std::launch::async,
                             [&] { return views().ExportPayments(filter, payments_out, options); });
  auto disbursements = std::async(std::launch::async, [&] {
    return views().ExportDisbursements(filter, disbursements_out, options);
  });
  // Both exports are waiting by now; a snapshot taken before the wait would hold none of the
  // new events, and the exports would claim an as_of short of the head.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ASSERT_TRUE(projector_->Start().ok());
  for (auto* pending : {&payments, &disbursements}) {
    auto manifest = pending->get();
    ASSERT_TRUE(manifest.ok()) << manifest.status().ToString();
    EXPECT_EQ(manifest->as_of.sequence, head);
  }
  CatchUp();
  // Exactly what an export reads once the views have caught up.
  EXPECT_TRUE(payments_out.str() == Export(true, filter));
  EXPECT_TRUE(disbursements_out.str() == Export(false, filter));
}

TEST_F(ExportsTest, TotalsReconcileWithTheTrialBalance) {
  const auto payments = ParseCsv(Export(true, OrganizationFilter("acme")));
  const auto disbursements = ParseCsv(Export(false, OrganizationFilter("acme")));
  // Per currency: wallets = Σ payments net + Σ disbursements net; fee accounts = Σ fees;
  // banks = settled withdrawals; payouts in transit = requested ones; customer funds = −Σ
  // capture/refund/chargeback nets.
  std::map<std::string, std::map<std::string, std::int64_t>> from_csv;
  for (std::size_t i = 1; i + 1 < payments.size(); ++i) {
    const Row& r = payments[i];
    const std::string& currency = r[13];
    from_csv[currency]["wallet"] += std::stoll(r[16]);
    from_csv[currency]["fees"] += std::stoll(r[14]);
    from_csv[currency]["customer_funds"] -= std::stoll(r[16]) + std::stoll(r[14]);
  }
  for (std::size_t i = 1; i + 1 < disbursements.size(); ++i) {
    const Row& r = disbursements[i];
    const std::string& currency = r[13];
    from_csv[currency]["wallet"] += std::stoll(r[16]);
    if (r[10] == "settled") from_csv[currency]["bank"] += std::stoll(r[11]);
    if (r[10] == "requested") from_csv[currency]["payouts_in_transit"] += std::stoll(r[11]);
  }
  auto balance = views().GetTrialBalance(ScopeOf(Environment::Production, "acme"));
  ASSERT_TRUE(balance.ok());
  std::map<std::string, std::map<std::string, std::int64_t>> from_balance;
  for (const auto& line : balance->lines) {
    from_balance[line.currency][line.account.substr(0, line.account.find(':'))] +=
        line.balance_minor;
  }
  for (auto& [currency, accounts] : from_balance) {
    std::erase_if(accounts, [](const auto& a) { return a.second == 0; });
  }
  for (auto& [currency, accounts] : from_csv) {
    std::erase_if(accounts, [](const auto& a) { return a.second == 0; });
  }
  EXPECT_EQ(from_csv, from_balance);
  EXPECT_EQ(from_csv.size(), 3u);
}

TEST_F(ExportsTest, AmountsAreFormattedWithTheCurrencyExponent) {
  const auto rows = ParseCsv(Export(true, OrganizationFilter("globex")));
  std::set<std::string> seen;
  for (std::size_t i = 1; i + 1 < rows.size(); ++i) {
    const Row& r = rows[i];
    const std::int64_t minor = std::stoll(r[11]);
    const int exponent = r[13] == "JPY" ? 0 : r[13] == "KWD" ? 3 : 2;
    std::string digits = std::to_string(minor);
    if (exponent > 0) {
      digits.insert(0, std::max<int>(0, exponent + 1 - static_cast<int>(digits.size())), '0');
      digits.insert(digits.size() - exponent, ".");
    }
    EXPECT_EQ(r[12], digits) << r[13];
    seen.insert(r[13]);
    const std::int64_t net = std::stoll(r[16]);
    if (net < 0) {
      EXPECT_EQ(r[17].front(), '-') << "numbers keep their sign";
    }
  }
  EXPECT_EQ(seen.size(), 3u);
}

TEST_F(ExportsTest, TextThatLooksLikeAFormulaIsDefused) {
  const std::string text = Export(true, OrganizationFilter("acme"));
  const auto rows = ParseCsv(text);
  std::size_t defused = 0;
  std::size_t quoted = 0;
  const std::vector<std::size_t> text_columns = {4, 5, 6, 7, 8, 13, 18};
  for (std::size_t i = 1; i + 1 < rows.size(); ++i) {
    for (std::size_t column : text_columns) {
      const std::string& cell = rows[i][column];
      ASSERT_FALSE(cell.empty() && column != 18);
      if (cell.empty()) continue;
      EXPECT_EQ(std::string("=+-@\t\r").find(cell.front()), std::string::npos)
          << "row " << i << " column " << column << ": " << cell;
      if (cell.front() == '\'') ++defused;
      if (cell.find_first_of(",\"\n") != std::string::npos) ++quoted;
    }
  }
  EXPECT_GT(defused, 5u);
  EXPECT_GT(quoted, 5u);
}

TEST_F(ExportsTest, ManifestNamesTheLogPointAndIsReproducible) {
  projections::ExportManifest manifest;
  const std::string first = Export(true, OrganizationFilter("acme"), &manifest);
  const auto rows = ParseCsv(first);
  const auto values = Manifest(rows.back());
  EXPECT_EQ(rows.back().front(), "#manifest");
  EXPECT_EQ(values.at("export"), "payments");
  EXPECT_EQ(values.at("rows"), std::to_string(rows.size() - 2));
  const ChainPoint head = log_->Head();
  EXPECT_EQ(values.at("as_of_sequence"), std::to_string(head.sequence.value));
  EXPECT_EQ(values.at("head_hash"), ToHex(head.hash));
  EXPECT_EQ(manifest.as_of, head);
  // The same filter at the same point gives the same bytes, also after a rebuild.
  EXPECT_EQ(Export(true, OrganizationFilter("acme")), first);
  ASSERT_TRUE(projector_->RebuildAll().ok());
  CatchUp();
  EXPECT_EQ(Export(true, OrganizationFilter("acme")), first);
}

TEST_F(ExportsTest, PeriodAndPlatformFiltersSelectRows) {
  const auto& events = scenario_->events();
  const std::int64_t from = events[events.size() / 3].recorded_at_us;
  const std::int64_t to = events[events.size() * 2 / 3].recorded_at_us;
  projections::ExportFilter filter;
  filter.scope = ScopeOf(Environment::Production, "acme", "acme-market");
  filter.from_us = from;
  filter.to_us = to;
  std::vector<std::string> wanted;
  for (const CommittedEvent& e : events) {
    const auto* op = std::get_if<domain::OperationRecorded>(&e.event);
    if (op != nullptr && op->platform_id == "acme-market" && e.recorded_at_us >= from &&
        e.recorded_at_us < to) {
      wanted.push_back(op->operation_id);
    }
  }
  const auto rows = ParseCsv(Export(true, filter));
  std::vector<std::string> listed;
  for (std::size_t i = 1; i + 1 < rows.size(); ++i) listed.push_back(rows[i][8]);
  EXPECT_EQ(listed, wanted);
  EXPECT_FALSE(wanted.empty());
}

TEST_F(ExportsTest, DisbursementsHaveOneRowPerWithdrawal) {
  Expected expected(scenario_->events());
  auto withdrawals = expected.Withdrawals(expected.Platforms(Environment::Production, "acme"));
  std::reverse(withdrawals.begin(), withdrawals.end());  // Exports follow the log.
  const auto rows = ParseCsv(Export(false, OrganizationFilter("acme")));
  EXPECT_EQ(rows.front(), Split(projections::kDisbursementsCsvHeader, ','));
  ASSERT_EQ(rows.size(), withdrawals.size() + 2);
  for (std::size_t i = 0; i < withdrawals.size(); ++i) {
    const Row& r = rows[i + 1];
    const auto& w = withdrawals[i];
    EXPECT_EQ(r[0], std::to_string(w.requested_sequence.value));
    EXPECT_EQ(r[7], w.withdrawal_id);
    EXPECT_EQ(r[8], w.bank_account_id);
    EXPECT_EQ(r[10], projections::WithdrawalStatusName(w.status));
    EXPECT_EQ(r[11], std::to_string(w.amount_minor));
    EXPECT_EQ(r[3],
              w.concluded_sequence.value == 0 ? "" : std::to_string(w.concluded_sequence.value));
  }
}

TEST_F(ExportsTest, LargeExportsAreWrittenInBoundedChunks) {
  scenario_->Run(8000, 50);
  CatchUp();
  CountingBuffer buffer;
  std::ostream out(&buffer);
  projections::ExportFilter filter;
  filter.scope = ScopeOf(Environment::Production, "acme");
  auto manifest = views().ExportPayments(filter, out);
  ASSERT_TRUE(manifest.ok());
  EXPECT_GT(buffer.str().size(), limits::kExportChunkBytesMax) << "the test needs a big export";
  EXPECT_GT(buffer.writes, 2u);
  EXPECT_LE(buffer.largest, limits::kExportChunkBytesMax);
}

}  // namespace
}  // namespace ledger::testing
