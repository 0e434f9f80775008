#pragma once

#include "handlers/common/api_context.hpp"
#include "server/router.hpp"

namespace rifa::api {

// POST /api/v1/ganadores/{id}/entregado (operador or admin): a prize in kind was handed over.
// Empty body (or {}). 200 with the ganador as GET /rifas/{id}/resultados lists it, "pago.estado"
// "entregado" and "pago.entregado_por"; again 200 with the same answer when repeated (safe to
// retry); 404 for an unknown ganador; 409 for a cash prize (payout.send pays those).
void register_payout_routes(Router& router, const ApiContext& context);

}  // namespace rifa::api
