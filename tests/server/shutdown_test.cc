// Graceful shutdown loses nothing acknowledged: requests in flight are answered, then the
// connections close; every acknowledged event is in the log after a restart. Also ledgerd
// itself: init, serve, SIGTERM, exit 0.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "ledger/schema/envelope_generated.h"
#include "server/server_fixture.h"

namespace ledger::testing {
namespace {

namespace p = protocol;

client::BodyBuilder KeyedAppend(const std::string& key) {
  return [key](flatbuffers::FlatBufferBuilder& b) {
    std::vector<std::uint8_t> payload(key.begin(), key.end());
    std::vector<flatbuffers::Offset<p::EventInput>> inputs{p::CreateEventInputDirect(
        b, "opaque/shutdown", p::ExpectedKind::Any, 0, &payload, key.c_str())};
    return p::CreateAppendEventsDirect(b, &inputs).Union();
  };
}

TEST(ShutdownTest, EveryAcknowledgedAppendSurvivesAGracefulStop) {
  TestServer server;
  std::mutex mutex;
  std::map<std::string, std::uint64_t> acknowledged;  // key → sequence
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      auto client = server.ConnectRoot();
      if (!client) return;
      for (int i = 0; !stop.load(); ++i) {
        // Several requests in flight per connection at any time.
        std::vector<std::pair<std::string, std::shared_ptr<std::promise<client::Reply>>>> batch;
        for (int k = 0; k < 8; ++k) {
          std::string key =
              "w" + std::to_string(w) + "-" + std::to_string(i) + "-" + std::to_string(k);
          auto promise = std::make_shared<std::promise<client::Reply>>();
          client->Send(p::RequestBody::AppendEvents, KeyedAppend(key), [promise](client::Reply r) {
            promise->set_value(std::move(r));
            return false;
          });
          batch.emplace_back(key, promise);
        }
        bool failed = false;
        for (auto& [key, promise] : batch) {
          auto reply = promise->get_future().get();
          if (!reply.ok()) {
            failed = true;
            continue;
          }
          const auto* result = reply.body<p::CommandResults>()->results()->Get(0);
          std::lock_guard lock(mutex);
          acknowledged[key] = result->sequence();
        }
        if (failed) return;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  server.StopAndClose();
  stop = true;
  for (auto& writer : writers) writer.join();
  ASSERT_GT(acknowledged.size(), 0u);

  server.Reopen();
  auto events = server.ledger().log().ReadRange(SequenceNumber{1}, limits::kReadEventsMax);
  ASSERT_TRUE(events.ok());
  std::map<std::string, std::uint64_t> stored;
  for (const auto& event : *events) {
    stored[event.envelope().idempotency_key()->str()] = event.sequence().value;
  }
  for (const auto& [key, sequence] : acknowledged) {
    auto found = stored.find(key);
    ASSERT_NE(found, stored.end()) << key;
    EXPECT_EQ(found->second, sequence) << key;
  }
}

/// Runs a program, capturing its standard output.
struct Process {
  pid_t pid = -1;
  FILE* output = nullptr;
};

/// Runs `args`, standard output to a pipe and, when `stderr_path` is given, standard error
/// to that file.
Process Spawn(std::vector<std::string> args, const std::string& stderr_path = "") {
  int pipe_fds[2];
  EXPECT_EQ(::pipe(pipe_fds), 0);
  Process process;
  process.pid = ::fork();
  if (process.pid == 0) {
    ::dup2(pipe_fds[1], STDOUT_FILENO);
    if (!stderr_path.empty()) {
      int log = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (log >= 0) ::dup2(log, STDERR_FILENO);
    }
    ::close(pipe_fds[0]);
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  process.output = ::fdopen(pipe_fds[0], "r");
  return process;
}

std::string ReadLine(FILE* output) {
  char line[512] = {};
  return std::fgets(line, sizeof line, output) != nullptr ? std::string(line) : std::string();
}

int Wait(const Process& process) {
  int status = 0;
  ::waitpid(process.pid, &status, 0);
  std::fclose(process.output);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(ShutdownTest, LedgerdInitServesAndExitsZeroOnSigterm) {
  TempDir dir;
  const std::string data = dir.Child("data");
  Process init = Spawn({LEDGERD_PATH, "init", "--data", data});
  std::string credential;
  for (std::string line = ReadLine(init.output); !line.empty(); line = ReadLine(init.output)) {
    if (line.find("root.") != std::string::npos) credential = line.substr(line.find("root."));
  }
  ASSERT_EQ(Wait(init), 0);
  while (!credential.empty() && std::isspace(static_cast<unsigned char>(credential.back()))) {
    credential.pop_back();
  }
  ASSERT_EQ(credential.size(), 5u + 64u);
  Process again = Spawn({LEDGERD_PATH, "init", "--data", data});
  EXPECT_NE(Wait(again), 0);  // Never initializes twice.
  Process bad = Spawn({LEDGERD_PATH, "--data", data, "--no-such-option"});
  EXPECT_EQ(Wait(bad), 2);

  Process served =
      Spawn({LEDGERD_PATH, "--data", data, "--listen", "127.0.0.1:0", "--log-level", "warn"});
  std::string line = ReadLine(served.output);
  ASSERT_EQ(line.rfind("listening on 127.0.0.1:", 0), 0u) << line;
  client::ConnectOptions options;
  options.port = static_cast<std::uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
  options.kind = p::CredentialKind::Root;
  options.credential = credential;
  client::ClientError error;
  auto client = client::Client::Connect(options, &error);
  ASSERT_NE(client, nullptr) << error.ToString();
  auto reply = client->Call(p::RequestBody::AppendEvents, KeyedAppend("one"));
  ASSERT_TRUE(reply.ok()) << reply.error().ToString();
  ::kill(served.pid, SIGTERM);
  EXPECT_EQ(Wait(served), 0);
}

// `init` creates the directory a start would serve: from the config file too.
TEST(ShutdownTest, InitCreatesTheDataDirectoryTheConfigFileNames) {
  TempDir dir;
  const std::string config = dir.Child("ledgerd.conf");
  const std::string data = dir.Child("from config #1");
  std::ofstream(config) << "data = \"" << data << "\"\n";
  Process init = Spawn({LEDGERD_PATH, "--config", config, "init"});
  while (!ReadLine(init.output).empty()) {
  }
  ASSERT_EQ(Wait(init), 0);
  EXPECT_TRUE(std::filesystem::exists(data + "/root.sha256"));
  // The same config, given after init: the directory is there already, so init refuses.
  Process again = Spawn({LEDGERD_PATH, "init", "--config", config});
  while (!ReadLine(again.output).empty()) {
  }
  EXPECT_EQ(Wait(again), 1);
}

// Log lines name their level as --log-level does ("warn", not spdlog's "warning").
TEST(ShutdownTest, JsonLogLinesNameLevelsAsTheSettingDoes) {
  TempDir dir;
  const std::string data = dir.Child("data");
  Process init = Spawn({LEDGERD_PATH, "init", "--data", data});
  while (!ReadLine(init.output).empty()) {
  }
  ASSERT_EQ(Wait(init), 0);
  const std::string log_path = dir.Child("ledgerd.log");
  Process served = Spawn({LEDGERD_PATH, "--data", data, "--listen", "127.0.0.1:0", "--log-level",
                          "warn", "--log-format", "json"},
                         log_path);
  std::string line = ReadLine(served.output);
  ASSERT_EQ(line.rfind("listening on 127.0.0.1:", 0), 0u) << line;
  client::ConnectOptions options;
  options.port = static_cast<std::uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
  options.kind = p::CredentialKind::Root;
  options.credential = "root." + std::string(64, '0');
  client::ClientError error;
  EXPECT_EQ(client::Client::Connect(options, &error), nullptr);  // Logged at warn.
  ::kill(served.pid, SIGTERM);
  EXPECT_EQ(Wait(served), 0);
  std::ifstream log(log_path);
  int warnings = 0;
  for (std::string entry; std::getline(log, entry);) {
    auto parsed = nlohmann::json::parse(entry, nullptr, false);
    ASSERT_TRUE(parsed.is_object()) << entry;
    const std::string level = parsed.value("level", "");
    EXPECT_TRUE(level == "warn" || level == "error" || level == "critical") << entry;
    if (level == "warn" &&
        parsed.value("message", "").find("authentication failed") != std::string::npos) {
      ++warnings;
    }
  }
  EXPECT_EQ(warnings, 1);
}

}  // namespace
}  // namespace ledger::testing
