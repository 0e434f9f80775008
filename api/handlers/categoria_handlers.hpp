#pragma once

#include "handlers/common/api_context.hpp"
#include "server/router.hpp"

namespace rifa::api {

// GET /api/v1/categorias (public, paginated) and POST /api/v1/categorias (admin). The rake travels
// as a decimal string ("0.2500") and is stored as integer basis points: never a float.
void register_categoria_routes(Router& router, const ApiContext& context);

}  // namespace rifa::api
