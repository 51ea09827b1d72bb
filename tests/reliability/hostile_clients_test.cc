// Hostile clients against a real ledgerd process (docs/reliability.md, items 7 and 12).
//
// One server, one control client (root, one append or ping at a time) and a sequence of
// attacks, each running while the control client works: random bytes, huge announced
// lengths, clients that never read, credential guessing from one address, one byte at a time,
// and idle connections past the connection cap. The test asserts what must hold (every
// control request succeeds, the server survives and ends each attacker's connection as the
// protocol says, its memory stays bounded) and prints the figures (control latency per
// attack, peak server memory, connections refused at the cap); it never asserts speed.
//
// Then secrets: credentials and a card-number-like account number go through the API, the
// server stops, and neither its log nor any byte of its data directory may hold them.
//
// The seed is printed; LEDGER_TEST_SEED=<seed> replays a run. LEDGER_SOAK=1 makes every
// timed attack ten times longer.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <thread>

#include "hostile/attacks.h"
#include "hostile/control_client.h"
#include "hostile/secret_scan.h"
#include "ledger/client/commands.h"
#include "ledger/engine/ledger.h"
#include "ledger/limits.h"
#include "ledgerd/ledgerd_process.h"
#include "support/temp_dir.h"

namespace ledger::testing {
namespace {

namespace p = protocol;
using std::chrono::milliseconds;

/// A soft limit of open files many systems start services with: ledgerd must serve its
/// whole connection cap even when started under it.
constexpr rlim_t kCommonOpenFilesSoftLimit = 1024;
/// Memory that only a leak (or a buffer per announced byte) would reach, bytes.
constexpr std::size_t kServerMemoryBound = std::size_t{1} << 30;
/// Idle connections opened past the cap.
constexpr std::size_t kIdleAttemptsPastCap = 100;
/// Guessed credentials; the lockout comes after limits::kAuthenticationFailuresMax.
constexpr std::size_t kGuesses = 100;

std::uint64_t SeedFromEnvironment() {
  std::uint64_t seed = std::random_device{}();
  if (const char* text = std::getenv("LEDGER_TEST_SEED")) seed = std::strtoull(text, nullptr, 10);
  std::cout << "[   seed   ] LEDGER_TEST_SEED=" << seed << std::endl;
  return seed;
}

milliseconds AttackTime(int base_ms) {
  const char* soak = std::getenv("LEDGER_SOAK");
  return milliseconds(soak != nullptr && std::string(soak) == "1" ? 10 * base_ms : base_ms);
}

double MiB(std::size_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

class HostileClientsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The test holds the cap's worth of connections and more: lift its own soft limit.
    rlimit files{};
    ::getrlimit(RLIMIT_NOFILE, &files);
    files.rlim_cur = files.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &files);
    if (files.rlim_cur < 2 * limits::kConnectionsMax + 1024) {
      GTEST_SKIP() << "the hard limit of open files (" << files.rlim_max
                   << ") cannot hold the connection cap twice over; raise it (ulimit -Hn)";
    }

    data_ = directory_.Child("data");
    log_file_ = directory_.Child("ledgerd.log");
    LedgerdOptions options{
        LEDGERD_PATH, data_, log_file_, {"--log-level", "debug"}, kCommonOpenFilesSoftLimit};
    auto credential = LedgerdProcess::Init(options);
    ASSERT_TRUE(credential.ok()) << credential.status().ToString();
    root_credential_ = *credential;
    server_ = std::make_unique<LedgerdProcess>(std::move(options));
    auto started = server_->Start();
    ASSERT_TRUE(started.ok()) << started.status().ToString();
    control_ = std::make_unique<ControlClient>(server_->port(), root_credential_);
    ASSERT_TRUE(control_->connected());
  }

