#include "handlers/rifa_handlers.hpp"

#include "engine/iso_time.hpp"
#include "engine/validation.hpp"
#include "handlers/common/error_response.hpp"
#include "handlers/common/json_body.hpp"
#include "handlers/common/json_response.hpp"
#include "handlers/common/pagination.hpp"

namespace rifa::api {
namespace {

constexpr size_t kIdMax = 64;
constexpr size_t kDateMax = 40;
constexpr size_t kDrawDateMax = 10;  // YYYY-MM-DD

nlohmann::json rifa_json(const engine::RifaView& v) {
  const engine::Rifa& r = v.rifa;
  return {{"id", r.id},
          {"nombre", r.nombre},
          {"categoria_id", r.categoria_id},
          {"loteria_id", r.loteria_id},
          {"fecha_inicio", engine::format_iso_time(r.fecha_inicio)},
          {"fecha_fin", engine::format_iso_time(r.fecha_fin)},
          {"numero_ganadores", r.numero_ganadores},
          {"estado", engine::to_string(r.estado)},
          {"reglas", r.reglas},
          {"total_boletas", r.total_boletas},
          {"assignment", engine::to_string(r.assignment)},
          {"creado_en", engine::format_iso_time(r.creado_en)},
          {"vendidas", v.vendidas},
          {"disponibles", v.disponibles},
          {"fecha_sorteo", r.fecha_sorteo ? nlohmann::json(*r.fecha_sorteo) : nlohmann::json(nullptr)}};
}

Result<engine::RifaFilter> parse_filter(const Request& req) {
  engine::RifaFilter f;
  if (auto it = req.query.find("estado"); it != req.query.end()) {
    f.estado = engine::parse_rifa_estado(it->second);
    if (!f.estado)
      return engine::invalid_field("estado", "must be one of pendiente, activa, cerrada, resuelta, cancelada");
  }
  if (auto it = req.query.find("categoria"); it != req.query.end()) {
    if (it->second.empty() || it->second.size() > engine::kCatalogNombreMaxLength * 4) {
      return engine::invalid_field("categoria", "must be a categoria id or nombre");
    }
    f.categoria = it->second;
  }
  if (auto it = req.query.find("fecha_inicio"); it != req.query.end()) {
    auto t = engine::parse_iso_time(it->second, "fecha_inicio");
    if (!t) return t.error();
    f.desde = *t;
  }
  if (auto it = req.query.find("fecha_fin"); it != req.query.end()) {
    auto t = engine::parse_iso_time(it->second, "fecha_fin");
    if (!t) return t.error();
    f.hasta = *t;
  }
  return f;
}

Response list_rifas(const ApiContext& ctx, Request& req) {
  auto filter = parse_filter(req);
  if (!filter) return error_response(filter.error(), req);
  auto page = parse_pagination(req);
  if (!page) return error_response(page.error(), req);
  auto list = ctx.rifas.list(*filter, *page);
  if (!list) return error_response(list.error(), req);
  return json_body_response(200, page_json(*list, rifa_json));
}

Response get_rifa(const ApiContext& ctx, Request& req) {
  auto rifa = ctx.rifas.get_cached(req.path_params.at("id"));
  if (!rifa) return error_response(rifa.error(), req);
  return json_body_response(200, rifa_json(*rifa));
}

// Reads an optional date member; records nothing when absent.
Result<std::optional<engine::TimePoint>> date_member(JsonBody& body, const char* key, Presence presence) {
  auto text = body.text(key, presence, kDateMax);
  if (!text) return std::optional<engine::TimePoint>();
  auto t = engine::parse_iso_time(*text, key);
  if (!t) return t.error();
  return std::optional<engine::TimePoint>(*t);
}

Response create_rifa(const ApiContext& ctx, Request& req) {
  auto who = ctx.authenticator.authenticate(req);
  if (!who) return error_response(who.error(), req);
  if (auto allowed = ctx.rifas.authorize_write(who->actor()); !allowed) return error_response(allowed.error(), req);
  auto body = JsonBody::parse(req);
  if (!body) return error_response(body.error(), req);
  engine::NewRifa in;
  auto nombre = body->text("nombre", Presence::kRequired, engine::kRifaNombreMaxLength, 1);
  auto categoria = body->text("categoria_id", Presence::kRequired, kIdMax, 1);
  auto loteria = body->text("loteria_id", Presence::kRequired, kIdMax, 1);
  auto inicio = date_member(*body, "fecha_inicio", Presence::kRequired);
  if (!inicio) return error_response(inicio.error(), req);
  auto fin = date_member(*body, "fecha_fin", Presence::kRequired);
  if (!fin) return error_response(fin.error(), req);
  auto ganadores = body->integer("numero_ganadores", Presence::kOptional, 1, engine::kMaxTotalBoletas);
  auto reglas = body->object("reglas", Presence::kOptional);
  auto total = body->integer("total_boletas", Presence::kOptional, 1, engine::kMaxTotalBoletas);
  auto assignment = body->text("assignment", Presence::kOptional, 16);
  in.fecha_sorteo = body->text("fecha_sorteo", Presence::kOptional, kDrawDateMax, 1);
  if (auto ok = body->finish(); !ok) return error_response(ok.error(), req);
  in.nombre = *nombre;
  in.categoria_id = *categoria;
  in.loteria_id = *loteria;
  in.fecha_inicio = **inicio;
  in.fecha_fin = **fin;
  if (ganadores) in.numero_ganadores = static_cast<int32_t>(*ganadores);
  if (reglas) in.reglas = *reglas;
  if (total) in.total_boletas = static_cast<int32_t>(*total);
  if (assignment) {
    auto a = engine::parse_assignment(*assignment);
    if (!a) return error_response(engine::invalid_field("assignment", "must be sequential or random"), req);
    in.assignment = *a;
  }
  auto created = ctx.rifas.create(who->actor(), in);
  if (!created) return error_response(created.error(), req);
  return json_body_response(201, rifa_json(*created));
}

Response patch_rifa(const ApiContext& ctx, Request& req) {
  auto who = ctx.authenticator.authenticate(req);
  if (!who) return error_response(who.error(), req);
  if (auto allowed = ctx.rifas.authorize_write(who->actor()); !allowed) return error_response(allowed.error(), req);
  auto body = JsonBody::parse(req);
  if (!body) return error_response(body.error(), req);
  engine::RifaPatch patch;
  patch.nombre = body->text("nombre", Presence::kOptional, engine::kRifaNombreMaxLength, 1);
  auto inicio = date_member(*body, "fecha_inicio", Presence::kOptional);
  if (!inicio) return error_response(inicio.error(), req);
  auto fin = date_member(*body, "fecha_fin", Presence::kOptional);
  if (!fin) return error_response(fin.error(), req);
  patch.fecha_inicio = *inicio;
  patch.fecha_fin = *fin;
  auto estado = body->text("estado", Presence::kOptional, 16);
  patch.categoria_id = body->text("categoria_id", Presence::kOptional, kIdMax, 1);
  patch.loteria_id = body->text("loteria_id", Presence::kOptional, kIdMax, 1);
  auto ganadores = body->integer("numero_ganadores", Presence::kOptional, 1, engine::kMaxTotalBoletas);
  patch.reglas = body->object("reglas", Presence::kOptional);
  auto total = body->integer("total_boletas", Presence::kOptional, 1, engine::kMaxTotalBoletas);
  patch.fecha_sorteo = body->text("fecha_sorteo", Presence::kOptional, kDrawDateMax, 1);
  if (auto ok = body->finish(); !ok) return error_response(ok.error(), req);
  if (estado) {
    patch.estado = engine::parse_rifa_estado(*estado);
    if (!patch.estado) {
      return error_response(
          engine::invalid_field("estado", "must be one of pendiente, activa, cerrada, resuelta, cancelada"), req);
    }
  }
  if (ganadores) patch.numero_ganadores = static_cast<int32_t>(*ganadores);
  if (total) patch.total_boletas = static_cast<int32_t>(*total);
  auto updated = ctx.rifas.update(who->actor(), req.path_params.at("id"), patch);
  if (!updated) return error_response(updated.error(), req);
  return json_body_response(200, rifa_json(*updated));
}

}  // namespace

void register_rifa_routes(Router& router, const ApiContext& context) {
  const std::string p = kApiPrefix;
  router.add("GET", p + "/rifas", [&context](Request& r) { return list_rifas(context, r); });
  router.add("POST", p + "/rifas", [&context](Request& r) { return create_rifa(context, r); });
  router.add("GET", p + "/rifas/{id}", [&context](Request& r) { return get_rifa(context, r); });
  router.add("PATCH", p + "/rifas/{id}", [&context](Request& r) { return patch_rifa(context, r); });
}

}  // namespace rifa::api
