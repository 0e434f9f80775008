#pragma once

#include "handlers/common/api_context.hpp"
#include "server/router.hpp"

namespace rifa::api {

// POST /api/v1/auth/register and POST /api/v1/auth/login.
void register_auth_routes(Router& router, const ApiContext& context);

}  // namespace rifa::api
