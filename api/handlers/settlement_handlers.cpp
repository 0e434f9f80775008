#include "handlers/settlement_handlers.hpp"

#include "handlers/common/error_response.hpp"
#include "handlers/common/json_body.hpp"
#include "handlers/common/json_response.hpp"
#include "engine/settlement/settlement_service.hpp"

namespace rifa::api {
namespace {

using nlohmann::json;

constexpr size_t kIdMax = 64;

json optional_json(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }

// The body of cerrar and recalcular carries nothing: empty, or an empty object.
Result<void> empty_body(const Request& req) {
  if (req.body.find_first_not_of(" \t\r\n") == std::string::npos) return {};
  auto body = JsonBody::parse(req);
  if (!body) return body.error();
  return body->finish();
}

Result<std::string> rifa_id(const Request& req) {
  const std::string& id = req.path_params.at("id");
  if (id.empty() || id.size() > kIdMax) return make_error(ErrorCode::kNotFound, "rifa does not exist");
  return id;
}

// What a payout's state is, from the payouts row when C2's payout job has written one, else from
// the job itself.
std::string payout_estado(const settlement::GanadorView& g, bool in_kind) {
  if (g.payout_estado) return *g.payout_estado;
  if (g.fecha_pago || g.referencia_pago) return "enviado";
  if (g.payout_job_status == "dead") return "fallido";
  if (g.payout_job_status == "succeeded") return "enviado";
  return in_kind ? "por_entregar" : "pendiente";
}

json results_json(const settlement::ResultsView& v, const std::optional<Principal>& who) {
  json out = {{"rifa_id", v.rifa_id},
              {"estado", engine::to_string(v.estado)},
              {"fecha_sorteo", optional_json(v.fecha_sorteo)},
              {"resultados_rechazados", v.rejected_draws}};
  if (v.draw) {
    const auto& d = *v.draw;
    out["sorteo"] = {{"plugin_instance", d.plugin_instance},
                     {"fecha_sorteo", d.fecha_sorteo},
                     {"numero_sorteo", d.sorteo ? json(*d.sorteo) : json(nullptr)},
                     {"resultado", d.resultado},
                     {"source_url", optional_json(d.source_url)},
                     {"raw_sha256", optional_json(d.raw_sha256)},
                     {"tomado_en", d.tomado_en}};
  } else {
    out["sorteo"] = nullptr;
  }
  const bool staff = who && (who->rol == engine::Rol::kAdmin || who->rol == engine::Rol::kOperador);
  json ganadores = json::array();
  int64_t total = 0, total_retencion = 0;
  for (const auto& g : v.ganadores) {
    const auto tier = static_cast<size_t>(g.tier);
    const bool in_kind = tier < v.tier_in_kind.size() && v.tier_in_kind[tier];
    json item = {{"id", g.id},
                 {"ticket_id", g.ticket_id},
                 {"numero", g.numero},
                 {"tier", g.tier},
                 {"premio", tier < v.tier_names.size() ? json(v.tier_names[tier]) : json(nullptr)},
                 {"tipo", in_kind ? "in_kind" : "cash"},
                 {"monto_ganado", g.monto_cents},
                 // retención en la fuente: gross = retencion + neto; cash prizes are paid neto
                 {"monto_bruto", g.bruto_cents},
                 {"retencion", g.retencion_cents},
                 {"monto_neto", g.neto_cents},
                 {"uvt_anio", g.uvt_anio > 0 ? json(g.uvt_anio) : json(nullptr)}};
    if (in_kind) {
      item["descripcion"] = v.tier_in_kind_description[tier];
      item["valor_comercial"] = v.tier_in_kind_value_cents[tier];
      // what the winner owes before delivery, and whether it was recorded paid
      item["retencion_pagada"] = {{"fecha", optional_json(g.retencion_pagada_en)},
                                  {"referencia", optional_json(g.retencion_referencia)}};
    }
    if (staff || (who && g.usuario_id == who->user_id)) item["usuario_id"] = optional_json(g.usuario_id);
    item["pago"] = {{"estado", payout_estado(g, in_kind)},
                    {"referencia", optional_json(g.referencia_pago)},
                    {"fecha_pago", optional_json(g.fecha_pago)},
                    {"motivo", optional_json(g.payout_motivo)}};
    if (staff && g.payout_last_error) item["pago"]["ultimo_error"] = *g.payout_last_error;
    total += g.monto_cents;
    total_retencion += g.retencion_cents;
    ganadores.push_back(std::move(item));
  }
  out["ganadores"] = std::move(ganadores);
  out["total_premios"] = total;
  out["total_retencion"] = total_retencion;
  return out;
}

Response close_rifa(const ApiContext& ctx, Request& req) {
  auto who = ctx.authenticator.authenticate(req);
  if (!who) return error_response(who.error(), req);
  if (auto allowed = require_role(*who, {engine::Rol::kOperador, engine::Rol::kAdmin}); !allowed) {
    return error_response(allowed.error(), req);
  }
  if (auto ok = empty_body(req); !ok) return error_response(ok.error(), req);
  auto id = rifa_id(req);
  if (!id) return error_response(id.error(), req);
  auto estado = ctx.settlement.close(who->actor(), *id);
  if (!estado) return error_response(estado.error(), req);
  auto rifa = ctx.rifas.get(*id);
  if (!rifa) return error_response(rifa.error(), req);
  return json_body_response(200, json{{"id", *id},
                                      {"estado", engine::to_string(rifa->rifa.estado)},
                                      {"fecha_sorteo", optional_json(rifa->rifa.fecha_sorteo)}});
}

Response recalculate(const ApiContext& ctx, Request& req) {
  auto who = ctx.authenticator.authenticate(req);
  if (!who) return error_response(who.error(), req);
  if (auto allowed = require_role(*who, {engine::Rol::kAdmin}); !allowed) return error_response(allowed.error(), req);
  if (auto ok = empty_body(req); !ok) return error_response(ok.error(), req);
  auto id = rifa_id(req);
  if (!id) return error_response(id.error(), req);
  auto results = ctx.settlement.recalculate(who->actor(), *id);
  if (!results) return error_response(results.error(), req);
  return json_body_response(200, results_json(*results, *who));
}

Response get_results(const ApiContext& ctx, Request& req) {
  std::optional<Principal> who;
  // Public, but a caller who sends a token gets it checked (and sees more when entitled to).
  if (!req.header("authorization").empty()) {
    auto principal = ctx.authenticator.authenticate(req);
    if (!principal) return error_response(principal.error(), req);
    who = *principal;
  }
  auto id = rifa_id(req);
  if (!id) return error_response(id.error(), req);
  auto results = ctx.settlement.results(*id);
  if (!results) return error_response(results.error(), req);
  return json_body_response(200, results_json(*results, who));
}

}  // namespace

void register_settlement_routes(Router& router, const ApiContext& context) {
  const std::string p = kApiPrefix;
  router.add("POST", p + "/rifas/{id}/cerrar", [&context](Request& r) { return close_rifa(context, r); });
  router.add("POST", p + "/rifas/{id}/recalcular", [&context](Request& r) { return recalculate(context, r); });
  router.add("GET", p + "/rifas/{id}/resultados", [&context](Request& r) { return get_results(context, r); });
}

}  // namespace rifa::api
