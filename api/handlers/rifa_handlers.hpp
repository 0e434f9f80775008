#pragma once

#include "handlers/common/api_context.hpp"
#include "server/router.hpp"

namespace rifa::api {

// GET /api/v1/rifas (public; filters estado, categoria = id or nombre, fecha_inicio/fecha_fin =
// the rifas whose [fecha_inicio, fecha_fin] overlaps the window; page, per_page), GET
// /api/v1/rifas/{id} (public, with vendidas/disponibles), POST and PATCH (operador or admin).
void register_rifa_routes(Router& router, const ApiContext& context);

}  // namespace rifa::api
