// `ledgerctl export`: CSV streamed to a file.
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <memory>

#include "commands_queries.h"

namespace ledger::ctl {
namespace {

namespace p = protocol;

struct ExportOptions {
  std::string organization, platform, out, from, to;
  std::uint64_t min_sequence = 0;
  std::uint32_t wait_ms = 5000;
};

/// Where the CSV goes until it is complete: a file named after --out, renamed over it only
/// then, so that a failed export leaves an earlier file of that name as it was.
std::string PartialPath(const std::string& out) { return out + ".partial"; }

int Export(Ctl& ctl, p::ExportKind kind, const ExportOptions& o) {
  client::Client* client = ctl.Connect();
  if (client == nullptr) return ctl.ConnectFailureExit();
  const bool to_file = o.out != "-";
  std::ofstream file;
  std::ostream* out = &std::cout;
  if (to_file) {
    file.open(PartialPath(o.out), std::ios::binary | std::ios::trunc);
    if (!file) {
      ctl.PrintUsageError("cannot write " + PartialPath(o.out));
      return kExitUsage;
    }
    out = &file;
  }
  schema::Environment env = schema::Environment::Unspecified;
  ParseEnvironment(ctl.options.environment, &env);
  std::promise<int> finished;
  std::uint64_t bytes = 0, rows = 0, as_of = 0;
  std::string as_of_hash;
  client->Send(
      p::RequestBody::ExportCsv,
      [&](flatbuffers::FlatBufferBuilder& b) {
        return p::CreateExportCsvDirect(b, kind, env, o.organization.c_str(),
                                        o.platform.empty() ? nullptr : o.platform.c_str(),
                                        ParseTime(o.from).value_or(0), ParseTime(o.to).value_or(0),
                                        o.min_sequence, o.wait_ms)
            .Union();
      },
      [&](client::Reply reply) {
        const auto* chunk = reply.body<p::ExportChunk>();
        if (chunk == nullptr) {
          ctl.PrintError(reply.error());
          finished.set_value(ctl.ExitCodeOf(reply));
          return false;
        }
        if (const auto* data = chunk->data()) {
          out->write(reinterpret_cast<const char*>(data->data()),
                     static_cast<std::streamsize>(data->size()));
          bytes += data->size();
        }
        if (!chunk->last()) return true;
        rows = chunk->rows();
        as_of = chunk->as_of_sequence();
        as_of_hash = Hex(chunk->as_of_hash());
        out->flush();
        finished.set_value(kExitOk);
        return false;
      });
  int code = finished.get_future().get();
  if (to_file) {
    file.close();
    std::error_code error;
    if (code == kExitOk && !file) {
      ctl.PrintUsageError("cannot write " + PartialPath(o.out));
      code = kExitUsage;
    } else if (code == kExitOk) {
      std::filesystem::rename(PartialPath(o.out), o.out, error);
      if (error) {
        ctl.PrintUsageError("cannot rename " + PartialPath(o.out) + " to " + o.out + ": " +
                            error.message());
        code = kExitUsage;
      }
    }
    if (code != kExitOk) {
      std::filesystem::remove(PartialPath(o.out), error);
      return code;
    }
    if (ctl.options.json) {
      Ctl::PrintJson({{"file", o.out},
                      {"rows", rows},
                      {"bytes", bytes},
                      {"as_of_sequence", as_of},
                      {"as_of_hash", as_of_hash}});
    } else {
      std::cout << "wrote " << rows << " rows (" << bytes << " bytes) to " << o.out
                << ", as of sequence " << as_of << " " << as_of_hash << "\n";
    }
  }
  return code;
}

}  // namespace

void AddExportCommands(CLI::App& app, Ctl& ctl) {
  auto* exports =
      app.add_subcommand("export", "CSV exports for accountants")->require_subcommand(1);
  auto o = std::make_shared<ExportOptions>();
  for (const auto& [name, kind] : {std::pair{"payments", p::ExportKind::Payments},
                                   std::pair{"disbursements", p::ExportKind::Disbursements}}) {
    auto* sub = exports->add_subcommand(name, std::string("export ") + name + " as CSV");
    sub->add_option("--org", o->organization, "organization id")->required();
    sub->add_option("--platform", o->platform, "platform id (none: the whole organization)");
    sub->add_option("--out", o->out, "file to write (- for standard output)")->required();
    sub->add_option("--from", o->from, "rows recorded from this date, time or µs")
        ->check(kTimeText);
    sub->add_option("--to", o->to, "rows recorded before this date, time or µs")->check(kTimeText);
    sub->add_option("--min-sequence", o->min_sequence, "wait until the views include this");
    sub->add_option("--wait-ms", o->wait_ms, "how long to wait for it (default 5000)");
    sub->callback(
        [&ctl, o, kind = kind] { ctl.action = [o, kind](Ctl& c) { return Export(c, kind, *o); }; });
  }
}

}  // namespace ledger::ctl
