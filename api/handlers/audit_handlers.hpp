#pragma once

#include "handlers/common/api_context.hpp"
#include "server/router.hpp"

namespace rifa::api {

// GET /admin/audit (admin): the audit log, newest first, paginated, filtered by entity,
// entity_id and action. Each entry says whether it is sealed into the hash chain (with its seq) or
// pending; "chain" gives the head and how many rows wait to be sealed, and the oldest one's age.
void register_audit_routes(Router& router, const ApiContext& context);

}  // namespace rifa::api
