#pragma once

#include "handlers/common/api_context.hpp"
#include "server/router.hpp"

namespace rifa::api {

// Settlement of rifas (engine/settlement/settlement_service.hpp):
//   POST /api/v1/rifas/{id}/cerrar       operador/admin; empty body or {}. activa → cerrada: sales
//        stop and the draw is awaited. 200 {"id", "estado", "fecha_sorteo"}; repeating it answers
//        the same (cerrada, or resuelta once settled); 409 for a pendiente or cancelada rifa.
//   POST /api/v1/rifas/{id}/recalcular   admin; empty body or {}. Prizes recomputed from the stored
//        draw; 200 with the resultados; 409 before the draw is taken or once any payout was sent.
//   GET  /api/v1/rifas/{id}/resultados   public: the draw (source_url, raw_sha256), the winners,
//        their amounts and each payout's status. usuario_id only for operador/admin or the winner.
void register_settlement_routes(Router& router, const ApiContext& context);

}  // namespace rifa::api
