#pragma once

#include "handlers/common/api_context.hpp"
#include "server/router.hpp"

namespace rifa::api {

// GET /api/v1/users (admin, paginated); GET, PATCH, DELETE /api/v1/users/{id}. A non-admin asking
// about another user gets 403 whether or not that id exists (never 404), so ids cannot be probed.
void register_user_routes(Router& router, const ApiContext& context);

}  // namespace rifa::api
