// The read side over the network: projection queries, CSV exports streamed in chunks, and
// projection rebuilds. Each request resolves its scope against the connection (its
// environment; an API key's own organization and platform by default), checks access
// (access.h), then runs on the blocking pool, since a query may wait for min_sequence.
#pragma once

#include "request_handlers.h"

namespace ledger::server {

void HandleQuery(const RequestContext& context, const protocol::Query& query,
                 const Responder& responder);
void HandleExport(const RequestContext& context, const protocol::ExportCsv& request,
                  const Responder& responder);
void HandleRebuildProjections(const RequestContext& context,
                              const protocol::RebuildProjections& request,
                              const Responder& responder);

}  // namespace ledger::server
