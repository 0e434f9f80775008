#include "handlers/categoria_handlers.hpp"

#include "engine/rake.hpp"
#include "handlers/common/error_response.hpp"
#include "handlers/common/json_body.hpp"
#include "handlers/common/json_response.hpp"
#include "handlers/common/pagination.hpp"

namespace rifa::api {
namespace {

// 10^15 cents: far above any real price, far below where int64 sums could overflow.
constexpr int64_t kMaxCents = 1'000'000'000'000'000;

nlohmann::json optional_json(const std::optional<std::string>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json categoria_json(const engine::Categoria& c) {
  return {{"id", c.id},
          {"nombre", c.nombre},
          {"color", optional_json(c.color)},
          {"valor_boleta", c.valor_boleta},
          {"total_recaudo", c.total_recaudo},
          {"rake", engine::format_rake(c.rake_bp)},
          {"fondo_premios", c.fondo_premios},
          {"premio_por_ganador", c.premio_por_ganador},
          {"comentario", optional_json(c.comentario)},
          {"fondo_acumulado", c.fondo_acumulado}};
}

Response list_categorias(const ApiContext& ctx, Request& req) {
  auto page = parse_pagination(req);
  if (!page) return error_response(page.error(), req);
  auto list = ctx.catalog.list_categorias(*page);
  if (!list) return error_response(list.error(), req);
  return json_body_response(200, page_json(*list, categoria_json));
}

Response create_categoria(const ApiContext& ctx, Request& req) {
  auto who = ctx.authenticator.authenticate(req);
  if (!who) return error_response(who.error(), req);
  if (auto allowed = ctx.catalog.authorize_categoria_write(who->actor()); !allowed)
    return error_response(allowed.error(), req);
  auto body = JsonBody::parse(req);
  if (!body) return error_response(body.error(), req);
  engine::NewCategoria in;
  auto nombre = body->text("nombre", Presence::kRequired, engine::kCatalogNombreMaxLength, 1);
  auto color = body->nullable_text("color", engine::kColorMaxLength);
  auto valor = body->integer("valor_boleta", Presence::kRequired, 0, kMaxCents);
  auto rake = body->decimal_text("rake", Presence::kOptional, 16);
  auto premio = body->integer("premio_por_ganador", Presence::kOptional, 0, kMaxCents);
  auto comentario = body->nullable_text("comentario", engine::kComentarioMaxLength);
  if (auto ok = body->finish(); !ok) return error_response(ok.error(), req);
  in.nombre = *nombre;
  if (color) in.color = *color;
  in.valor_boleta = *valor;
  if (rake) {
    auto bp = engine::parse_rake(*rake);
    if (!bp) return error_response(bp.error(), req);
    in.rake_bp = *bp;
  }
  if (premio) in.premio_por_ganador = *premio;
  if (comentario) in.comentario = *comentario;
  auto created = ctx.catalog.create_categoria(who->actor(), in);
  if (!created) return error_response(created.error(), req);
  return json_body_response(201, categoria_json(*created));
}

}  // namespace

void register_categoria_routes(Router& router, const ApiContext& context) {
  const std::string p = kApiPrefix;
  router.add("GET", p + "/categorias", [&context](Request& r) { return list_categorias(context, r); });
  router.add("POST", p + "/categorias", [&context](Request& r) { return create_categoria(context, r); });
}

}  // namespace rifa::api
