// The order lifecycles of the demo: amounts, modules, split payments, failures, captures,
// fees, refunds and chargebacks, in proportions a payment platform would recognise.
#include <random>

#include "demo.h"

namespace ledger::ctl {
namespace {

namespace c = client;
using K = schema::OperationKind;
using O = schema::OperationOutcome;

struct Lifecycle {
  DemoPlatform& platform;
  DemoOrders& out;
  std::mt19937_64& random;
  std::int64_t when_us;

  int Percent() { return static_cast<int>(random() % 100); }

  void Op(const std::string& order, const std::string& transaction, const std::string& id, K kind,
          O outcome, std::int64_t amount) {
    when_us += 1'000'000 + static_cast<std::int64_t>(random() % 60'000'000);
    out.executions.push_back(c::RecordOperation(
        {platform.id, order, transaction, id, kind, outcome, amount, "psp-" + id, when_us},
        c::WithKey("demo/" + id)));
  }

  /// One transaction: authorization, then capture (or cancellation), fee, maybe a refund
  /// or a chargeback. Returns what it left in the wallet.
  std::int64_t Transaction(const std::string& order, const std::string& transaction,
                           std::int64_t amount, bool may_refund) {
    out.executions.push_back(c::CreateTransaction(platform.id, order, transaction, amount,
                                                  c::WithKey("demo/" + transaction)));
    if (Percent() < 3) {
      Op(order, transaction, transaction + "-auth", K::Authorization, O::Failed, amount);
      return 0;
    }
    Op(order, transaction, transaction + "-auth", K::Authorization, O::Succeeded, amount);
    if (Percent() < 6) {
      Op(order, transaction, transaction + "-void", K::Cancellation, O::Succeeded, amount);
      return 0;
    }
    Op(order, transaction, transaction + "-cap", K::Capture, O::Succeeded, amount);
    const std::int64_t fee = 25 + amount * 14 / 1000;
    Op(order, transaction, transaction + "-fee", K::Fee, O::Succeeded, fee);
    std::int64_t left = amount - fee;
    const int fate = Percent();
    if (fate < 7 && may_refund) {
      const std::int64_t refund = fate < 3 ? amount : amount / 2;
      Op(order, transaction, transaction + "-ref", K::Refund, O::Succeeded, refund);
      left -= refund;
    } else if (fate < 8) {
      Op(order, transaction, transaction + "-cb", K::Chargeback, O::Succeeded, amount);
      left -= amount;
    }
    return left;
  }
};

}  // namespace

DemoOrders MakeDemoOrders(DemoPlatform& platform, int count) {
  DemoOrders out;
  std::mt19937_64 random(std::hash<std::string>{}(platform.id));
  Lifecycle life{platform, out, random, 1'763'000'000'000'000};
  const bool dollars = platform.id == "globex-store";
  for (int i = 1; i <= count; ++i) {
    const std::string order = platform.id + "-" + std::to_string(100000 + i);
    const std::int64_t amount = 500 + static_cast<std::int64_t>(random() % 49500);
    const std::string currency = dollars && i % 2 == 0 ? "USD" : "EUR";
    const int kind = life.Percent();
    const std::string module = kind < 60 ? "checkout" : kind < 85 ? "split" : "request-to-pay";
    out.creations.push_back(c::CreateOrder(platform.id, order, amount, currency, module,
                                           "cart-" + std::to_string(700000 + i),
                                           c::WithKey("demo/" + order)));
    ++out.orders;
    if (life.Percent() < 4) {
      out.executions.push_back(
          c::CancelOrder(platform.id, order, "customer abandoned", c::WithKey("demo/x-" + order)));
      continue;
    }
    // A refund is a request the wallet must cover: only once it holds plenty.
    const bool may_refund = currency == "EUR" && platform.available_eur > 4 * amount;
    std::int64_t left = 0;
    if (module == "split") {
      left += life.Transaction(order, order + "-t1", amount / 2, may_refund);
      left += life.Transaction(order, order + "-t2", amount - amount / 2, false);
    } else {
      left += life.Transaction(order, order + "-t1", amount, may_refund);
    }
    if (currency == "EUR") platform.available_eur += left;
  }
  return out;
}

}  // namespace ledger::ctl