  /// Runs `attack` while the control client works; prints the control's latency under it
  /// and the server's peak resident memory during it.
  template <typename Attack>
  AttackTally UnderAttack(const std::string& name, Attack attack) {
    control_->SetPhase(name);
    std::atomic<bool> attacking{true};
    std::size_t peak_bytes = 0;
    std::thread sampler([&] {
      while (attacking.load()) {
        peak_bytes = std::max(peak_bytes, server_->ResidentBytes());
        std::this_thread::sleep_for(milliseconds(20));
      }
    });
    AttackTally tally = attack();
    attacking = false;
    sampler.join();
    control_->SetPhase("between attacks");
    const LatencySummary latency = control_->Summary(name);
    std::cout << "[  attack  ] " << name << ": " << tally.Describe() << "\n"
              << "             control: " << latency.requests << " requests, p50 " << latency.p50_ms
              << " ms, p99 " << latency.p99_ms << " ms, max " << latency.max_ms
              << " ms; server memory peak " << MiB(peak_bytes) << " MiB" << std::endl;
    EXPECT_TRUE(server_->Alive()) << "ledgerd died during " << name;
    return tally;
  }

  void ExpectServesANewClient(const std::string& credential, const std::string& when);
  void IdleConnectionsPastTheCap();
  void PutSecretsThroughTheApi();
  void ScanForSecrets();

  TempDir directory_;
  std::string data_;
  std::string log_file_;
  std::string root_credential_;
  std::unique_ptr<LedgerdProcess> server_;
  std::unique_ptr<ControlClient> control_;
  std::uint64_t seed_ = SeedFromEnvironment();
  std::vector<NamedSecret> secrets_;     // Must appear nowhere.
  std::vector<NamedSecret> references_;  // The caller's own text: stored, never logged.
};

client::ConnectOptions RootOptions(std::uint16_t port, const std::string& credential) {
  client::ConnectOptions options;
  options.port = port;
  options.kind = p::CredentialKind::Root;
  options.credential = credential;
  return options;
}

void HostileClientsTest::ExpectServesANewClient(const std::string& credential,
                                                const std::string& when) {
  client::ClientError error;
  auto fresh = client::Client::Connect(RootOptions(server_->port(), credential), &error);
  EXPECT_NE(fresh, nullptr) << when << ": " << error.ToString();
}

void HostileClientsTest::IdleConnectionsPastTheCap() {
  // The control client holds one connection; the server serves kConnectionsMax in all.
  const std::size_t attempts = limits::kConnectionsMax + kIdleAttemptsPastCap;
  std::size_t held = 0;
  AttackTally timed_out;
  auto idle = UnderAttack("idle connections", [&] {
    const auto opened_at = AttackSocket::Clock::now();
    std::vector<AttackSocket> sockets;
    AttackTally refused = OpenIdleConnections(server_->port(), attempts, &sockets);
    held = sockets.size();
    // While full, a newcomer is refused too; the control client, already in, is served.
    client::ClientError error;
    auto newcomer = client::Client::Connect(RootOptions(server_->port(), root_credential_), &error);
    EXPECT_EQ(newcomer, nullptr);
    EXPECT_EQ(error.code, p::ErrorCode::Overloaded) << error.ToString();
    // Silent connections are closed at the authentication deadline, which frees the cap.
    const auto give_up = opened_at + milliseconds(limits::kAuthenticateTimeoutMs + 5000);
    for (AttackSocket& socket : sockets) {
      const auto left =
          std::chrono::duration_cast<milliseconds>(give_up - AttackSocket::Clock::now());
      timed_out.Count(socket.AwaitEnding(std::max(left, milliseconds(1))), true);
    }
    return refused;
  });
  std::cout << "[  figure  ] idle connections: " << attempts << " opened, " << held
            << " held by the server until the authentication deadline, " << idle.refused
            << " refused at the cap (" << limits::kConnectionsMax << ")" << std::endl;
  EXPECT_GT(idle.refused, 0u);
  EXPECT_EQ(held + idle.refused, attempts);
  EXPECT_GE(held + 1, limits::kConnectionsMax - 8) << "the cap, not the descriptors, refuses";
  EXPECT_EQ(timed_out.Errors(p::ErrorCode::DeadlineExceeded), held) << timed_out.Describe();
  ExpectServesANewClient(root_credential_, "after the idle connections timed out");
}

client::SecretHash HashOf(const std::string& secret) { return Ledger::HashSecret(secret); }

std::string RandomSecret(std::mt19937_64& random) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text(64, '0');
  for (char& c : text) c = kHex[random() % 16];
  return text;
}

void ExpectAccepted(const client::Reply& reply, const std::string& what) {
  ASSERT_TRUE(reply.ok()) << what << ": " << reply.error().ToString();
  for (const auto* result : *reply.body<p::CommandResults>()->results()) {
    EXPECT_EQ(result->status(), p::ErrorCode::Ok) << what << ": " << result->message()->str();
  }
}

