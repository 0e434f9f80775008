#include "handlers/payout_handlers.hpp"

#include "handlers/common/error_response.hpp"
#include "handlers/common/json_body.hpp"
#include "handlers/common/json_response.hpp"
#include "server/error_mapping.hpp"
#include "engine/settlement/prize_delivery_service.hpp"

namespace rifa::api {
namespace {

constexpr size_t kIdMax = 64;

// The shape of one entry of GET /rifas/{id}/resultados "ganadores", so apps read both alike.
nlohmann::json delivered_json(const settlement::DeliveredPrize& d) {
  const auto optional = [](const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); };
  const settlement::PrizeContext& p = d.prize;
  return {{"id", p.ganador_id},
          {"ticket_id", p.ticket_id},
          {"numero", p.numero},
          {"tier", p.tier},
          {"premio", p.tier_name},
          {"tipo", d.payout.tipo},
          {"monto_ganado", p.monto_ganado},
          {"monto_bruto", p.bruto_cents},
          {"retencion", p.retencion_cents},
          {"monto_neto", p.neto_cents},
          {"retencion_pagada", {{"fecha", optional(p.retencion_pagada_en)}, {"referencia", optional(p.retencion_referencia)}}},
          {"descripcion", p.in_kind_description},
          {"pago",
           {{"estado", d.payout.estado},
            {"referencia", optional(d.payout.referencia)},
            {"fecha_pago", optional(d.fecha_pago)},
            {"motivo", optional(d.payout.motivo)},
            {"entregado_por", optional(d.payout.entregado_por)}}}};
}

Response mark_delivered(const ApiContext& ctx, Request& req) {
  auto who = ctx.authenticator.authenticate(req);
  if (!who) return error_response(who.error(), req);
  if (auto allowed = require_role(*who, {engine::Rol::kOperador, engine::Rol::kAdmin}); !allowed) {
    return error_response(allowed.error(), req);
  }
  // Nothing to say but "delivered": an empty body, or an empty object (unknown members are refused).
  if (req.body.find_first_not_of(" \t\r\n") != std::string::npos) {
    auto body = JsonBody::parse(req);
    if (!body) return error_response(body.error(), req);
    if (auto ok = body->finish(); !ok) return error_response(ok.error(), req);
  }
  const std::string& id = req.path_params.at("id");
  if (id.empty() || id.size() > kIdMax) {
    return error_response(make_error(ErrorCode::kNotFound, "ganador " + id.substr(0, kIdMax) + " does not exist"), req);
  }
  auto delivered = ctx.prize_deliveries.mark_delivered(who->actor(), id);
  if (!delivered) {
    if (delivered.error().code == ErrorCode::kConflict && delivered.error().field == "retencion") {
      return make_problem(ProblemType::kWithholdingUnpaid, delivered.error().message, "retencion");
    }
    return error_response(delivered.error(), req);
  }
  return json_body_response(200, delivered_json(*delivered));
}

// POST /ganadores/{id}/retencion {"referencia": "..."} (admin): the winner of a prize in kind paid
// the withholding on prizes; the receipt's reference is kept and delivery is allowed from then on.
Response record_withholding(const ApiContext& ctx, Request& req) {
  auto who = ctx.authenticator.authenticate(req);
  if (!who) return error_response(who.error(), req);
  if (auto allowed = require_role(*who, {engine::Rol::kAdmin}); !allowed) return error_response(allowed.error(), req);
  auto body = JsonBody::parse(req);
  if (!body) return error_response(body.error(), req);
  auto referencia = body->text("referencia", Presence::kRequired, 200, 1);
  if (auto ok = body->finish(); !ok) return error_response(ok.error(), req);
  const std::string& id = req.path_params.at("id");
  if (id.empty() || id.size() > kIdMax) {
    return error_response(make_error(ErrorCode::kNotFound, "ganador " + id.substr(0, kIdMax) + " does not exist"), req);
  }
  auto recorded = ctx.prize_deliveries.record_withholding_paid(who->actor(), id, *referencia);
  if (!recorded) return error_response(recorded.error(), req);
  return json_body_response(200, delivered_json(*recorded));
}

}  // namespace

void register_payout_routes(Router& router, const ApiContext& context) {
  router.add("POST", std::string(kApiPrefix) + "/ganadores/{id}/entregado",
             [&context](Request& r) { return mark_delivered(context, r); });
  router.add("POST", std::string(kApiPrefix) + "/ganadores/{id}/retencion",
             [&context](Request& r) { return record_withholding(context, r); });
}

}  // namespace rifa::api
