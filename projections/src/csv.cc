#include "csv.h"

#include <fmt/format.h>

#include "ledger/engine/domain/money.h"
#include "ledger/limits.h"

namespace ledger::projections::internal {
namespace {

/// Civil date of a day count (Howard Hinnant's days_from_civil, inverted).
void CivilFromDays(std::int64_t days, std::int64_t* year, unsigned* month, unsigned* day) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto day_of_era = static_cast<unsigned>(days - era * 146097);
  const unsigned year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned mp = (5 * day_of_year + 2) / 153;
  *day = day_of_year - (153 * mp + 2) / 5 + 1;
  *month = mp < 10 ? mp + 3 : mp - 9;
  *year = static_cast<std::int64_t>(year_of_era) + era * 400 + (*month <= 2 ? 1 : 0);
}

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  return a >= 0 ? a / b : -((-(a + 1)) / b) - 1;
}

}  // namespace

std::string FormatAmount(std::int64_t amount_minor, std::string_view currency) {
  const domain::CurrencyInfo* info = domain::FindCurrency(currency);
  if (info == nullptr || info->exponent == 0) return fmt::format("{}", amount_minor);
  // The magnitude as unsigned: INT64_MIN has no positive int64.
  const std::uint64_t magnitude = amount_minor < 0 ? ~static_cast<std::uint64_t>(amount_minor) + 1
                                                   : static_cast<std::uint64_t>(amount_minor);
  std::uint64_t divisor = 1;
  for (int i = 0; i < info->exponent; ++i) divisor *= 10;
  return fmt::format("{}{}.{:0{}}", amount_minor < 0 ? "-" : "", magnitude / divisor,
                     magnitude % divisor, info->exponent);
}

std::string FormatTimestamp(std::int64_t time_us) {
  constexpr std::int64_t kDayUs = 86'400'000'000;
  const std::int64_t day = FloorDiv(time_us, kDayUs);
  std::int64_t in_day = time_us - day * kDayUs;
  std::int64_t year = 0;
  unsigned month = 0;
  unsigned day_of_month = 0;
  CivilFromDays(day, &year, &month, &day_of_month);
  const std::int64_t micros = in_day % 1'000'000;
  in_day /= 1'000'000;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", year, month, day_of_month,
                     in_day / 3600, in_day / 60 % 60, in_day % 60, micros);
}

std::string FormatDay(std::int64_t day) {
  std::int64_t year = 0;
  unsigned month = 0;
  unsigned day_of_month = 0;
  CivilFromDays(day, &year, &month, &day_of_month);
  return fmt::format("{:04}-{:02}-{:02}", year, month, day_of_month);
}

std::string CsvText(std::string_view text) {
  std::string cell;
  // OWASP's CSV injection advice: a leading apostrophe makes spreadsheets show the text
  // instead of evaluating it.
  const bool formula =
      !text.empty() && (text.front() == '=' || text.front() == '+' || text.front() == '-' ||
                        text.front() == '@' || text.front() == '\t' || text.front() == '\r');
  if (formula) cell.push_back('\'');
  cell.append(text);
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

CsvWriter::CsvWriter(std::ostream& out) : out_(out) {
  buffer_.reserve(limits::kExportChunkBytesMax);
}

void CsvWriter::Separate() {
  if (row_started_) buffer_.push_back(',');
  row_started_ = true;
}

CsvWriter& CsvWriter::Text(std::string_view text) {
  Separate();
  buffer_.append(CsvText(text));
  return *this;
}

CsvWriter& CsvWriter::Plain(std::string_view text) {
  Separate();
  buffer_.append(text);
  return *this;
}

CsvWriter& CsvWriter::Integer(std::int64_t value) {
  Separate();
  fmt::format_to(std::back_inserter(buffer_), "{}", value);
  return *this;
}

void CsvWriter::EndRow() {
  buffer_.append("\r\n");
  row_started_ = false;
  // A row is far smaller than a chunk: flushing at half keeps every chunk under the cap.
  if (buffer_.size() >= limits::kExportChunkBytesMax / 2) FlushChunk();
}

void CsvWriter::Line(std::string_view line) {
  buffer_.append(line);
  EndRow();
}

void CsvWriter::FlushChunk() {
  out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  buffer_.clear();
}

Status CsvWriter::Finish() {
  FlushChunk();
  out_.flush();
  if (!out_) return Status::IoError("writing the export failed");
  return Status::Ok();
}

}  // namespace ledger::projections::internal
