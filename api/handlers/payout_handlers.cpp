#include "handlers/payout_handlers.hpp"

#include "handlers/common/error_response.hpp"
#include "handlers/common/json_body.hpp"
#include "handlers/common/json_response.hpp"
#include "server/error_mapping.hpp"
#include "engine/settlement/payout_claim_service.hpp"
#include "engine/settlement/payout_service.hpp"
#include "engine/settlement/prize_delivery_service.hpp"

namespace rifa::api {
namespace {

constexpr size_t kIdMax = 64;

Result<std::string> ganador_id(const Request& req) {
  const std::string& id = req.path_params.at("id");
  if (id.empty() || id.size() > kIdMax) {
    return make_error(ErrorCode::kNotFound, "ganador " + id.substr(0, kIdMax) + " does not exist");
  }
  return id;
}

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
          {"retencion_pagada",
           {{"fecha", optional(p.retencion_pagada_en)}, {"referencia", optional(p.retencion_referencia)}}},
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
  auto id = ganador_id(req);
  if (!id) return error_response(id.error(), req);
  auto delivered = ctx.prize_deliveries.mark_delivered(who->actor(), *id);
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
  auto id = ganador_id(req);
  if (!id) return error_response(id.error(), req);
  auto recorded = ctx.prize_deliveries.record_withholding_paid(who->actor(), *id, *referencia);
  if (!recorded) return error_response(recorded.error(), req);
  return json_body_response(200, delivered_json(*recorded));
}

// A cash prize as the payout routes answer it: the ganador's fields and "pago" as
// GET /rifas/{id}/resultados lists them, plus "cuenta" (masked, null while not given) and
// "aprobacion" {requerida, aprobado_por, aprobado_en}.
nlohmann::json claim_json(const settlement::PayoutClaimView& v) {
  settlement::PayoutStatus none;
  none.ganador_id = v.prize.ganador_id;
  none.tipo = v.prize.in_kind ? "in_kind" : "cash";
  none.estado = "pendiente";
  nlohmann::json out = delivered_json({v.prize, v.payout.value_or(none), v.fecha_pago});
  const auto optional = [](const std::optional<std::string>& s) { return s ? nlohmann::json(*s) : nlohmann::json(); };
  out["pago"]["provider"] = v.payout ? optional(v.payout->provider) : nlohmann::json();
  out["cuenta"] = v.prize.cuenta ? settlement::masked_json(*v.prize.cuenta) : nlohmann::json();
  out["aprobacion"] = {{"requerida", v.aprobacion_requerida},
                       {"aprobado_por", optional(v.prize.aprobado_por)},
                       {"aprobado_en", optional(v.prize.aprobado_en)}};
  return out;
}

// The {id} of a ganador route, or the 404 an unknown one gets.

// PUT /ganadores/{id}/cuenta (the winner): where to be paid.
Response set_account(const ApiContext& ctx, Request& req) {
  auto who = ctx.authenticator.authenticate(req);
  if (!who) return error_response(who.error(), req);
  auto body = JsonBody::parse(req);
  if (!body) return error_response(body.error(), req);
  settlement::PayoutAccountInput input;
  input.tipo = body->text("tipo", Presence::kRequired, 16, 1).value_or("");
  input.banco = body->text("banco", Presence::kOptional, 64);
  input.tipo_cuenta = body->text("tipo_cuenta", Presence::kOptional, 16);
  input.numero = body->text("numero", Presence::kOptional, 40);
  input.telefono = body->text("telefono", Presence::kOptional, 20);
  input.documento_tipo = body->text("documento_tipo", Presence::kRequired, 4, 1).value_or("");
  input.documento_numero = body->text("documento_numero", Presence::kRequired, 30, 1).value_or("");
  if (auto ok = body->finish(); !ok) return error_response(ok.error(), req);
  auto id = ganador_id(req);
  if (!id) return error_response(id.error(), req);
  auto saved = ctx.payout_claims.set_account(who->actor(), *id, input);
  if (!saved) return error_response(saved.error(), req);
  return json_body_response(200, claim_json(*saved));
}

// An empty body or an empty object: the routes that take nothing refuse unknown members.
Result<void> no_body(Request& req) {
  if (req.body.find_first_not_of(" \t\r\n") == std::string::npos) return {};
  auto body = JsonBody::parse(req);
  if (!body) return body.error();
  return body->finish();
}

// POST /ganadores/{id}/aprobar (admin): a prize above the threshold may be paid.
Response approve(const ApiContext& ctx, Request& req) {
  auto who = ctx.authenticator.authenticate(req);
  if (!who) return error_response(who.error(), req);
  if (auto allowed = require_role(*who, {engine::Rol::kAdmin}); !allowed) return error_response(allowed.error(), req);
  if (auto ok = no_body(req); !ok) return error_response(ok.error(), req);
  auto id = ganador_id(req);
  if (!id) return error_response(id.error(), req);
  auto approved = ctx.payout_claims.approve(who->actor(), *id);
  if (!approved) return error_response(approved.error(), req);
  return json_body_response(200, claim_json(*approved));
}

// POST /ganadores/{id}/pagos {"referencia"} (admin): paid by hand, outside the payment plugins.
Response record_manual_payment(const ApiContext& ctx, Request& req) {
  auto who = ctx.authenticator.authenticate(req);
  if (!who) return error_response(who.error(), req);
  if (auto allowed = require_role(*who, {engine::Rol::kAdmin}); !allowed) return error_response(allowed.error(), req);
  auto body = JsonBody::parse(req);
  if (!body) return error_response(body.error(), req);
  auto referencia = body->text("referencia", Presence::kRequired, 200, 1);
  if (auto ok = body->finish(); !ok) return error_response(ok.error(), req);
  auto id = ganador_id(req);
  if (!id) return error_response(id.error(), req);
  auto paid = ctx.payout_claims.record_manual_payment(who->actor(), *id, *referencia);
  if (!paid) return error_response(paid.error(), req);
  return json_body_response(200, claim_json(*paid));
}

// POST /ganadores/{id}/pagos/verificar (admin): the payment plugin is asked again, with the same
// idempotency key, what became of an attempt that got no definite answer; its answer is recorded.
Response verify_payout(const ApiContext& ctx, Request& req) {
  auto who = ctx.authenticator.authenticate(req);
  if (!who) return error_response(who.error(), req);
  if (auto allowed = require_role(*who, {engine::Rol::kAdmin}); !allowed) return error_response(allowed.error(), req);
  if (auto ok = no_body(req); !ok) return error_response(ok.error(), req);
  auto id = ganador_id(req);
  if (!id) return error_response(id.error(), req);
  // The ganador's existence and kind first: a 404 for an unknown one, never a provider call.
  if (auto known = ctx.payout_claims.view(*id); !known) return error_response(known.error(), req);
  auto verified = ctx.payouts.verify(who->actor().user_id, *id);
  if (!verified) return error_response(verified.error(), req);
  auto view = ctx.payout_claims.view(*id);
  if (!view) return error_response(view.error(), req);
  return json_body_response(200, claim_json(*view));
}

// The admin routes that change a payout with a reason (POST .../pagos/fallido and
// .../cuenta/desbloquear): {"motivo"} of 10 to 500 characters, then `action` on the ganador.
using MotivoAction = Result<settlement::PayoutClaimView> (settlement::PayoutClaimService::*)(const engine::Actor&,
                                                                                             const std::string&,
                                                                                             const std::string&);
Response with_motivo(const ApiContext& ctx, Request& req, MotivoAction action) {
  auto who = ctx.authenticator.authenticate(req);
  if (!who) return error_response(who.error(), req);
  if (auto allowed = require_role(*who, {engine::Rol::kAdmin}); !allowed) return error_response(allowed.error(), req);
  auto body = JsonBody::parse(req);
  if (!body) return error_response(body.error(), req);
  auto motivo = body->text("motivo", Presence::kRequired, 500, 10);
  if (auto ok = body->finish(); !ok) return error_response(ok.error(), req);
  auto id = ganador_id(req);
  if (!id) return error_response(id.error(), req);
  auto done = (ctx.payout_claims.*action)(who->actor(), *id, *motivo);
  if (!done) return error_response(done.error(), req);
  return json_body_response(200, claim_json(*done));
}

}  // namespace

