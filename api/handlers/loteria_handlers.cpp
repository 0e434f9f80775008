#include "handlers/loteria_handlers.hpp"

#include "engine/iso_time.hpp"
#include "engine/validation.hpp"
#include "handlers/common/error_response.hpp"
#include "handlers/common/json_body.hpp"
#include "handlers/common/json_response.hpp"
#include "handlers/common/pagination.hpp"

namespace rifa::api {
namespace {

constexpr size_t kInstanceIdMax = 64;

nlohmann::json optional_json(const std::optional<std::string>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json loteria_json(const engine::Loteria& l) {
  return {{"id", l.id},
          {"nombre", l.nombre},
          {"descripcion", optional_json(l.descripcion)},
          {"frecuencia", l.frecuencia},
          {"url_resultados", optional_json(l.url_resultados)},
          {"meta", l.meta},
          {"plugin_instance", l.plugin_instance}};
}

Response list_loterias(const ApiContext& ctx, Request& req) {
  auto page = parse_pagination(req);
  if (!page) return error_response(page.error(), req);
  auto list = ctx.catalog.list_loterias(*page);
  if (!list) return error_response(list.error(), req);
  return json_body_response(200, page_json(*list, loteria_json));
}

Response get_loteria(const ApiContext& ctx, Request& req) {
  auto loteria = ctx.catalog.get_loteria(req.path_params.at("id"));
  if (!loteria) return error_response(loteria.error(), req);
  return json_body_response(200, loteria_json(*loteria));
}

Response create_loteria(const ApiContext& ctx, Request& req) {
  auto who = ctx.authenticator.authenticate(req);
  if (!who) return error_response(who.error(), req);
  if (auto allowed = ctx.catalog.authorize_loteria_write(who->actor()); !allowed)
    return error_response(allowed.error(), req);
  auto body = JsonBody::parse(req);
  if (!body) return error_response(body.error(), req);
  engine::NewLoteria in;
  auto nombre = body->text("nombre", Presence::kRequired, engine::kCatalogNombreMaxLength, 1);
  auto descripcion = body->nullable_text("descripcion", engine::kTextMaxLength);
  auto frecuencia = body->text("frecuencia", Presence::kRequired, engine::kCatalogNombreMaxLength, 1);
  auto url = body->nullable_text("url_resultados", engine::kTextMaxLength);
  auto meta = body->object("meta", Presence::kOptional);
  auto instance = body->text("plugin_instance", Presence::kRequired, kInstanceIdMax, 1);
  if (auto ok = body->finish(); !ok) return error_response(ok.error(), req);
  in.nombre = *nombre;
  if (descripcion) in.descripcion = *descripcion;
  in.frecuencia = *frecuencia;
  if (url) in.url_resultados = *url;
  if (meta) in.meta = *meta;
  in.plugin_instance = *instance;
  auto created = ctx.catalog.create_loteria(who->actor(), in);
  if (!created) return error_response(created.error(), req);
  return json_body_response(201, loteria_json(*created));
}

Response patch_loteria(const ApiContext& ctx, Request& req) {
  auto who = ctx.authenticator.authenticate(req);
  if (!who) return error_response(who.error(), req);
  if (auto allowed = ctx.catalog.authorize_loteria_write(who->actor()); !allowed)
    return error_response(allowed.error(), req);
  auto body = JsonBody::parse(req);
  if (!body) return error_response(body.error(), req);
  engine::LoteriaPatch patch;
  patch.nombre = body->text("nombre", Presence::kOptional, engine::kCatalogNombreMaxLength, 1);
  patch.descripcion = body->nullable_text("descripcion", engine::kTextMaxLength);
  patch.frecuencia = body->text("frecuencia", Presence::kOptional, engine::kCatalogNombreMaxLength, 1);
  patch.url_resultados = body->nullable_text("url_resultados", engine::kTextMaxLength);
  patch.meta = body->object("meta", Presence::kOptional);
  patch.plugin_instance = body->text("plugin_instance", Presence::kOptional, kInstanceIdMax, 1);
  if (auto ok = body->finish(); !ok) return error_response(ok.error(), req);
  auto updated = ctx.catalog.update_loteria(who->actor(), req.path_params.at("id"), patch);
  if (!updated) return error_response(updated.error(), req);
  return json_body_response(200, loteria_json(*updated));
}

// The draws of the loteria's lottery in [desde, hasta], by its plugin's own calendar: the dates a
// rifa's fecha_sorteo may take, with the instant sales must end before.
Response list_sorteos(const ApiContext& ctx, Request& req) {
  const auto param = [&](const char* name) -> std::string {
    auto it = req.query.find(name);
    return it == req.query.end() ? std::string() : it->second;
  };
  const std::string desde = param("desde"), hasta = param("hasta");
  if (desde.empty()) return error_response(engine::invalid_field("desde", "is required (YYYY-MM-DD)"), req);
  if (hasta.empty()) return error_response(engine::invalid_field("hasta", "is required (YYYY-MM-DD)"), req);
  auto found = ctx.rifas.loteria_draws(req.path_params.at("id"), desde, hasta);
  if (!found) return error_response(found.error(), req);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& draw : found->draws) {
    items.push_back({{"fecha", draw.date},
                     {"hora", draw.time},
                     {"zona_horaria", "America/Bogota"},
                     {"instante", engine::format_iso_time(draw.at)}});
  }
  return json_body_response(200, {{"loteria_id", found->loteria_id},
                                  {"plugin_instance", found->plugin_instance},
                                  {"desde", desde},
                                  {"hasta", hasta},
                                  {"items", items}});
}

}  // namespace

void register_loteria_routes(Router& router, const ApiContext& context) {
  const std::string p = kApiPrefix;
  router.add("GET", p + "/loterias", [&context](Request& r) { return list_loterias(context, r); });
  router.add("POST", p + "/loterias", [&context](Request& r) { return create_loteria(context, r); });
  router.add("GET", p + "/loterias/{id}", [&context](Request& r) { return get_loteria(context, r); });
  router.add("PATCH", p + "/loterias/{id}", [&context](Request& r) { return patch_loteria(context, r); });
  router.add("GET", p + "/loterias/{id}/sorteos", [&context](Request& r) { return list_sorteos(context, r); });
}

}  // namespace rifa::api
