#include "commands_log.h"

#include <atomic>
#include <future>
#include <iostream>
#include <memory>

#include "events.h"

namespace ledger::ctl {
namespace {

namespace p = protocol;

int PrintEvents(Ctl& ctl, const client::Reply& reply) {
  if (!reply.ok()) return ctl.ExitCodeOf(reply);
  const auto* events = reply.body<p::Events>();
  if (events == nullptr) return kExitConnection;
  if (ctl.options.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto* event : Items(events->events())) list.push_back(EventJson(*event));
    Ctl::PrintJson(
        {{"events", list}, {"next", events->next()}, {"head_sequence", events->head_sequence()}});
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto* event : Items(events->events())) rows.push_back(EventRow(*event));
  Ctl::PrintTable(EventColumns(), rows);
  std::cout << "(" << rows.size() << " events; next " << events->next() << ", head "
            << events->head_sequence() << ")\n";
  return kExitOk;
}

void AddRead(CLI::App& app, Ctl& ctl) {
  auto* read = app.add_subcommand("read", "read the log or one stream")->require_subcommand(1);
  auto from = std::make_shared<std::uint64_t>(1);
  auto count = std::make_shared<std::uint32_t>(100);
  auto* log = read->add_subcommand("log", "events from a sequence on");
  log->add_option("--from", *from, "first sequence (default 1)");
  log->add_option("--count", *count, "at most this many (default 100, at most 10000)");
  log->callback([&ctl, from, count] {
    ctl.action = [from, count](Ctl& c) {
      return PrintEvents(c, c.Call(p::RequestBody::ReadLog, [&](auto& b) {
        return p::CreateReadLog(b, *from, *count).Union();
      }));
    };
  });
  auto stream = std::make_shared<std::string>();
  auto backward = std::make_shared<bool>(false);
  auto version = std::make_shared<std::uint64_t>(0);
  auto* one = read->add_subcommand("stream", "a stream's events (order/<platform>/<order>...)");
  one->add_option("--stream", *stream, "stream name")->required();
  one->add_option("--from", *version, "first version (default: the first, or the last backward)");
  one->add_flag("--backward", *backward, "newest first");
  one->add_option("--count", *count, "at most this many (default 100)");
  one->callback([&ctl, stream, version, backward, count] {
    ctl.action = [=](Ctl& c) {
      return PrintEvents(c, c.Call(p::RequestBody::ReadStream, [&](auto& b) {
        return p::CreateReadStreamDirect(b, stream->c_str(), *version, *backward, *count).Union();
      }));
    };
  });
}

int Tail(Ctl& ctl, std::uint64_t from, std::uint64_t count) {
  client::Client* client = ctl.Connect();
  if (client == nullptr) return ctl.ConnectFailureExit();
  if (from == 0) {
    auto stats = client->Call(p::RequestBody::ReadLog,
                              [](auto& b) { return p::CreateReadLog(b, UINT64_MAX, 1).Union(); });
    const auto* head = stats.body<p::Events>();
    from = head != nullptr ? head->head_sequence() + 1 : 1;
  }
  // The handler runs on the client's thread and may still be returning after this function
  // has: what it touches after answering lives on the heap, owned by the handler.
  struct TailState {
    std::promise<int> finished;
    std::atomic<bool> answered{false};
    std::uint64_t printed = 0;
    void Answer(int exit_code) {
      if (!answered.exchange(true)) finished.set_value(exit_code);
    }
  };
  auto state = std::make_shared<TailState>();
  std::future<int> finished = state->finished.get_future();
  const bool json = ctl.options.json;
  // Fixed widths: rows arrive one by one, so they cannot be measured first.
  static constexpr int kWidths[] = {9, 29, 21, 44, 8, 0};
  auto print_row = [](const std::vector<std::string>& cells) {
    std::string line;
    for (std::size_t i = 0; i < cells.size() && i < std::size(kWidths); ++i) {
      std::string cell = cells[i];
      if (kWidths[i] > 0 && cell.size() < static_cast<std::size_t>(kWidths[i])) {
        cell.resize(static_cast<std::size_t>(kWidths[i]), ' ');
      } else if (kWidths[i] > 0) {
        cell += ' ';
      }
      line += cell;
    }
    std::cout << line << "\n";
  };
  if (!json) print_row(EventColumns());
  client->Send(
      p::RequestBody::Subscribe, [from](auto& b) { return p::CreateSubscribe(b, from).Union(); },
      [&ctl, state, json, count, print_row](client::Reply reply) {
        const auto* chunk = reply.body<p::SubscriptionEvents>();
        if (chunk == nullptr) {
          ctl.PrintError(reply.error());
          state->Answer(ctl.ExitCodeOf(reply));
          return false;
        }
        for (const auto* event : Items(chunk->events())) {
          if (json) {
            std::cout << EventJson(*event).dump() << "\n";
          } else {
            print_row(EventRow(*event));
          }
          if (++state->printed == count) {
            std::cout.flush();
            state->Answer(kExitOk);
            return false;
          }
        }
        std::cout.flush();
        return true;
      });
  return finished.get();
}

void AddTailVerifyStats(CLI::App& app, Ctl& ctl) {
  auto from = std::make_shared<std::uint64_t>(0);
  auto count = std::make_shared<std::uint64_t>(0);
  auto* tail = app.add_subcommand("tail", "follow the log live (Ctrl-C stops)");
  tail->add_option("--from", *from, "start at this sequence (default: new events only)");
  tail->add_option("--count", *count, "stop after this many events (default: never)");
  tail->callback([&ctl, from, count] {
    ctl.action = [from, count](Ctl& c) { return Tail(c, *from, *count); };
  });

  auto audited_sequence = std::make_shared<std::uint64_t>(0);
  auto audited_hash = std::make_shared<std::string>();
  auto* verify = app.add_subcommand("verify", "walk the hash chain and print the head digest");
  verify->add_option("--from-sequence", *audited_sequence, "an audited point's sequence");
  verify->add_option("--from-hash", *audited_hash, "that event's hash (64 hex digits)")
      ->check(CLI::Validator(
          [](std::string& text) {
            return text.size() == 64 &&
                           text.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos
                       ? std::string()
                       : "a hash is 64 hexadecimal digits";
          },
          "HASH"));
  verify->callback([&ctl, audited_sequence, audited_hash] {
    // An audited point is a sequence and its hash: one without the other is a usage error.
    if ((*audited_sequence == 0) != audited_hash->empty()) {
      throw CLI::ValidationError("--from-sequence and --from-hash go together");
    }
    ctl.action = [audited_sequence, audited_hash](Ctl& c) {
      std::vector<std::uint8_t> hash;
      for (std::size_t i = 0; i + 1 < audited_hash->size(); i += 2) {
        hash.push_back(
            static_cast<std::uint8_t>(std::stoi(audited_hash->substr(i, 2), nullptr, 16)));
      }
      auto reply = c.Call(p::RequestBody::VerifyChain, [&](auto& b) {
        return p::CreateVerifyChainDirect(b, *audited_sequence, hash.empty() ? nullptr : &hash)
            .Union();
      });
      if (!reply.ok()) return c.ExitCodeOf(reply);
      const auto* r = reply.body<p::VerifyChainResult>();
      if (r == nullptr) return kExitConnection;
      if (c.options.json) {
        Ctl::PrintJson(ResponseJson(reply));
      } else if (r->ok()) {
        std::cout << "chain intact: " << r->events_checked() << " events checked\nhead "
                  << r->last_good_sequence() << " " << Hex(r->last_good_hash()) << "\n";
      } else {
        std::cout << "CHAIN BROKEN at sequence " << r->first_bad_sequence() << ": "
                  << Text(r->problem()) << "\nlast good " << r->last_good_sequence() << " "
                  << Hex(r->last_good_hash()) << "\n";
      }
      return r->ok() ? kExitOk : kExitRejected;
    };
  });

  auto* stats = app.add_subcommand("stats", "head, rates, connections, projection lag");
  stats->callback([&ctl] {
    ctl.action = [](Ctl& c) {
      auto reply =
          c.Call(p::RequestBody::GetStats, [](auto& b) { return p::CreateGetStats(b).Union(); });
      if (!reply.ok()) return c.ExitCodeOf(reply);
      const auto* s = reply.body<p::Stats>();
      if (s == nullptr) return kExitConnection;
      if (c.options.json) {
        Ctl::PrintJson(ResponseJson(reply));
        return kExitOk;
      }
      Ctl::PrintTable({"HEAD", "EVENTS/S", "REQUESTS/S", "CONNECTIONS", "GROUP COMMITS", "UPTIME"},
                      {{std::to_string(s->head_sequence()),
                        std::to_string(static_cast<long>(s->events_per_second())),
                        std::to_string(static_cast<long>(s->requests_per_second())),
                        std::to_string(s->connections()), std::to_string(s->group_commits()),
                        std::to_string(s->uptime_seconds()) + "s"}});
      std::vector<std::vector<std::string>> rows;
      for (const auto* projection : Items(s->projections())) {
        rows.push_back({Text(projection->name()), std::to_string(projection->checkpoint()),
                        std::to_string(projection->lag()),
                        std::to_string(static_cast<long>(projection->events_per_second()))});
      }
      std::cout << "\n";
      Ctl::PrintTable({"PROJECTION", "CHECKPOINT", "LAG", "EVENTS/S"}, rows);
      if (s->projections_failure() != nullptr) {
        std::cout << "\nthe projections stopped: " << Text(s->projections_failure()) << "\n";
      }
      return kExitOk;
    };
  });
}

}  // namespace