void HostileClientsTest::PutSecretsThroughTheApi() {
  std::mt19937_64 random(seed_ + 3);
  const std::string key_secret = RandomSecret(random);
  const std::string token_secret = RandomSecret(random);
  const std::string account_number = MakeCardNumberLike(seed_ + 4);
  const std::string order_reference = MakeCardNumberLike(seed_ + 5);
  secrets_.push_back({"root secret", root_credential_.substr(5)});
  secrets_.push_back({"api key secret", key_secret});
  secrets_.push_back({"user token secret", token_secret});
  secrets_.push_back({"full bank account number", account_number});
  references_.push_back({"card-number-like order reference", order_reference});

  client::ClientError error;
  auto root = client::Client::Connect(RootOptions(server_->port(), root_credential_), &error);
  ASSERT_NE(root, nullptr) << error.ToString();
  using namespace client;
  ExpectAccepted(
      root->Call(
          p::RequestBody::ExecuteCommands,
          ExecuteBatch({CreateOrganization("org-h", "Hostile test organization"),
                        CreatePlatform("org-h", "shop-h", "Shop", schema::Environment::Sandbox),
                        IssueApiKey("shop-h", "key-h", HashOf(key_secret)),
                        RegisterUser("user-h", "admin@example.com", "Admin"),
                        GrantRole("org-h", "user-h", schema::Role::Admin, {}),
                        IssueUserToken("user-h", "token-h", HashOf(token_secret))})),
      "directory");

  ConnectOptions as_user = RootOptions(server_->port(), "token-h." + token_secret);
  as_user.kind = p::CredentialKind::UserToken;
  as_user.environment = schema::Environment::Sandbox;
  auto user = Client::Connect(as_user, &error);
  ASSERT_NE(user, nullptr) << error.ToString();
  ExpectAccepted(user->Call(p::RequestBody::ExecuteCommands,
                            ExecuteBatch({AddBankAccount("shop-h", "ba-h", "Account Holder",
                                                         account_number, "EUR")})),
                 "bank account");

  ConnectOptions as_key = RootOptions(server_->port(), "key-h." + key_secret);
  as_key.kind = p::CredentialKind::ApiKey;
  auto key = Client::Connect(as_key, &error);
  ASSERT_NE(key, nullptr) << error.ToString();
  ExpectAccepted(key->Call(p::RequestBody::ExecuteCommands,
                           ExecuteBatch({CreateOrder("shop-h", "order-h", 1000, "EUR", "checkout",
                                                     order_reference)})),
                 "order");
  // A wrong secret for a real key: the failure is logged, the secret is not.
  as_key.credential = "key-h." + RandomSecret(random);
  secrets_.push_back({"wrong api key secret", as_key.credential.substr(6)});
  EXPECT_EQ(Client::Connect(as_key, &error), nullptr);
}

void HostileClientsTest::ScanForSecrets() {
  std::ifstream in(log_file_);
  std::stringstream log;
  log << in.rdbuf();
  std::cout << "[  secrets ] scanning " << log.str().size() / 1024 << " KiB of log and the data "
            << "directory for " << secrets_.size() << " secrets" << std::endl;
  std::vector<NamedSecret> never_logged = secrets_;
  never_logged.insert(never_logged.end(), references_.begin(), references_.end());
  for (const SecretFound& found : FindSecrets(log_file_, never_logged)) {
    ADD_FAILURE() << found.what << " is in the log " << found.where;
  }
  EXPECT_EQ(CardNumberLikeRuns(log.str()), std::vector<std::string>{}) << "in the log";
  // The scan reads a log that speaks of these credentials, by id only.
  EXPECT_NE(log.str().find("locked out"), std::string::npos);
  EXPECT_NE(log.str().find("api key 'key-h'"), std::string::npos);
  for (const SecretFound& found : FindSecrets(data_, secrets_)) {
    ADD_FAILURE() << found.what << " is in the data directory: " << found.where;
  }
  for (const SecretFound& found : FindCardNumberLikeRuns(data_)) {
    // The order reference, stored as given, or a piece of it: a compressed table may copy a
    // few of its bytes from elsewhere and keep the rest as literal text, a shorter run of
    // digits that can pass the Luhn check on its own (seed 1400404878 left 14 of its 16).
    if (references_[0].text.find(found.what) != std::string::npos) continue;
    ADD_FAILURE() << "a card-number-like " << found.what << " is in " << found.where;
  }
  // The order reference is the caller's own text and is kept as given (docs/domain.md).
  const bool reference_stored = !FindSecrets(data_, references_).empty();
  std::cout << "[  secrets ] the card-number-like order reference is "
            << (reference_stored ? "stored as given, by design" : "not stored") << std::endl;
}

