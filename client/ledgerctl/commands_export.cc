// `ledgerctl export`: CSV streamed to a file.
#include <fstream>
#include <future>
#include <iostream>
#include <memory>

#include "commands_queries.h"

namespace ledger::ctl {
namespace {

namespace p = protocol;

struct ExportOptions {
  std::string organization, platform, out;
  std::int64_t from_us = 0, to_us = 0;
  std::uint64_t min_sequence = 0;
};

int Export(Ctl& ctl, p::ExportKind kind, const ExportOptions& o) {
  client::Client* client = ctl.Connect();
  if (client == nullptr) return ctl.ConnectFailureExit();
  std::ofstream file;
  std::ostream* out = &std::cout;
  if (o.out != "-") {
    file.open(o.out, std::ios::binary | std::ios::trunc);
    if (!file) {
      std::cerr << "ledgerctl: cannot write " << o.out << "\n";
      return kExitUsage;
    }
    out = &file;
  }
  schema::Environment env = schema::Environment::Unspecified;
  ParseEnvironment(ctl.options.environment, &env);
  std::promise<int> finished;
  std::uint64_t bytes = 0, rows = 0, as_of = 0;
  client->Send(
      p::RequestBody::ExportCsv,
      [&](flatbuffers::FlatBufferBuilder& b) {
        return p::CreateExportCsvDirect(b, kind, env, o.organization.c_str(),
                                        o.platform.empty() ? nullptr : o.platform.c_str(),
                                        o.from_us, o.to_us, o.min_sequence, 5000)
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
        out->flush();
        finished.set_value(kExitOk);
        return false;
      });
  int code = finished.get_future().get();
  if (code == kExitOk && o.out != "-") {
    if (ctl.options.json) {
      Ctl::PrintJson({{"file", o.out}, {"rows", rows}, {"bytes", bytes}, {"as_of", as_of}});
    } else {
      std::cout << "wrote " << rows << " rows (" << bytes << " bytes) to " << o.out
                << ", as of sequence " << as_of << "\n";
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
    sub->add_option("--from-us", o->from_us, "rows recorded from this time (µs)");
    sub->add_option("--to-us", o->to_us, "rows recorded before this time (µs)");
    sub->add_option("--min-sequence", o->min_sequence, "wait until the views include this");
    sub->callback(
        [&ctl, o, kind = kind] { ctl.action = [o, kind](Ctl& c) { return Export(c, kind, *o); }; });
  }
}

}  // namespace ledger::ctl
