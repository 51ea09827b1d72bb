// ledgerd's settings: flags over environment over config file over defaults; unknown keys
// refused; bad values named with their source.
#include "ledger/server/config.h"

#include <gtest/gtest.h>

#include <fstream>

#include "ledger/engine/ledger.h"
#include "support/temp_dir.h"

namespace ledger::testing {
namespace {

using server::ConfigSource;

server::EnvironmentLookup Environment(std::map<std::string, std::string> values) {
  return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
    auto found = values.find(std::string(name));
    if (found == values.end()) return std::nullopt;
    return found->second;
  };
}

TEST(ConfigTest, FlagBeatsEnvironmentBeatsFileBeatsDefault) {
  TempDir dir;
  const std::string file = dir.Child("ledgerd.conf");
  std::ofstream(file) << "# a comment\nlisten = \"127.0.0.1:9000\"\ndurability = async\n"
                         "log-level = debug\n";
  auto resolved = server::ResolveConfig(
      {{"listen", "127.0.0.1:9002"}}, file,
      Environment({{"LEDGER_LISTEN", "127.0.0.1:9001"}, {"LEDGER_DURABILITY", "sync"}}));
  ASSERT_TRUE(resolved.ok()) << resolved.status().ToString();
  EXPECT_EQ(resolved->config.listen, "127.0.0.1:9002");
  EXPECT_EQ(resolved->sources.at("listen"), ConfigSource::kFlag);
  EXPECT_EQ(resolved->config.durability, Durability::kSync);
  EXPECT_EQ(resolved->sources.at("durability"), ConfigSource::kEnvironment);
  EXPECT_EQ(resolved->config.log_level, "debug");
  EXPECT_EQ(resolved->sources.at("log-level"), ConfigSource::kFile);
  EXPECT_EQ(resolved->config.data, "./data");
  EXPECT_EQ(resolved->sources.at("data"), ConfigSource::kDefault);
  auto text = server::FormatConfig(*resolved);
  EXPECT_NE(text.find("listen = \"127.0.0.1:9002\""), std::string::npos);
  EXPECT_NE(text.find("# environment"), std::string::npos);
}

TEST(ConfigTest, ConfigFileComesFromTheEnvironmentToo) {
  TempDir dir;
  const std::string file = dir.Child("c.conf");
  std::ofstream(file) << "data = /srv/ledger\n";
  auto resolved = server::ResolveConfig({}, std::nullopt, Environment({{"LEDGER_CONFIG", file}}));
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(resolved->config.data, "/srv/ledger");
}

TEST(ConfigTest, UnknownKeysAndBadValuesAreRefused) {
  EXPECT_FALSE(server::ParseConfigFile("colour = blue\n").ok());
  EXPECT_FALSE(server::ParseConfigFile("just words\n").ok());
  auto bad = server::ResolveConfig({{"durability", "sometimes"}}, std::nullopt, Environment({}));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("durability (from flag)"), std::string::npos);
  EXPECT_FALSE(server::ResolveConfig({{"nonsense", "1"}}, std::nullopt, Environment({})).ok());
  EXPECT_FALSE(
      server::ResolveConfig({}, std::nullopt, Environment({{"LEDGER_LISTEN", "nowhere"}})).ok());
  EXPECT_FALSE(
      server::ResolveConfig({{"connections-max", "0"}}, std::nullopt, Environment({})).ok());
  EXPECT_FALSE(server::ResolveConfig({}, std::string("/no/such/file"), Environment({})).ok());
  EXPECT_FALSE(
      server::ResolveConfig({{"snapshot-every-events", "999"}}, std::nullopt, Environment({}))
          .ok());
  auto snapshots = server::ResolveConfig({}, std::nullopt,
                                         Environment({{"LEDGER_SNAPSHOT_EVERY_EVENTS", "5000"}}));
  ASSERT_TRUE(snapshots.ok()) << snapshots.status().ToString();
  EXPECT_EQ(snapshots->config.snapshot_every_events, 5000u);
  EXPECT_EQ(server::ResolveConfig({}, std::nullopt, Environment({}))->config.snapshot_every_events,
            LedgerOptions{}.snapshot_every_events);
  EXPECT_FALSE(
      server::ResolveConfig({{"hot-orders-max", "0"}}, std::nullopt, Environment({})).ok());
  auto hot =
      server::ResolveConfig({}, std::nullopt, Environment({{"LEDGER_HOT_ORDERS_MAX", "42"}}));
  ASSERT_TRUE(hot.ok()) << hot.status().ToString();
  EXPECT_EQ(hot->config.hot_orders_max, 42u);
  EXPECT_EQ(server::ResolveConfig({}, std::nullopt, Environment({}))->config.hot_orders_max,
            LedgerOptions{}.hot_orders_max);
}

// Quotes are whole or refused; a '#' inside quotes is part of the value; a key is set once.
TEST(ConfigTest, ConfigFileQuotingIsStrict) {
  auto quoted = server::ParseConfigFile(
      "data = \"/srv/ledger #2\"   # the second one\nlisten = 127.0.0.1:9000 # local\n");
  ASSERT_TRUE(quoted.ok()) << quoted.status().ToString();
  EXPECT_EQ(quoted->at("data"), "/srv/ledger #2");
  EXPECT_EQ(quoted->at("listen"), "127.0.0.1:9000");
  auto unterminated = server::ParseConfigFile("data = \"/srv/ledger\n");
  ASSERT_FALSE(unterminated.ok());
  EXPECT_NE(unterminated.status().message().find("line 1: unterminated quote"), std::string::npos);
  EXPECT_FALSE(server::ParseConfigFile("data = \"/srv\" trailing\n").ok());
  EXPECT_FALSE(server::ParseConfigFile("data = /srv/\"ledger\"\n").ok());
  auto twice = server::ParseConfigFile("data = /a\n\ndata = /b\n");
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("line 3: 'data' was already set on line 1"),
            std::string::npos)
      << twice.status().message();
  // A directory is not a config file, even though it opens.
  TempDir dir;
  auto directory = server::ResolveConfig({}, dir.path(), Environment({}));
  ASSERT_FALSE(directory.ok());
  EXPECT_NE(directory.status().message().find("not a readable file"), std::string::npos)
      << directory.status().message();
}

TEST(ConfigTest, ListenAddressesParse) {
  std::string host;
  std::uint16_t port = 0;
  ASSERT_TRUE(server::ParseListenAddress("[::1]:7400", &host, &port).ok());
  EXPECT_EQ(host, "::1");
  EXPECT_EQ(port, 7400);
  EXPECT_FALSE(server::ParseListenAddress("127.0.0.1:99999", &host, &port).ok());
  EXPECT_FALSE(server::ParseListenAddress("127.0.0.1", &host, &port).ok());
}

}  // namespace
}  // namespace ledger::testing