TEST_F(HostileClientsTest, ControlClientIsServedThroughEveryAttackAndNoSecretLeaks) {
  control_->SetPhase("baseline");
  control_->Start();
  std::this_thread::sleep_for(AttackTime(2000));
  const LatencySummary baseline = control_->Summary("baseline");
  std::cout << "[ baseline ] control alone: " << baseline.requests << " requests, p50 "
            << baseline.p50_ms << " ms, p99 " << baseline.p99_ms << " ms" << std::endl;

  auto random_bytes = UnderAttack(
      "random bytes", [&] { return SendRandomBytes(server_->port(), seed_, AttackTime(3000)); });
  EXPECT_GT(random_bytes.ended_by_server, 0u);
  EXPECT_EQ(random_bytes.not_ended, 0u);

  auto huge = UnderAttack("huge lengths", [&] {
    return AnnounceHugeLengths(server_->port(), seed_ + 1, AttackTime(3000));
  });
  EXPECT_GT(huge.Errors(p::ErrorCode::FrameTooLarge), 0u);
  EXPECT_EQ(huge.not_ended, 0u);

  UnderAttack("never read", [&] {
    return NeverReadResponses(server_->port(), root_credential_, AttackTime(3000));
  });

  std::vector<std::string> guessed;
  p::ErrorCode right_credential_answer = p::ErrorCode::Ok;
  auto guesses = UnderAttack("credential guessing", [&] {
    return GuessCredentials(server_->port(), seed_ + 2, kGuesses, root_credential_, "127.0.0.2",
                            &guessed, &right_credential_answer);
  });
  EXPECT_EQ(guesses.Errors(p::ErrorCode::Unauthenticated), limits::kAuthenticationFailuresMax);
  EXPECT_EQ(guesses.Errors(p::ErrorCode::LockedOut), kGuesses - limits::kAuthenticationFailuresMax);
  EXPECT_EQ(right_credential_answer, p::ErrorCode::LockedOut) << "the address is locked out";
  ExpectServesANewClient(root_credential_, "another address during the lockout");
  for (std::size_t i = 0; i < guessed.size(); ++i) {
    secrets_.push_back({"guessed secret " + std::to_string(i), guessed[i]});
  }

  auto slow = UnderAttack("one byte at a time", [&] {
    return SendOneByteAtATime(server_->port(), root_credential_, AttackTime(15000));
  });
  EXPECT_EQ(slow.Errors(p::ErrorCode::DeadlineExceeded), slow.connections);
  EXPECT_EQ(slow.not_ended, 0u);

  IdleConnectionsPastTheCap();
  if (HasFatalFailure()) return;

  control_->Stop();
  EXPECT_EQ(control_->Failures(), std::vector<std::string>{}) << "every control request succeeds";
  const LatencySummary attacked = control_->SummaryExcept({"baseline", "between attacks"});
  std::cout << "[  figure  ] control during every attack: " << attacked.requests
            << " requests, p50 " << attacked.p50_ms << " ms, p99 " << attacked.p99_ms << " ms, max "
            << attacked.max_ms << " ms" << std::endl;
  std::cout << "[  figure  ] control requests: " << control_->Requests()
            << ", failed: " << control_->Failures().size()
            << "; server peak memory (VmHWM): " << MiB(server_->PeakResidentBytes()) << " MiB"
            << std::endl;
  EXPECT_LT(server_->PeakResidentBytes(), kServerMemoryBound);

  PutSecretsThroughTheApi();
  control_.reset();
  EXPECT_EQ(server_->Stop(), 0) << "ledgerd stops cleanly on SIGTERM";
  ScanForSecrets();
}

}  // namespace
}  // namespace ledger::testing
