#include "handlers/verification_handlers.hpp"

#include "engine/iso_time.hpp"
#include "engine/verification_service.hpp"
#include "handlers/common/error_response.hpp"
#include "handlers/common/json_response.hpp"

namespace rifa::api {
namespace {

constexpr const char* kProcedure =
    "1. commitment_hash must equal the lower-case hex SHA-256 of the commitment as compact JSON with "
    "keys sorted (no spaces). 2. With random assignment, once assignment_seed is shown, its SHA-256 "
    "must equal commitment.seed_sha256. 3. sorteo.fecha_sorteo and sorteo.plugin_instance must be "
    "commitment.draw_date and commitment.lottery_instance; the page at sorteo.source_url hashed "
    "when taken to sorteo.raw_sha256. 4. Apply commitment.reglas to sorteo.resultado over the "
    "vendidos numbers with fund = precio_cents x count(vendidos) x (1 - rake_bp/10000), shares "
    "floored to cents: the result must be ganadores. 5. Each ganador's monto_bruto (monto_ganado for "
    "cash, the committed value_cents in kind) must equal retencion + monto_neto, and retencion must be "
    "round_half_up(monto_bruto x retencion_regla.tarifa_bp / 10000) when monto_bruto > "
    "retencion_regla.umbral_cents (48 UVT of uvt_anio), else 0 (no retencion_regla: 0). `rifa-host verify FILE|URL` "
    "does all of this; "
    "docs/VERIFYING.md explains each step.";

template <typename T>
nlohmann::json or_null(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json();
}

nlohmann::json verification_json(const engine::VerificationData& d) {
  nlohmann::json sorteo;
  if (d.draw) {
    sorteo = {{"plugin_instance", d.draw->plugin_instance},
              {"fecha_sorteo", d.draw->fecha_sorteo},
              {"numero_sorteo", or_null(d.draw->sorteo)},
              {"resultado", d.draw->resultado},
              {"source_url", or_null(d.draw->source_url)},
              {"raw_sha256", or_null(d.draw->raw_sha256)},
              {"tomado_en", engine::format_iso_time(d.draw->tomado_en)}};
  }
  nlohmann::json ganadores = nlohmann::json::array();
  for (const auto& g : d.ganadores) {
    nlohmann::json item = {{"numero", g.numero},           {"tier", g.tier},           {"monto_ganado", g.monto_ganado},
                           {"monto_bruto", g.monto_bruto}, {"retencion", g.retencion}, {"monto_neto", g.monto_neto}};
    if (g.uvt_anio > 0) {
      item["retencion_regla"] = {
          {"uvt_anio", g.uvt_anio}, {"tarifa_bp", g.retencion_tarifa_bp}, {"umbral_cents", g.retencion_umbral}};
    }
    ganadores.push_back(std::move(item));
  }
  return {{"rifa_id", d.rifa_id},
          {"estado", d.estado},
          {"commitment", d.commitment ? *d.commitment : nlohmann::json()},
          {"commitment_hash", or_null(d.commitment_hash)},
          {"activada_en", d.activada_en ? nlohmann::json(engine::format_iso_time(*d.activada_en)) : nlohmann::json()},
          {"assignment_seed", or_null(d.assignment_seed)},
          {"sorteo", sorteo},
          {"vendidos", d.vendidos},
          {"ganadores", ganadores},
          {"fondo_recibido", d.fondo_recibido},
          {"procedure", kProcedure}};
}

Response get_verification(const ApiContext& ctx, Request& req) {
  auto data = ctx.verification.get(req.path_params.at("id"));
  if (!data) return error_response(data.error(), req);
  return json_body_response(200, verification_json(*data));
}

}  // namespace

void register_verification_routes(Router& router, const ApiContext& context) {
  router.add("GET", std::string(kApiPrefix) + "/rifas/{id}/verificacion",
             [&context](Request& r) { return get_verification(context, r); });
}

}  // namespace rifa::api
