// Integer options read as plain decimal numbers, or refused.
//
// CLI11 reads integers as C's strtoll does with base 0: "010" is eight (octal), "0x10" is
// sixteen, and a number past the type's range silently becomes its largest value. For amounts
// of money each of these records a figure the user never typed. Every integer option of the
// command line is therefore checked first: an optional minus sign and decimal digits, within
// the 64-bit range, else a usage error naming the option.
#pragma once

#include <CLI/CLI.hpp>

namespace ledger::ctl {

/// Makes every integer option of `app` and of all its subcommands, present and future
/// values alike, accept decimal numbers only. Call once the whole command tree is built.
void RequireDecimalIntegers(CLI::App& app);

}  // namespace ledger::ctl
