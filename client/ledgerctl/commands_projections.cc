// `ledgerctl projections rebuild` (drop views and replay them from the log) and
// `ledgerctl projections digest` (the canonical digest of every view, to compare a rebuild or
// another server with). Both are root's.
#include <iostream>
#include <memory>

#include "commands_queries.h"

namespace ledger::ctl {
namespace {

namespace p = protocol;

void AddRebuild(CLI::App& projections, Ctl& ctl) {
  auto names = std::make_shared<std::vector<std::string>>();
  auto* rebuild = projections.add_subcommand("rebuild", "drop views and replay the log (root)");
  rebuild->add_option("--name", *names, "directory, payments, accounting or audit (default all)");
  rebuild->callback([&ctl, names] {
    ctl.action = [names](Ctl& c) {
      auto reply = c.Call(p::RequestBody::RebuildProjections, [&](auto& b) {
        std::vector<flatbuffers::Offset<flatbuffers::String>> offsets;
        for (const auto& name : *names) offsets.push_back(b.CreateString(name));
        return p::CreateRebuildProjectionsDirect(b, &offsets).Union();
      });
      if (!reply.ok()) return c.ExitCodeOf(reply);
      const auto* rebuilt = reply.body<p::ProjectionsRebuilt>();
      if (rebuilt == nullptr) return kExitConnection;
      std::vector<std::string> rebuilding;
      for (const auto* name : Items(rebuilt->names())) rebuilding.push_back(Text(name));
      if (c.options.json) {
        Ctl::PrintJson(ResponseJson(reply));
        return kExitOk;
      }
      std::cout << "rebuilding:";
      for (const auto& name : rebuilding) std::cout << " " << name;
      std::cout << " (ledgerctl stats shows their lag)\n";
      return kExitOk;
    };
  });
}

struct DigestOptions {
  std::uint64_t min_sequence = 0;
  std::uint32_t wait_ms = 10000;
};

int PrintDigest(Ctl& c, const DigestOptions& o) {
  auto reply = c.Call(p::RequestBody::GetProjectionsDigest, [&o](auto& b) {
    return p::CreateGetProjectionsDigest(b, o.min_sequence, o.wait_ms).Union();
  });
  if (!reply.ok()) return c.ExitCodeOf(reply);
  const auto* digest = reply.body<p::ProjectionsDigest>();
  if (digest == nullptr) return kExitConnection;
  nlohmann::json projections = nlohmann::json::array();
  std::vector<std::vector<std::string>> rows;
  for (const auto* part : Items(digest->projections())) {
    projections.push_back({{"name", Text(part->name())},
                           {"checkpoint", part->checkpoint()},
                           {"checkpoint_hash", Hex(part->checkpoint_hash())},
                           {"rows", part->rows()},
                           {"digest", Hex(part->digest())}});
    rows.push_back({Text(part->name()), std::to_string(part->checkpoint()),
                    std::to_string(part->rows()), Hex(part->digest())});
  }
  if (c.options.json) {
    Ctl::PrintJson({{"digest", Hex(digest->digest())}, {"projections", projections}});
    return kExitOk;
  }
  std::cout << "views digest " << Hex(digest->digest()) << "\n\n";
  Ctl::PrintTable({"PROJECTION", "CHECKPOINT", "ROWS", "DIGEST"}, rows);
  return kExitOk;
}

void AddDigest(CLI::App& projections, Ctl& ctl) {
  auto o = std::make_shared<DigestOptions>();
  auto* digest = projections.add_subcommand(
      "digest", "the canonical digest of every view: equal for views of the same log (root)");
  digest->add_option("--min-sequence", o->min_sequence,
                     "wait until the views include this sequence (e.g. the head `stats` shows)");
  digest->add_option("--wait-ms", o->wait_ms, "how long to wait for it (at most 10000)");
  digest->callback([&ctl, o] { ctl.action = [o](Ctl& c) { return PrintDigest(c, *o); }; });
}

}  // namespace

void AddProjectionCommands(CLI::App& app, Ctl& ctl) {
  auto* projections = app.add_subcommand("projections", "the views")->require_subcommand(1);
  AddRebuild(*projections, ctl);
  AddDigest(*projections, ctl);
}

}  // namespace ledger::ctl
