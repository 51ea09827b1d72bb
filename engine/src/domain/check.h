// LEDGER_CHECK: an assertion that stays on in release builds.
//
// Used for the money invariants and the domain state's own consistency (postings balance, a
// refund or withdrawal never leaves a wallet negative, versions grow): a wrong balance costs
// more than a restart, so a broken invariant stops the process with the condition's text.
#pragma once

#include <cstdio>
#include <cstdlib>

#define LEDGER_CHECK(condition)                                                              \
  do {                                                                                       \
    if (!(condition)) {                                                                      \
      std::fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                          \
    }                                                                                        \
  } while (false)
