#pragma once

#include "handlers/common/api_context.hpp"
#include "server/router.hpp"

namespace rifa::api {

// GET /api/v1/loterias, GET /api/v1/loterias/{id} (public); POST and PATCH (operador or admin).
// plugin_instance must be a configured lottery plugin instance id (422 otherwise).
void register_loteria_routes(Router& router, const ApiContext& context);

}  // namespace rifa::api
