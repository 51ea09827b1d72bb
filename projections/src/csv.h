// Text formats of the exports and of day names: CSV cells (RFC 4180 with formula-injection
// protection), amounts with their currency's exponent, UTC ISO 8601 times.
//
// CsvWriter buffers rows and hands them to the stream in chunks of about
// limits::kExportChunkBytesMax, so an export of millions of rows never holds more than one
// chunk in memory. Thread-safety: one CsvWriter per export; the functions are pure.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

#include "ledger/engine/status.h"

namespace ledger::projections::internal {

/// "12.34" for 1234 EUR, "1500" for 1500 JPY, "-0.005" for -5 KWD. An unknown currency is
/// printed in minor units.
std::string FormatAmount(std::int64_t amount_minor, std::string_view currency);
/// "2025-11-21T13:16:00.000000Z".
std::string FormatTimestamp(std::int64_t time_us);
/// "2025-11-21" for the day `day` days after 1970-01-01.
std::string FormatDay(std::int64_t day);

/// The cell as a CSV field: a text that a spreadsheet would take for a formula (first
/// character =, +, -, @, tab or carriage return) gets a leading apostrophe; a field with a
/// comma, quote or line break is quoted, its quotes doubled.
std::string CsvText(std::string_view text);

class CsvWriter {
 public:
  explicit CsvWriter(std::ostream& out);
  /// A text cell (CsvText).
  CsvWriter& Text(std::string_view text);
  /// A cell known to need no quoting: numbers, formatted amounts and times, enum names.
  CsvWriter& Plain(std::string_view text);
  CsvWriter& Integer(std::int64_t value);
  /// Ends the row (CRLF); hands a full chunk to the stream.
  void EndRow();
  /// A line written as is (the manifest), then CRLF.
  void Line(std::string_view line);
  /// Hands what is left to the stream; kIoError when the stream failed.
  Status Finish();

 private:
  void Separate();
  void FlushChunk();

  std::ostream& out_;
  std::string buffer_;
  bool row_started_ = false;
};

}  // namespace ledger::projections::internal
