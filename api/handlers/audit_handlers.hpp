#pragma once

#include "handlers/common/api_context.hpp"
#include "server/router.hpp"

namespace rifa::api {

// GET /admin/audit (admin): the audit log, newest first, paginated, filtered by entity,
// entity_id and action.
void register_audit_routes(Router& router, const ApiContext& context);

}  // namespace rifa::api
