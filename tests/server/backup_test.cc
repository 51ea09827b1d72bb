// CreateBackup over the network: a backup taken while commands go on is a data directory that
// `ledgerd --data` serves (chain verified, views rebuilt, keys recorded before it still
// answered Duplicate), and every refusal has its error while the connection and the server
// go on.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "ledgerd/ledgerd_process.h"
#include "server/world.h"

namespace ledger::testing {
namespace {

namespace p = protocol;
namespace c = client;
namespace fs = std::filesystem;
using schema::Environment;

c::BodyBuilder BackupTo(std::string path) {
  return [path = std::move(path)](flatbuffers::FlatBufferBuilder& b) {
    return p::CreateCreateBackupDirect(b, path.c_str()).Union();
  };
}

c::CommandBuilder Order(int i) {
  const std::string id = "o-" + std::to_string(i);
  return c::CreateOrder("acme-sbx", id, 1000 + i, "EUR", "checkout", "cart-" + id, c::WithKey(id));
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// `ledgerd --data DIR` on a free port, stopped with SIGTERM when it goes.
class Restored {
 public:
  Restored(const std::string& data, const std::string& log_file)
      : process_({LEDGERD_PATH, data, log_file, {"--log-level", "warn"}}) {
    auto port = process_.Start(std::chrono::seconds(60));
    EXPECT_TRUE(port.ok()) << port.status().ToString() << "\n" << ReadFile(log_file);
    if (port.ok()) port_ = *port;
  }
  ~Restored() {
    if (process_.running()) process_.Stop();
  }
  std::unique_ptr<c::Client> Connect(p::CredentialKind kind, const std::string& credential) {
    c::ConnectOptions options;
    options.port = port_;
    options.kind = kind;
    options.credential = credential;
    c::ClientError error;
    auto client = c::Client::Connect(options, &error);
    EXPECT_NE(client, nullptr) << error.ToString();
    return client;
  }
  int Stop() { return process_.Stop(); }

 private:
  LedgerdProcess process_;
  std::uint16_t port_ = 0;
};

class BackupTest : public ::testing::Test {
 protected:
  BackupTest() : world_(server_) {}

  c::Reply Backup(c::Client& client, const std::string& path) {
    return client.Call(p::RequestBody::CreateBackup, BackupTo(path));
  }
  std::uint64_t Head() { return server_.ledger().log().Head().sequence.value; }

  TestServer server_;
  World world_;
  TempDir backups_;
};

TEST_F(BackupTest, ABackupTakenUnderLoadIsServedByLedgerdAsTheLedgerWasAtItsHead) {
  // Orders keep coming on another connection, each under its own key, before, during and
  // after the backup.
  std::mutex mutex;
  std::map<int, std::uint64_t> acknowledged;  // order number → sequence
  std::atomic<bool> stop{false};
  std::atomic<int> batches{0};
  std::thread writer([&] {
    auto key = world_.Key("key-acme-sbx");
    for (int first = 0; !stop.load(); first += 8) {
      std::vector<c::CommandBuilder> batch;
      for (int i = first; i < first + 8; ++i) batch.push_back(Order(i));
      auto reply = key->Call(p::RequestBody::ExecuteCommands, c::ExecuteBatch(std::move(batch)));
      ASSERT_TRUE(reply.ok()) << reply.error().ToString();
      const auto* results = reply.body<p::CommandResults>()->results();
      std::lock_guard lock(mutex);
      for (int i = 0; i < 8; ++i) {
        ASSERT_EQ(results->Get(i)->status(), p::ErrorCode::Ok);
        acknowledged[first + i] = results->Get(i)->sequence();
      }
      ++batches;
    }
  });
  while (batches.load() < 5) std::this_thread::yield();
  const std::uint64_t before = Head();
  const std::string path = backups_.Child("ledger-backup");
  auto reply = Backup(*world_.root, path);
  const int batches_at_end = batches.load();
  while (batches.load() < batches_at_end + 5) std::this_thread::yield();
  stop = true;
  writer.join();

  ASSERT_TRUE(reply.ok()) << reply.error().ToString();
  const auto* backup = reply.body<p::BackupCreated>();
  ASSERT_NE(backup, nullptr);
  const std::uint64_t head = backup->head_sequence();
  EXPECT_EQ(backup->path()->str(), path);
  EXPECT_GE(head, before) << "the backup lacks events acknowledged before it was asked for";
  EXPECT_LT(head, Head());
  auto at_head = server_.ledger().log().ReadRange(SequenceNumber{head}, 1);
  ASSERT_TRUE(at_head.ok());
  const Hash256 hash = at_head->front().hash();
  ASSERT_NE(backup->head_hash(), nullptr);
  EXPECT_EQ(std::string(backup->head_hash()->begin(), backup->head_hash()->end()),
            std::string(hash.begin(), hash.end()));
  EXPECT_GT(backup->files(), 0u);
  EXPECT_GT(backup->bytes(), 0u);

  // A data directory: the log, the root credential's hash (0600), no views.
  struct stat info {};
  ASSERT_EQ(::stat((path + "/root.sha256").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(ReadFile(path + "/root.sha256"), ReadFile(server_.data_directory() + "/root.sha256"));
  EXPECT_TRUE(fs::is_directory(path + "/log"));
  EXPECT_FALSE(fs::exists(path + "/views"));

  Restored restored(path, backups_.Child("restored.log"));
  auto root = restored.Connect(p::CredentialKind::Root, server_.root_credential());
  ASSERT_NE(root, nullptr);
  auto verified = root->Call(p::RequestBody::VerifyChain,
                             [](auto& b) { return p::CreateVerifyChain(b).Union(); });
  ASSERT_TRUE(verified.ok()) << verified.error().ToString();
  const auto* chain = verified.body<p::VerifyChainResult>();
  EXPECT_TRUE(chain->ok()) << chain->problem()->str();
  EXPECT_EQ(chain->events_checked(), head);
  EXPECT_EQ(chain->last_good_sequence(), head);

  // The views are rebuilt from the log: every order acknowledged up to the head, none after.
  std::map<int, std::uint64_t> in_backup;
  std::optional<std::pair<int, std::uint64_t>> after;
  for (const auto& [order, sequence] : acknowledged) {
    if (sequence <= head) {
      in_backup[order] = sequence;
    } else if (!after) {
      after = {order, sequence};
    }
  }
  ASSERT_TRUE(after.has_value());
  auto summary = root->Call(p::RequestBody::Query, [head](flatbuffers::FlatBufferBuilder& b) {
    return p::CreateQueryDirect(b, p::QueryKind::PlatformSummary, Environment::Sandbox, "acme",
                                "acme-sbx", nullptr, nullptr, 0, 0, nullptr, nullptr, nullptr, 0, 0,
                                nullptr, nullptr, nullptr, 0, head, 10'000)
        .Union();
  });
  ASSERT_TRUE(summary.ok()) << summary.error().ToString();
  std::int64_t orders = 0;
  for (const auto* currency : *summary.body<p::PlatformSummary>()->currencies()) {
    for (const auto* status : *currency->orders_by_status()) orders += status->count();
  }
  EXPECT_EQ(orders, static_cast<std::int64_t>(in_backup.size()));

  // Keys recorded before the head answer Duplicate with their sequence; one recorded after it
  // is new there.
  auto key = restored.Connect(p::CredentialKind::ApiKey, world_.credentials.at("key-acme-sbx"));
  ASSERT_NE(key, nullptr);
  std::vector<c::CommandBuilder> retries;
  for (const auto& [order, sequence] : in_backup) retries.push_back(Order(order));
  auto retried = key->Call(p::RequestBody::ExecuteCommands, c::ExecuteBatch(std::move(retries)));
  ASSERT_TRUE(retried.ok()) << retried.error().ToString();
  const auto* results = retried.body<p::CommandResults>()->results();
  ASSERT_EQ(results->size(), in_backup.size());
  std::size_t i = 0;
  for (const auto& [order, sequence] : in_backup) {
    EXPECT_EQ(results->Get(i)->status(), p::ErrorCode::Duplicate) << "o-" << order;
    EXPECT_EQ(results->Get(i)->sequence(), sequence) << "o-" << order;
    ++i;
  }
  auto fresh = key->Call(p::RequestBody::ExecuteCommands, c::ExecuteBatch({Order(after->first)}));
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh.body<p::CommandResults>()->results()->Get(0)->status(), p::ErrorCode::Ok);
  EXPECT_EQ(fresh.body<p::CommandResults>()->results()->Get(0)->sequence(), head + 1);
  EXPECT_EQ(restored.Stop(), 0);
}

TEST_F(BackupTest, AQuietBackupHasTheViewsDigestOfTheLedger) {
  auto key = world_.Key("key-acme-sbx");
  ASSERT_EQ(ExecuteOne(*key, Order(1)), p::ErrorCode::Ok);
  const std::uint64_t head = Head();
  const auto digest = [head](c::Client& client) {
    auto reply = client.Call(p::RequestBody::GetProjectionsDigest, [head](auto& b) {
      return p::CreateGetProjectionsDigest(b, head, 10'000).Union();
    });
    EXPECT_TRUE(reply.ok()) << reply.error().ToString();
    const auto* body = reply.ok() ? reply.body<p::ProjectionsDigest>() : nullptr;
    return body == nullptr ? std::string()
                           : std::string(body->digest()->begin(), body->digest()->end());
  };
  const std::string live = digest(*world_.root);
  ASSERT_FALSE(live.empty());

  const std::string path = backups_.Child("quiet");
  fs::create_directory(path);  // An empty directory will do.
  auto reply = Backup(*world_.root, path + "/");
  ASSERT_TRUE(reply.ok()) << reply.error().ToString();
  EXPECT_EQ(reply.body<p::BackupCreated>()->head_sequence(), head);
  EXPECT_EQ(reply.body<p::BackupCreated>()->path()->str(), path);

  Restored restored(path, backups_.Child("quiet.log"));
  auto root = restored.Connect(p::CredentialKind::Root, server_.root_credential());
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(digest(*root), live);
}

TEST_F(BackupTest, RefusalsHaveTheirErrorsAndTheConnectionGoesOn) {
  const auto ping = [](c::Client& client) {
    return client.Call(p::RequestBody::Ping, [](auto& b) { return p::CreatePing(b).Union(); }).ok();
  };
  const auto refused = [&](c::Client& client, const std::string& path) {
    auto reply = Backup(client, path);
    EXPECT_FALSE(reply.ok()) << path;
    EXPECT_TRUE(ping(client)) << "the connection was closed after " << path;
    return reply.ok() ? std::make_pair(p::ErrorCode::Ok, std::string())
                      : std::make_pair(reply.error().code, reply.error().message);
  };
  auto admin = world_.User("admin", Environment::Sandbox);
  auto key = world_.Key("key-acme-sbx");
  EXPECT_EQ(refused(*admin, backups_.Child("a")).first, p::ErrorCode::Forbidden);
  EXPECT_EQ(refused(*key, backups_.Child("a")).first, p::ErrorCode::Forbidden);
  EXPECT_FALSE(fs::exists(backups_.Child("a")));

  c::Client& root = *world_.root;
  EXPECT_EQ(refused(root, "").first, p::ErrorCode::InvalidArgument);
  auto relative = refused(root, "backups/today");
  EXPECT_EQ(relative.first, p::ErrorCode::InvalidArgument);
  EXPECT_NE(relative.second.find("absolute"), std::string::npos) << relative.second;

  fs::create_directory(backups_.Child("full"));
  std::ofstream(backups_.Child("full/keep")) << "kept";
  auto full = refused(root, backups_.Child("full"));
  EXPECT_EQ(full.first, p::ErrorCode::InvalidArgument);
  EXPECT_NE(full.second.find("not empty"), std::string::npos) << full.second;
  EXPECT_EQ(ReadFile(backups_.Child("full/keep")), "kept");
  EXPECT_EQ(refused(root, backups_.Child("full/keep")).first, p::ErrorCode::InvalidArgument);

  auto orphan = refused(root, backups_.Child("missing/backup"));
  EXPECT_EQ(orphan.first, p::ErrorCode::NotFound);
  EXPECT_NE(orphan.second.find("create it"), std::string::npos) << orphan.second;
  EXPECT_FALSE(fs::exists(backups_.Child("missing")));

  // Inside the data directory served (its log, its views, or beside them): it would go
  // wherever that directory goes. Nothing is created.
  for (const std::string& inside :
       {server_.data_directory() + "/log/backup", server_.data_directory() + "/views/backup",
        server_.data_directory() + "/backup"}) {
    auto within = refused(root, inside);
    EXPECT_EQ(within.first, p::ErrorCode::InvalidArgument) << inside;
    EXPECT_NE(within.second.find("inside the data directory"), std::string::npos) << within.second;
    EXPECT_FALSE(fs::exists(inside));
  }

  // A directory that cannot be created: the storage's error.
  auto unwritable = refused(root, "/proc/ledger-backup");
  EXPECT_EQ(unwritable.first, p::ErrorCode::Internal);
  EXPECT_NE(unwritable.second.find("/proc/ledger-backup"), std::string::npos);

  // One backup at a time: a second one pipelined behind the first is refused at once.
  std::promise<c::Reply> first;
  std::promise<c::Reply> second;
  root.Send(p::RequestBody::CreateBackup, BackupTo(backups_.Child("one")), [&first](c::Reply r) {
    first.set_value(std::move(r));
    return false;
  });
  root.Send(p::RequestBody::CreateBackup, BackupTo(backups_.Child("two")), [&second](c::Reply r) {
    second.set_value(std::move(r));
    return false;
  });
  c::Reply one = first.get_future().get();
  c::Reply two = second.get_future().get();
  EXPECT_TRUE(one.ok()) << one.error().ToString();
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.error().code, p::ErrorCode::Overloaded) << two.error().ToString();
  EXPECT_FALSE(fs::exists(backups_.Child("two")));

  // After all that, the ledger serves everyone and backs up again.
  EXPECT_EQ(ExecuteOne(*key, Order(1)), p::ErrorCode::Ok);
  auto good = Backup(root, backups_.Child("good"));
  ASSERT_TRUE(good.ok()) << good.error().ToString();
  EXPECT_EQ(good.body<p::BackupCreated>()->head_sequence(), Head());
}

}  // namespace
}  // namespace ledger::testing
