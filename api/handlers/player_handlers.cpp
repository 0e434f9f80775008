#include "handlers/player_handlers.hpp"

#include "engine/iso_time.hpp"
#include "engine/player_service.hpp"
#include "handlers/common/error_response.hpp"
#include "handlers/common/json_body.hpp"
#include "handlers/common/json_response.hpp"

namespace rifa::api {
namespace {

nlohmann::json time_or_null(const std::optional<engine::TimePoint>& t) {
  return t ? nlohmann::json(engine::format_iso_time(*t)) : nlohmann::json(nullptr);
}

nlohmann::json exclusion_json(const engine::Exclusion& e) {
  return {{"id", e.id},
          {"usuario_id", e.usuario_id},
          {"periodo", e.periodo},
          {"desde", engine::format_iso_time(e.desde)},
          {"hasta", time_or_null(e.hasta)},
          {"levantamiento_solicitado_en", time_or_null(e.levantamiento_solicitado_en)}};
}

nlohmann::json limits_view_json(const engine::LimitsView& v) {
  nlohmann::json pending = nullptr;
  if (v.pendientes) {
    pending = {{"limites", engine::limits_json(v.pendientes->limites)},
               {"desde", engine::format_iso_time(v.pendientes->desde)}};
  }
  return {{"limites", engine::limits_json(v.limites)},
          {"pendientes", pending},
          {"zona_horaria", "America/Bogota"},
          {"periodos", {{"diario", "calendar day"}, {"semanal", "Monday to Sunday"}, {"mensual", "calendar month"}}}};
}

Response exclude(const ApiContext& ctx, Request& req) {
  auto who = ctx.authenticator.authenticate(req);
  if (!who) return error_response(who.error(), req);
  auto body = JsonBody::parse(req);
  if (!body) return error_response(body.error(), req);
  auto periodo = body->text("periodo", Presence::kRequired, 16, 1);
  if (auto ok = body->finish(); !ok) return error_response(ok.error(), req);
  auto done = ctx.players.exclude(who->actor(), req.path_params.at("id"), *periodo);
  if (!done) return error_response(done.error(), req);
  return json_body_response(201, exclusion_json(*done));
}

Response get_exclusion(const ApiContext& ctx, Request& req) {
  auto who = ctx.authenticator.authenticate(req);
  if (!who) return error_response(who.error(), req);
  const std::string id = req.path_params.at("id");
  auto all = ctx.players.exclusions(who->actor(), id);
  if (!all) return error_response(all.error(), req);
  auto until = ctx.players.excluded_until(id);
  if (!until) return error_response(until.error(), req);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& e : *all) items.push_back(exclusion_json(e));
  const bool indefinite = *until && **until == engine::indefinite_exclusion_end();
  return json_body_response(200, {{"excluido", until->has_value()},
                                  {"indefinida", indefinite},
                                  {"hasta", indefinite ? nlohmann::json(nullptr) : time_or_null(*until)},
                                  {"exclusiones", items}});
}

Response lift_exclusion(const ApiContext& ctx, Request& req) {
  auto who = ctx.authenticator.authenticate(req);
  if (!who) return error_response(who.error(), req);
  auto done = ctx.players.request_lift(who->actor(), req.path_params.at("id"));
  if (!done) return error_response(done.error(), req);
  return json_body_response(202, exclusion_json(*done));
}

Response list_exclusions(const ApiContext& ctx, Request& req) {
  auto who = ctx.authenticator.authenticate(req);
  if (!who) return error_response(who.error(), req);
  auto all = ctx.players.exclusions(who->actor(), std::nullopt);
  if (!all) return error_response(all.error(), req);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& e : *all) items.push_back(exclusion_json(e));
  return json_body_response(200, {{"items", items}});
}

Response get_limits(const ApiContext& ctx, Request& req) {
  auto who = ctx.authenticator.authenticate(req);
  if (!who) return error_response(who.error(), req);
  auto view = ctx.players.limits(who->actor(), req.path_params.at("id"));
  if (!view) return error_response(view.error(), req);
  return json_body_response(200, limits_view_json(*view));
}

Response put_limits(const ApiContext& ctx, Request& req) {
  auto who = ctx.authenticator.authenticate(req);
  if (!who) return error_response(who.error(), req);
  auto body = JsonBody::parse(req);
  if (!body) return error_response(body.error(), req);
  constexpr int64_t kMax = 1'000'000'000'000;  // 10^10 pesos: past any sane limit
  engine::SpendingLimits wanted;
  wanted.diario = body->integer("diario", Presence::kOptional, 0, kMax);
  wanted.semanal = body->integer("semanal", Presence::kOptional, 0, kMax);
  wanted.mensual = body->integer("mensual", Presence::kOptional, 0, kMax);
  if (auto ok = body->finish(); !ok) return error_response(ok.error(), req);
  auto view = ctx.players.set_limits(who->actor(), req.path_params.at("id"), wanted);
  if (!view) return error_response(view.error(), req);
  return json_body_response(200, limits_view_json(*view));
}

Response export_data(const ApiContext& ctx, Request& req) {
  auto who = ctx.authenticator.authenticate(req);
  if (!who) return error_response(who.error(), req);
  auto data = ctx.players.export_data(who->actor(), req.path_params.at("id"));
  if (!data) return error_response(data.error(), req);
  return json_body_response(200, *data);
}

}  // namespace

void register_player_routes(Router& router, const ApiContext& context) {
  const std::string p = kApiPrefix;
  router.add("POST", p + "/users/{id}/autoexclusion", [&context](Request& r) { return exclude(context, r); });
  router.add("GET", p + "/users/{id}/autoexclusion", [&context](Request& r) { return get_exclusion(context, r); });
  router.add("DELETE", p + "/users/{id}/autoexclusion", [&context](Request& r) { return lift_exclusion(context, r); });
  router.add("GET", p + "/autoexclusiones", [&context](Request& r) { return list_exclusions(context, r); });
  router.add("GET", p + "/users/{id}/limites", [&context](Request& r) { return get_limits(context, r); });
  router.add("PUT", p + "/users/{id}/limites", [&context](Request& r) { return put_limits(context, r); });
  router.add("GET", p + "/users/{id}/export", [&context](Request& r) { return export_data(context, r); });
}

}  // namespace rifa::api
