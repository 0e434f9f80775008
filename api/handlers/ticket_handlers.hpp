#pragma once

#include "handlers/common/api_context.hpp"
#include "server/router.hpp"

namespace rifa::api {

// POST /api/v1/rifas/{id}/tickets — buy: body {user_id?, quantity, payment_method?,
// idempotency_key?} with the key in the body or the Idempotency-Key header (one of them required)
// → 201 {tickets: [{id, numero, estado}], transaccion_id, status, amount, currency, rifa_id,
// hold_expires_at?}; a replay carries Idempotent-Replayed: true.
// GET /api/v1/rifas/{id}/tickets and GET /api/v1/users/{id}/tickets (authenticated; a jugador only
// their own; filters estado, usuario_id / rifa_id; page, per_page).
void register_ticket_routes(Router& router, const ApiContext& context);

}  // namespace rifa::api
