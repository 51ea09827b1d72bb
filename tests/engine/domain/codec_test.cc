// The event codec, postings, money and the id table: the pieces replay depends on.
#include <gtest/gtest.h>

#include <random>

#include "domain/chunked_vector.h"
#include "domain/id_table.h"
#include "ledger/engine/domain/event_codec.h"
#include "ledger/engine/domain/money.h"
#include "ledger/engine/domain/postings.h"
#include "ledger/engine/ledger.h"

namespace ledger::testing {
namespace {

using namespace domain;  // NOLINT(google-build-using-namespace): test of the whole namespace.
using schema::OperationKind;
using schema::OperationOutcome;

std::vector<Event> OneOfEach() {
  const Hash256 hash = Ledger::HashSecret("secret");
  return {
      OrganizationCreated{"acme", "Acme Corp"},
      PlatformCreated{"acme", "shop", "Shop", schema::Environment::Production},
      UserRegistered{"alice", "alice@acme.test", "Alice"},
      RoleGranted{"acme", "alice", schema::Role::Operator, false, {"a", "b"}},
      RoleRevoked{"acme", "alice", schema::Role::Operator},
      ApiKeyIssued{"acme", "shop", "k1", hash},
      ApiKeyRevoked{"acme", "shop", "k1"},
      UserTokenIssued{"alice", "t1", hash},
      UserTokenRevoked{"alice", "t1"},
      BankAccountAdded{"acme", "shop", "main", "Acme SAS", "*******0189", "EUR"},
      OrderCreated{"shop", "o1", 12345, "EUR", "checkout", "ref-1"},
      OrderCancelled{"shop", "o1", "customer left"},
      TransactionCreated{"shop", "o1", "t1", 500},
      OperationRecorded{"shop", "o1", "t1", "op1", OperationKind::Capture,
                        OperationOutcome::Succeeded, 500, "EUR", "psp-9", 1'700'000'000'000'000},
      WithdrawalRequested{"shop", "w1", "main", 400, "EUR"},
      WithdrawalSettled{"shop", "w1", "bank-1", "main", 400, "EUR"},
      WithdrawalFailed{"shop", "w1", "closed", "main", 400, "EUR"},
  };
}

TEST(EventCodec, EveryEventRoundTrips) {
  std::vector<Event> events = OneOfEach();
  ASSERT_EQ(events.size(), std::variant_size_v<Event>);
  for (const Event& event : events) {
    std::string bytes = EncodeEvent(event);
    Result<Event> decoded = DecodeEvent(TypeOf(event), bytes);
    ASSERT_TRUE(decoded.ok()) << EventName(event) << ": " << decoded.status().ToString();
    EXPECT_EQ(*decoded, event) << EventName(event);
    // The payload sits at any offset inside an envelope: decoding must not rely on alignment.
    std::string shifted = "x" + bytes;
    Result<Event> unaligned = DecodeEvent(TypeOf(event), std::string_view(shifted).substr(1));
    ASSERT_TRUE(unaligned.ok());
    EXPECT_EQ(*unaligned, event);
  }
}

TEST(EventCodec, RefusesWhatIsNotAPayloadOfItsType) {
  EXPECT_EQ(DecodeEvent(schema::EventType::Opaque, "").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodeEvent(static_cast<schema::EventType>(999), "").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodeEvent(schema::EventType::OrderCreated, "").status().code(),
            StatusCode::kCorruption);
  EXPECT_EQ(DecodeEvent(schema::EventType::OrderCreated, "garbage!").status().code(),
            StatusCode::kCorruption);
  std::string bytes = EncodeEvent(OrderCreated{"shop", "o1", 1, "EUR", "", ""});
  EXPECT_EQ(DecodeEvent(schema::EventType::OrderCreated, bytes.substr(0, bytes.size() / 2))
                .status()
                .code(),
            StatusCode::kCorruption);
  // A secret hash that is not 32 bytes is refused, not truncated or padded.
  std::string key = EncodeEvent(ApiKeyIssued{"acme", "shop", "k", {}});
  EXPECT_TRUE(DecodeEvent(schema::EventType::ApiKeyIssued, key).ok());
  EXPECT_FALSE(
      DecodeEvent(schema::EventType::ApiKeyIssued, EncodeEvent(ApiKeyRevoked{"acme", "shop", "k"}))
          .ok());
}

TEST(EventCodec, RandomBytesNeverCrashTheDecoder) {
  std::mt19937_64 random(7);
  for (int i = 0; i < 20000; ++i) {
    std::string bytes(random() % 96, '\0');
    for (char& c : bytes) c = static_cast<char>(random());
    auto type = static_cast<schema::EventType>(1 + random() % 32);
    (void)DecodeEvent(type, bytes);
  }
}

TEST(Streams, EveryEventNamesItsAggregateStream) {
  std::vector<std::string> expected = {"organization/acme", "platform/shop",     "user/alice",
                                       "organization/acme", "organization/acme", "platform/shop",
                                       "platform/shop",     "user/alice",        "user/alice",
                                       "platform/shop",     "order/shop/o1",     "order/shop/o1",
                                       "order/shop/o1",     "order/shop/o1",     "wallet/shop/EUR",
                                       "wallet/shop/EUR",   "wallet/shop/EUR"};
  std::vector<Event> events = OneOfEach();
  for (std::size_t i = 0; i < events.size(); ++i) EXPECT_EQ(StreamOf(events[i]), expected[i]);
}

TEST(Postings, MoneyEventsMoveOneAmountBetweenTwoAccounts) {
  auto single = [](const Event& event) {
    PostingList list = PostingsOf(event);
    EXPECT_EQ(list.size, 1u) << EventName(event);
    return list.items[0].from.Name() + " -> " + list.items[0].to.Name() + " " +
           std::to_string(list.items[0].amount_minor) + " " + std::string(list.items[0].currency);
  };
  auto operation = [](OperationKind kind, OperationOutcome outcome) {
    return OperationRecorded{"shop", "o", "t", "op", kind, outcome, 7, "EUR", "", 1};
  };
  EXPECT_EQ(single(operation(OperationKind::Capture, OperationOutcome::Succeeded)),
            "customer_funds:shop -> wallet:shop 7 EUR");
  EXPECT_EQ(single(operation(OperationKind::Refund, OperationOutcome::Succeeded)),
            "wallet:shop -> customer_funds:shop 7 EUR");
  EXPECT_EQ(single(operation(OperationKind::Chargeback, OperationOutcome::Succeeded)),
            "wallet:shop -> customer_funds:shop 7 EUR");
  EXPECT_EQ(single(operation(OperationKind::Fee, OperationOutcome::Succeeded)),
            "wallet:shop -> fees:shop 7 EUR");
  EXPECT_EQ(single(WithdrawalRequested{"shop", "w", "main", 9, "JPY"}),
            "wallet:shop -> payouts_in_transit:shop 9 JPY");
  EXPECT_EQ(single(WithdrawalSettled{"shop", "w", "x", "main", 9, "JPY"}),
            "payouts_in_transit:shop -> bank:shop/main 9 JPY");
  EXPECT_EQ(single(WithdrawalFailed{"shop", "w", "x", "main", 9, "JPY"}),
            "payouts_in_transit:shop -> wallet:shop 9 JPY");
  for (OperationKind kind : {OperationKind::Authorization, OperationKind::Cancellation}) {
    EXPECT_TRUE(PostingsOf(operation(kind, OperationOutcome::Succeeded)).empty());
  }
  for (OperationKind kind : {OperationKind::Capture, OperationKind::Refund, OperationKind::Fee}) {
    EXPECT_TRUE(PostingsOf(operation(kind, OperationOutcome::Failed)).empty());
  }
  for (const Event& event : OneOfEach()) {
    if (!std::holds_alternative<OperationRecorded>(event) &&
        !std::holds_alternative<WithdrawalRequested>(event) &&
        !std::holds_alternative<WithdrawalSettled>(event) &&
        !std::holds_alternative<WithdrawalFailed>(event)) {
      EXPECT_TRUE(PostingsOf(event).empty()) << EventName(event);
    }
  }
}

TEST(Money, CurrenciesCarryTheirExponent) {
  ASSERT_NE(FindCurrency("EUR"), nullptr);
  EXPECT_EQ(FindCurrency("EUR")->exponent, 2);
  EXPECT_EQ(FindCurrency("JPY")->exponent, 0);
  EXPECT_EQ(FindCurrency("KWD")->exponent, 3);
  EXPECT_EQ(FindCurrency("CLF")->exponent, 4);
  for (const char* unknown : {"eur", "EURO", "", "XAU", "XXX", "XTS", "ABC"}) {
    EXPECT_EQ(FindCurrency(unknown), nullptr) << unknown;
  }
  for (std::size_t i = 0; i < CurrencyCount(); ++i) {
    const CurrencyInfo& info = CurrencyAt(static_cast<std::uint16_t>(i));
    EXPECT_EQ(FindCurrency(info.code), &info);
  }
  EXPECT_EQ(FormatMoney(1234, "EUR"), "12.34 EUR");
  EXPECT_EQ(FormatMoney(-5, "EUR"), "-0.05 EUR");
  EXPECT_EQ(FormatMoney(1500, "JPY"), "1500 JPY");
  EXPECT_EQ(FormatMoney(1, "KWD"), "0.001 KWD");
  EXPECT_EQ(FormatMoney(INT64_MIN, "EUR"), "-92233720368547758.08 EUR");
}

TEST(Money, ArithmeticIsChecked) {
  std::int64_t out = 42;
  EXPECT_FALSE(CheckedAdd(INT64_MAX, 1, &out));
  EXPECT_EQ(out, 42);
  EXPECT_FALSE(CheckedSubtract(INT64_MIN, 1, &out));
  EXPECT_TRUE(CheckedAdd(INT64_MAX - 1, 1, &out));
  EXPECT_EQ(out, INT64_MAX);
  EXPECT_TRUE(CheckedSubtract(0, INT64_MAX, &out));
  EXPECT_EQ(out, -INT64_MAX);
}

TEST(IdTable, FindsWhatWasInsertedAcrossGrowthAndRestore) {
  IdTable table;
  constexpr std::uint32_t kCount = 100000;
  for (std::uint32_t i = 0; i < kCount; ++i) {
    IdKey key = MakeIdKey(IdKind::kOrder, "shop", "o" + std::to_string(i));
    ASSERT_EQ(table.Find(key), nullptr);
    table.Insert(key, i);
  }
  EXPECT_EQ(table.size(), kCount);
  EXPECT_LE(table.size() * 100, table.capacity() * IdTable::kMaxLoadPercent);
  IdTable restored;
  for (std::size_t shard = 0; shard < IdTable::kShards; ++shard) {
    ASSERT_TRUE(restored.RestoreShard(shard, table.ShardSlots(shard), table.ShardSize(shard)));
  }
  EXPECT_EQ(restored.size(), kCount);
  // A shard's slots restored as another shard, or with a wrong count, are refused.
  EXPECT_FALSE(IdTable().RestoreShard(1, table.ShardSlots(0), table.ShardSize(0)));
  EXPECT_FALSE(IdTable().RestoreShard(0, table.ShardSlots(0), table.ShardSize(0) + 1));
  for (std::uint32_t i = 0; i < kCount; ++i) {
    const std::uint32_t* value =
        restored.Find(MakeIdKey(IdKind::kOrder, "shop", "o" + std::to_string(i)));
    ASSERT_NE(value, nullptr);
    EXPECT_EQ(*value, i);
  }
  // Kinds and platforms are separate namespaces.
  EXPECT_EQ(restored.Find(MakeIdKey(IdKind::kTransaction, "shop", "o1")), nullptr);
  EXPECT_EQ(restored.Find(MakeIdKey(IdKind::kOrder, "shop2", "o1")), nullptr);
}

TEST(ChunkedVector, GrowsByChunksAndKeepsItsRecords) {
  ChunkedVector<std::uint64_t> records;
  const std::size_t count = 3 * ChunkedVector<std::uint64_t>::kChunkRecords + 5;
  for (std::uint64_t i = 0; i < count; ++i) records.push_back(i * 7);
  ASSERT_EQ(records.size(), count);
  for (std::uint64_t i = 0; i < count; i += 997) EXPECT_EQ(records[i], i * 7);
  std::size_t seen = 0;
  records.ForEachSpan([&](const std::uint64_t* data, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(data[i], (seen + i) * 7);
    seen += n;
  });
  EXPECT_EQ(seen, count);
  EXPECT_EQ(records.MemoryBytes(), 4 * ChunkedVector<std::uint64_t>::kChunkRecords * 8);
}

}  // namespace
}  // namespace ledger::testing
