#include "engine/domain/model_generator.h"

namespace ledger::testing {
namespace {

using domain::Principal;
using schema::Environment;
using schema::OperationKind;
using schema::OperationOutcome;
using schema::Role;

constexpr const char* kCurrencies[] = {"EUR", "JPY", "KWD"};

Environment Other(Environment environment) {
  return environment == Environment::Sandbox ? Environment::Production : Environment::Sandbox;
}

}  // namespace

ModelGenerator::ModelGenerator(std::uint64_t seed, ReferenceModel& model)
    : ModelGenerator([engine = std::mt19937_64(seed)]() mutable { return engine(); }, model) {}

ModelGenerator::ModelGenerator(std::function<std::uint64_t()> bits, ReferenceModel& model)
    : random_(std::move(bits)), model_(model) {
  platforms_ = {{"pa1", "acme", Environment::Sandbox, {"k-pa1"}, {}, {}, {}},
                {"pa2", "acme", Environment::Sandbox, {"k-pa2"}, {}, {}, {}},
                {"pa3", "acme", Environment::Production, {"k-pa3"}, {}, {}, {}},
                {"pb1", "globex", Environment::Sandbox, {"k-pb1"}, {}, {}, {}}};
}

CommandRequest ModelGenerator::Request(Principal principal, domain::Command command) {
  return CommandRequest{std::move(principal),  std::move(command), {}, {}, {},
                        ExpectedVersion::Any()};
}

std::vector<CommandRequest> ModelGenerator::Setup() {
  std::vector<CommandRequest> setup;
  auto root = [&setup, this](domain::Command command) {
    if (!std::holds_alternative<domain::CreateOrganization>(command) &&
        !std::holds_alternative<domain::CreatePlatform>(command) &&
        !std::holds_alternative<domain::RegisterUser>(command)) {
      (void)model_.Execute(Principal::Root(), command);
    }
    setup.push_back(Request(Principal::Root(), std::move(command)));
  };
  for (const char* organization : {"acme", "globex"}) {
    model_.AddOrganization(organization);
    root(domain::CreateOrganization{organization, organization});
  }
  for (const PlatformInfo& p : platforms_) {
    model_.AddPlatform(p.organization, p.id, p.environment);
    root(domain::CreatePlatform{p.organization, p.id, p.id, p.environment});
  }
  for (const char* user : {"admin", "admin2", "dev", "oper", "sales", "acct", "padmin", "gadmin"}) {
    model_.AddUser(user);
    root(domain::RegisterUser{user, std::string(user) + "@test", user});
  }
  root(domain::GrantRole{"acme", "admin", Role::Admin, true, {}});
  root(domain::GrantRole{"acme", "admin2", Role::Admin, true, {}});
  root(domain::GrantRole{"acme", "dev", Role::Developer, true, {}});
  root(domain::GrantRole{"acme", "oper", Role::Operator, false, {"pa1"}});
  root(domain::GrantRole{"acme", "sales", Role::Sales, false, {"pa1", "pa2"}});
  root(domain::GrantRole{"acme", "acct", Role::Accountant, true, {}});
  root(domain::GrantRole{"acme", "padmin", Role::Admin, false, {"pa2"}});
  root(domain::GrantRole{"globex", "gadmin", Role::Admin, true, {}});
  for (const PlatformInfo& p : platforms_) {
    root(domain::IssueApiKey{p.id, p.keys.front(), Ledger::HashSecret(p.keys.front())});
    for (const char* currency : kCurrencies) {
      root(domain::AddBankAccount{p.id, std::string("b-") + currency, "Holder", "FR7612345678",
                                  currency});
    }
  }
  return setup;
}

std::string ModelGenerator::MaybeBroken(std::string id) {
  if (Percent() != 0) return id;
  return Percent() < 50 ? id + "/x" : std::string();
}

std::int64_t ModelGenerator::Around(std::int64_t target) {
  const int p = Percent();
  if (p < 40) return target;
  if (p < 55) return target + 1;
  if (p < 60) return Percent() < 50 ? 0 : -target;
  if (target <= 1) return 1 + static_cast<std::int64_t>(Below(1000));
  return 1 + static_cast<std::int64_t>(Below(static_cast<std::size_t>(target)));
}

std::string ModelGenerator::Currency() {
  if (Percent() == 0) return "EURO";
  return kCurrencies[Below(3)];
}

Principal ModelGenerator::KeyOf(const PlatformInfo& platform) {
  // The newest key the model knows active (issuing may have been refused).
  std::string id = platform.keys.front();
  for (auto it = platform.keys.rbegin(); it != platform.keys.rend(); ++it) {
    if (model_.KeyActive(*it) && model_.KeyPlatform(*it) == platform.id) {
      id = *it;
      break;
    }
  }
  return Principal::ApiKey(id, platform.organization, platform.id, platform.environment);
}

Principal ModelGenerator::AdminFor(const PlatformInfo& platform) {
  if (platform.organization == "globex") return Principal::User("gadmin", platform.environment);
  return Principal::User(Percent() < 80 ? "admin" : "admin2", platform.environment);
}

Principal ModelGenerator::PrincipalFor(const PlatformInfo& platform) {
  const int p = Percent();
  const Environment env = platform.environment;
  if (p < 76) return KeyOf(platform);
  if (p < 82) return AdminFor(platform);
  if (p < 84) return Principal::User("oper", env);
  if (p < 86) return Principal::User("sales", env);
  if (p < 88) return Principal::User("dev", env);
  if (p < 89) return Principal::User("acct", env);
  if (p < 90) return Principal::User("padmin", env);
  if (p < 91) return Principal::User("gadmin", env);
  if (p < 93) return Principal::User("admin", Other(env));
  if (p < 95) return KeyOf(AnyPlatform());
  if (p < 97) return Principal::Root();
  if (p < 98) return Principal::User("ghost", env);
  if (p < 99) return Principal::ApiKey("k-none", platform.organization, platform.id, env);
  // The platform's first key, possibly revoked by now.
  return Principal::ApiKey(platform.keys.front(), platform.organization, platform.id, env);
}

CommandRequest ModelGenerator::Next() {
  PlatformInfo& platform = AnyPlatform();
  const int p = Percent();
  if (p < 14) return CreateOrder(platform);
  if (p < 16) return CancelOrder(platform);
  if (p < 32) return CreateTransaction(platform);
  if (p < 89) return RecordOperation(platform);
  if (p < 98) return Withdrawal(platform);
  return Directory(platform);
}

CommandRequest ModelGenerator::CreateOrder(PlatformInfo& platform) {
  std::string order = "o" + std::to_string(next_id_++);
  if (Percent() < 3 && !platform.orders.empty())
    order = platform.orders[Below(platform.orders.size())];
  platform.orders.push_back(order);
  const std::int64_t amount = Around(1000 + static_cast<std::int64_t>(Below(100000)));
  return Request(PrincipalFor(platform),
                 domain::CreateOrder{MaybeBroken(platform.id), MaybeBroken(order), amount,
                                     Currency(), "checkout", "ref"});
}

CommandRequest ModelGenerator::CancelOrder(PlatformInfo& platform) {
  std::string order =
      platform.orders.empty() ? "none" : platform.orders[Below(platform.orders.size())];
  return Request(PrincipalFor(platform), domain::CancelOrder{platform.id, order, "reason"});
}

CommandRequest ModelGenerator::CreateTransaction(PlatformInfo& platform) {
  std::string order = "none";
  // Mostly recent orders that exist, where payments happen.
  for (int attempt = 0; attempt < 4 && !platform.orders.empty(); ++attempt) {
    const std::size_t n = platform.orders.size();
    order =
        platform.orders[Percent() < 80 ? n - 1 - Below(std::min<std::size_t>(n, 20)) : Below(n)];
    if (model_.orders().contains(platform.id + "/" + order)) break;
  }
  std::string transaction = "t" + std::to_string(next_id_++);
  if (Percent() < 2 && !platform.transactions.empty()) {
    transaction = platform.transactions[Below(platform.transactions.size())].second;
  }
  std::int64_t open = 500;
  auto found = model_.orders().find(platform.id + "/" + order);
  if (found != model_.orders().end()) {
    open = found->second.amount - found->second.committed;
    if (Percent() < 50) open = open / 2 + 1;
  }
  std::string currency;
  if (Percent() < 10)
    currency =
        found != model_.orders().end() && Percent() < 50 ? found->second.currency : Currency();
  platform.transactions.emplace_back(order, transaction);
  return Request(PrincipalFor(platform),
                 domain::CreateTransaction{platform.id, order, MaybeBroken(transaction),
                                           Around(std::max<std::int64_t>(open, 1)), currency});
}

}  // namespace ledger::testing