void AddLogCommands(CLI::App& app, Ctl& ctl) {
  auto* ping = app.add_subcommand("ping", "check the connection and the credential");
  ping->callback([&ctl] {
    ctl.action = [](Ctl& c) {
      auto reply = c.Call(p::RequestBody::Ping, [](auto& b) { return p::CreatePing(b).Union(); });
      if (!reply.ok()) return c.ExitCodeOf(reply);
      const auto* who = c.Connect()->identity().body<p::Authenticated>();
      if (who == nullptr) return kExitConnection;
      if (c.options.json) {
        // The Authenticated answer, with the Pong's server time.
        nlohmann::json json = ResponseJson(c.Connect()->identity());
        json.update(ResponseJson(reply));
        Ctl::PrintJson(json);
      } else {
        std::cout << "pong from ledgerd " << Text(who->server_version()) << " as "
                  << Text(who->principal_id()) << " ("
                  << schema::EnumNameEnvironment(who->environment()) << ")\n";
      }
      return kExitOk;
    };
  });
  auto stream = std::make_shared<std::string>();
  auto payload = std::make_shared<std::string>();
  auto key = std::make_shared<std::string>();
  auto* append = app.add_subcommand("append", "append an opaque event (root)");
  append->add_option("--stream", *stream, "stream name")->required();
  append->add_option("--payload", *payload, "payload text");
  append->add_option("--idempotency-key", *key, "makes a retry safe");
  append->callback([&ctl, stream, payload, key] {
    ctl.action = [=](Ctl& c) {
      auto reply = c.Call(p::RequestBody::AppendEvents, [&](flatbuffers::FlatBufferBuilder& b) {
        std::vector<std::uint8_t> bytes(payload->begin(), payload->end());
        std::vector<flatbuffers::Offset<p::EventInput>> inputs{
            p::CreateEventInputDirect(b, stream->c_str(), p::ExpectedKind::Any, 0, &bytes,
                                      key->empty() ? nullptr : key->c_str())};
        return p::CreateAppendEventsDirect(b, &inputs).Union();
      });
      if (!reply.ok()) return c.ExitCodeOf(reply);
      const auto results = ResultsOf(reply);
      if (results.size() != 1) return kExitConnection;
      return c.PrintResults({"append"}, results);
    };
  });
  AddRead(app, ctl);
  AddTailVerifyStats(app, ctl);
}

}  // namespace ledger::ctl