void register_payout_routes(Router& router, const ApiContext& context) {
  router.add("POST", std::string(kApiPrefix) + "/ganadores/{id}/entregado",
             [&context](Request& r) { return mark_delivered(context, r); });
  router.add("POST", std::string(kApiPrefix) + "/ganadores/{id}/retencion",
             [&context](Request& r) { return record_withholding(context, r); });
  router.add("PUT", std::string(kApiPrefix) + "/ganadores/{id}/cuenta",
             [&context](Request& r) { return set_account(context, r); });
  router.add("POST", std::string(kApiPrefix) + "/ganadores/{id}/aprobar",
             [&context](Request& r) { return approve(context, r); });
  router.add("POST", std::string(kApiPrefix) + "/ganadores/{id}/pagos",
             [&context](Request& r) { return record_manual_payment(context, r); });
  router.add("POST", std::string(kApiPrefix) + "/ganadores/{id}/pagos/verificar",
             [&context](Request& r) { return verify_payout(context, r); });
  router.add("POST", std::string(kApiPrefix) + "/ganadores/{id}/pagos/fallido", [&context](Request& r) {
    // The provider confirmed that an attempt with no definite answer paid nothing.
    return with_motivo(context, r, &settlement::PayoutClaimService::declare_failed);
  });
  router.add("POST", std::string(kApiPrefix) + "/ganadores/{id}/cuenta/desbloquear", [&context](Request& r) {
    // An approved account that turned out wrong, before any attempt.
    return with_motivo(context, r, &settlement::PayoutClaimService::unlock_account);
  });
}

}  // namespace rifa::api
