#include <map>
#include <memory>

#include "command_flags.h"
#include "commands_domain.h"

namespace ledger::ctl {
namespace {

namespace c = client;

struct Fields {
  std::map<std::string, std::string> text;
  std::int64_t amount = 0;
  std::int64_t occurred_at_us = 0;
  CommandFlags flags;
  c::CommandOptions Options() const { return flags.Options(); }
};

CLI::App* Sub(CLI::App& parent, const std::string& name, const std::string& help, Fields& f) {
  auto* sub = parent.add_subcommand(name, help);
  f.flags.AddTo(*sub);
  return sub;
}

void Text(CLI::App* sub, Fields& f, const std::string& flag, const std::string& help,
          bool required = true) {
  auto* option = sub->add_option("--" + flag, f.text[flag], help);
  if (required) option->required();
}

void Amount(CLI::App* sub, Fields& f) {
  sub->add_option("--amount", f.amount, "amount in minor units (2500 = 25.00 EUR)")->required();
}

void AddOrders(CLI::App& app, Ctl& ctl) {
  auto* order = app.add_subcommand("order", "orders (payment requests)")->require_subcommand(1);
  auto f = std::make_shared<Fields>();
  auto* create = Sub(*order, "create", "open an order", *f);
  Text(create, *f, "platform", "platform id");
  Text(create, *f, "id", "order id");
  Amount(create, *f);
  Text(create, *f, "currency", "ISO 4217 code");
  Text(create, *f, "module", "payment module (checkout, split...)", false);
  Text(create, *f, "reference", "the merchant's reference", false);
  create->callback([&ctl, f] {
    ctl.action = [f](Ctl& c) {
      auto& t = f->text;
      std::string module = t["module"].empty() ? "checkout" : t["module"];
      return c.Execute(
          {{"create_order", client::CreateOrder(t["platform"], t["id"], f->amount, t["currency"],
                                                module, t["reference"], f->Options())}});
    };
  });
  auto* cancel = Sub(*order, "cancel", "cancel an order", *f);
  Text(cancel, *f, "platform", "platform id");
  Text(cancel, *f, "id", "order id");
  Text(cancel, *f, "reason", "why", false);
  cancel->callback([&ctl, f] {
    ctl.action = [f](Ctl& c) {
      auto& t = f->text;
      return c.Execute({{"cancel_order",
                         client::CancelOrder(t["platform"], t["id"], t["reason"], f->Options())}});
    };
  });
}

void AddTransactionsAndOperations(CLI::App& app, Ctl& ctl) {
  auto* transaction = app.add_subcommand("transaction", "transactions")->require_subcommand(1);
  auto f = std::make_shared<Fields>();
  auto* create = Sub(*transaction, "create", "start a payment of an order", *f);
  Text(create, *f, "platform", "platform id");
  Text(create, *f, "order", "order id");
  Text(create, *f, "id", "transaction id");
  Amount(create, *f);
  create->callback([&ctl, f] {
    ctl.action = [f](Ctl& c) {
      auto& t = f->text;
      return c.Execute(
          {{"create_transaction", client::CreateTransaction(t["platform"], t["order"], t["id"],
                                                            f->amount, f->Options())}});
    };
  });

  static const std::map<std::string, schema::OperationKind> kKinds = {
      {"authorization", schema::OperationKind::Authorization},
      {"capture", schema::OperationKind::Capture},
      {"refund", schema::OperationKind::Refund},
      {"cancellation", schema::OperationKind::Cancellation},
      {"chargeback", schema::OperationKind::Chargeback},
      {"fee", schema::OperationKind::Fee}};
  auto* operation = app.add_subcommand("operation", "operations")->require_subcommand(1);
  auto g = std::make_shared<Fields>();
  auto* record = Sub(*operation, "record", "record an operation on a transaction", *g);
  Text(record, *g, "platform", "platform id");
  Text(record, *g, "order", "order id");
  Text(record, *g, "transaction", "transaction id");
  Text(record, *g, "id", "operation id");
  record->add_option("--kind", g->text["kind"], "authorization, capture, refund, ...")
      ->required()
      ->check(CLI::IsMember(kKinds));
  record->add_option("--outcome", g->text["outcome"], "succeeded (default) or failed")
      ->check(CLI::IsMember({"succeeded", "failed"}));
  Amount(record, *g);
  Text(record, *g, "external-reference", "the processor's reference", false);
  CLI::Option* occurred_at =
      record->add_option("--occurred-at-us", g->occurred_at_us,
                         "when it happened at the processor (µs since the epoch; default now)");
  record->callback([&ctl, g, occurred_at] {
    ctl.action = [g, occurred_at](Ctl& c) {
      auto& t = g->text;
      std::int64_t occurred = g->occurred_at_us;
      // Only an absent option means now: an explicit 0 goes to the server, which refuses it.
      if (occurred_at->count() == 0) {
        occurred = std::chrono::duration_cast<std::chrono::microseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
      }
      client::OperationFields fields{t["platform"],
                                     t["order"],
                                     t["transaction"],
                                     t["id"],
                                     kKinds.at(t["kind"]),
                                     t["outcome"] == "failed" ? schema::OperationOutcome::Failed
                                                              : schema::OperationOutcome::Succeeded,
                                     g->amount,
                                     t["external-reference"],
                                     occurred};
      return c.Execute({{"record_operation", client::RecordOperation(fields, g->Options())}});
    };
  });
}

void AddWithdrawals(CLI::App& app, Ctl& ctl) {
  auto* withdrawal = app.add_subcommand("withdrawal", "withdrawals")->require_subcommand(1);
  auto f = std::make_shared<Fields>();
  auto* request = Sub(*withdrawal, "request", "ask for money to leave the wallet", *f);
  Text(request, *f, "platform", "platform id");
  Text(request, *f, "id", "withdrawal id");
  Text(request, *f, "bank-account", "bank account id");
  Amount(request, *f);
  Text(request, *f, "currency", "ISO 4217 code");
  request->callback([&ctl, f] {
    ctl.action = [f](Ctl& c) {
      auto& t = f->text;
      return c.Execute({{"request_withdrawal",
                         client::RequestWithdrawal(t["platform"], t["id"], t["bank-account"],
                                                   f->amount, t["currency"], f->Options())}});
    };
  });
  auto* settle = Sub(*withdrawal, "settle", "the bank paid the withdrawal", *f);
  Text(settle, *f, "platform", "platform id");
  Text(settle, *f, "id", "withdrawal id");
  Text(settle, *f, "external-reference", "the bank's reference", false);
  settle->callback([&ctl, f] {
    ctl.action = [f](Ctl& c) {
      auto& t = f->text;
      return c.Execute(
          {{"settle_withdrawal", client::SettleWithdrawal(t["platform"], t["id"],
                                                          t["external-reference"], f->Options())}});
    };
  });
  auto* fail = Sub(*withdrawal, "fail", "the withdrawal failed; its amount returns", *f);
  Text(fail, *f, "platform", "platform id");
  Text(fail, *f, "id", "withdrawal id");
  Text(fail, *f, "reason", "why", false);
  fail->callback([&ctl, f] {
    ctl.action = [f](Ctl& c) {
      auto& t = f->text;
      return c.Execute({{"fail_withdrawal", client::FailWithdrawal(t["platform"], t["id"],
                                                                   t["reason"], f->Options())}});
    };
  });
}

}  // namespace

void AddPaymentCommands(CLI::App& app, Ctl& ctl) {
  AddOrders(app, ctl);
  AddTransactionsAndOperations(app, ctl);
  AddWithdrawals(app, ctl);
}

}  // namespace ledger::ctl
