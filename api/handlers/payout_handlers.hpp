#pragma once

#include "handlers/common/api_context.hpp"
#include "server/router.hpp"

namespace rifa::api {

// POST /api/v1/ganadores/{id}/entregado (operador or admin): a prize in kind was handed over.
// Empty body (or {}). 200 with the ganador as GET /rifas/{id}/resultados lists it, "pago.estado"
// "entregado" and "pago.entregado_por"; again 200 with the same answer when repeated (safe to
// retry); 404 for an unknown ganador; 409 for a cash prize (payout.send pays those).
//
// PUT /api/v1/ganadores/{id}/cuenta (the winner only): where a cash prize is paid, a bank account
// {tipo: bancaria, banco, tipo_cuenta, numero, documento_tipo, documento_numero} or a Nequi phone
// {tipo: nequi, telefono, documento_tipo, documento_numero}; 422 naming the field for a bad one.
// POST /api/v1/ganadores/{id}/aprobar (admin): a prize above payouts.approval_threshold_cents may
// be paid; queues the payout. POST /api/v1/ganadores/{id}/pagos {"referencia"} (admin): paid by
// hand. All three answer the ganador with "cuenta" masked and "aprobacion"
// (settlement::PayoutClaimService says when each is refused).
void register_payout_routes(Router& router, const ApiContext& context);

}  // namespace rifa::api
