#include "handlers/report_handlers.hpp"

#include <cstdio>

#include "engine/report_service.hpp"
#include "engine/validation.hpp"
#include "handlers/common/error_response.hpp"
#include "handlers/common/json_response.hpp"

namespace rifa::api {
namespace {

constexpr size_t kParamMax = 64;

Result<std::string> required_param(const Request& req, const char* name) {
  auto it = req.query.find(name);
  if (it == req.query.end() || it->second.empty()) return engine::invalid_field(name, "is required");
  if (it->second.size() > kParamMax) return engine::invalid_field(name, "is too long");
  return it->second;
}

nlohmann::json totals_json(const engine::IncomeTotals& t) {
  return {{"ventas", t.ventas},
          {"rake", t.rake},
          {"fondo_premios", t.fondo_premios},
          {"premios", t.premios},
          {"reembolsos", t.reembolsos}};
}

// A ratio as an exact decimal string with 4 places, like categoria rake ("0.2500"): no float.
std::string ratio_text(int64_t part, int64_t whole) {
  if (whole <= 0) return "0.0000";
  const int64_t bp = part * 10000 / whole;
  char text[32];
  std::snprintf(text, sizeof text, "%lld.%04lld", static_cast<long long>(bp / 10000),
                static_cast<long long>(bp % 10000));
  return text;
}

Response income(const ApiContext& ctx, Request& req) {
  auto who = ctx.authenticator.authenticate(req);
  if (!who) return error_response(who.error(), req);
  auto desde = required_param(req, "desde");
  if (!desde) return error_response(desde.error(), req);
  auto hasta = required_param(req, "hasta");
  if (!hasta) return error_response(hasta.error(), req);
  auto report = ctx.reports.income(who->actor(), *desde, *hasta);
  if (!report) return error_response(report.error(), req);
  nlohmann::json by_day = nlohmann::json::array(), by_categoria = nlohmann::json::array(),
                 by_rifa = nlohmann::json::array();
  for (const auto& [day, totals] : report->by_day) {
    auto j = totals_json(totals);
    j["dia"] = day;
    by_day.push_back(std::move(j));
  }
  for (const auto& [id, entry] : report->by_categoria) {
    auto j = totals_json(entry.second);
    j["categoria_id"] = id;
    j["categoria"] = entry.first.categoria_nombre;
    by_categoria.push_back(std::move(j));
  }
  for (const auto& [id, entry] : report->by_rifa) {
    auto j = totals_json(entry.second);
    j["rifa_id"] = id;
    j["rifa"] = entry.first.rifa_nombre;
    j["categoria_id"] = entry.first.categoria_id;
    by_rifa.push_back(std::move(j));
  }
  return json_body_response(200, {{"desde", report->range.desde},
                                  {"hasta", report->range.hasta},
                                  {"zona_horaria", "America/Bogota"},
                                  {"moneda", "COP"},
                                  {"totales", totals_json(report->totals)},
                                  {"por_dia", by_day},
                                  {"por_categoria", by_categoria},
                                  {"por_rifa", by_rifa}});
}

Response participation(const ApiContext& ctx, Request& req) {
  auto who = ctx.authenticator.authenticate(req);
  if (!who) return error_response(who.error(), req);
  auto rifa_id = required_param(req, "rifa_id");
  if (!rifa_id) return error_response(rifa_id.error(), req);
  auto report = ctx.reports.participation(who->actor(), *rifa_id);
  if (!report) return error_response(report.error(), req);
  nlohmann::json by_day = nlohmann::json::array();
  for (const auto& d : report->by_day) by_day.push_back({{"dia", d.day}, {"boletas", d.boletas}, {"ventas", d.ventas}});
  return json_body_response(200, {{"rifa_id", report->rifa.rifa_id},
                                  {"rifa", report->rifa.rifa_nombre},
                                  {"categoria_id", report->rifa.categoria_id},
                                  {"estado", report->estado},
                                  {"total_boletas", report->total_boletas},
                                  {"vendidas", report->vendidas},
                                  {"jugadores", report->jugadores},
                                  {"ventas", report->ventas},
                                  {"ocupacion", ratio_text(report->vendidas, report->total_boletas)},
                                  {"zona_horaria", "America/Bogota"},
                                  {"por_dia", by_day}});
}

// A CSV field: quoted when it holds a comma, quote or line break (RFC 4180); a leading = + - @ is
// prefixed with ' so that a spreadsheet never runs a name as a formula.
std::string csv_field(std::string text) {
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@')) text = "'" + text;
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

bool wants_csv(const Request& req) {
  auto formato = req.query.find("formato");
  if (formato != req.query.end()) return formato->second == "csv";
  const std::string accept = req.header("accept");
  return accept.find("text/csv") != std::string::npos && accept.find("application/json") == std::string::npos;
}

// GET /admin/reportes/retenciones?desde=&hasta=[&formato=json|csv]: per paid prize the winner, the
// gross, the withholding on prizes (retención en la fuente), the net and the date; totals.
Response withholdings(const ApiContext& ctx, Request& req) {
  auto who = ctx.authenticator.authenticate(req);
  if (!who) return error_response(who.error(), req);
  auto desde = required_param(req, "desde");
  if (!desde) return error_response(desde.error(), req);
  auto hasta = required_param(req, "hasta");
  if (!hasta) return error_response(hasta.error(), req);
  if (auto f = req.query.find("formato"); f != req.query.end() && f->second != "csv" && f->second != "json") {
    return error_response(engine::invalid_field("formato", "must be json or csv"), req);
  }
  auto report = ctx.reports.withholdings(who->actor(), *desde, *hasta);
  if (!report) return error_response(report.error(), req);
  if (wants_csv(req)) {
    std::string csv =
        "fecha,dia,ganador_id,rifa_id,rifa,usuario_id,nombre,documento_tipo,documento_numero,tipo,"
        "tier,numero,bruto_cents,"
        "retencion_cents,neto_cents,uvt_anio\r\n";
    for (const auto& r : report->rows) {
      csv += csv_field(r.fecha) + "," + csv_field(r.dia) + "," + csv_field(r.ganador_id) + "," +
             csv_field(r.rifa.rifa_id) + "," + csv_field(r.rifa.rifa_nombre) + "," +
             csv_field(r.usuario_id.value_or("")) + "," + csv_field(r.nombre) + "," + csv_field(r.documento_tipo) +
             "," + csv_field(r.documento_numero) + "," + r.tipo + "," + std::to_string(r.tier) + "," +
             std::to_string(r.numero) + "," + std::to_string(r.bruto) + "," + std::to_string(r.retencion) + "," +
             std::to_string(r.neto) + "," + (r.uvt_anio > 0 ? std::to_string(r.uvt_anio) : "") + "\r\n";
    }
    csv += "TOTAL,,,,,,,,,,,," + std::to_string(report->totals.bruto) + "," + std::to_string(report->totals.retencion) +
           "," + std::to_string(report->totals.neto) + ",\r\n";
    Response r;
    r.status = 200;
    r.content_type = "text/csv; charset=utf-8";
    r.body = std::move(csv);
    return r;
  }
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : report->rows) {
    rows.push_back(
        {{"ganador_id", r.ganador_id},
         {"fecha", r.fecha},
         {"dia", r.dia},
         {"rifa_id", r.rifa.rifa_id},
         {"rifa", r.rifa.rifa_nombre},
         {"usuario_id", r.usuario_id ? nlohmann::json(*r.usuario_id) : nlohmann::json()},
         {"nombre", r.nombre},
         {"documento_tipo", r.documento_tipo.empty() ? nlohmann::json() : nlohmann::json(r.documento_tipo)},
         {"documento_numero", r.documento_numero.empty() ? nlohmann::json() : nlohmann::json(r.documento_numero)},
         {"tipo", r.tipo},
         {"tier", r.tier},
         {"numero", r.numero},
         {"bruto", r.bruto},
         {"retencion", r.retencion},
         {"neto", r.neto},
         {"uvt_anio", r.uvt_anio > 0 ? nlohmann::json(r.uvt_anio) : nlohmann::json()}});
  }
  return json_body_response(200, {{"desde", report->range.desde},
                                  {"hasta", report->range.hasta},
                                  {"zona_horaria", "America/Bogota"},
                                  {"moneda", "COP"},
                                  {"totales",
                                   {{"ganadores", report->totals.ganadores},
                                    {"bruto", report->totals.bruto},
                                    {"retencion", report->totals.retencion},
                                    {"neto", report->totals.neto}}},
                                  {"retenciones", rows}});
}

}  // namespace

void register_report_routes(Router& router, const ApiContext& context) {
  const std::string p = std::string(kApiPrefix) + "/admin/reportes";
  router.add("GET", p + "/ingresos", [&context](Request& r) { return income(context, r); });
  router.add("GET", p + "/participacion", [&context](Request& r) { return participation(context, r); });
  router.add("GET", p + "/retenciones", [&context](Request& r) { return withholdings(context, r); });
}

}  // namespace rifa::api
