#include "handlers/user_handlers.hpp"

#include "handlers/common/error_response.hpp"
#include "handlers/common/json_body.hpp"
#include "handlers/common/json_response.hpp"
#include "handlers/common/pagination.hpp"
#include "engine/player_service.hpp"
#include "engine/validation.hpp"
#include "handlers/user_json.hpp"

namespace rifa::api {
namespace {

Response list_users(const ApiContext& ctx, Request& req) {
  auto who = ctx.authenticator.authenticate(req);
  if (!who) return error_response(who.error(), req);
  auto page = parse_pagination(req);
  if (!page) return error_response(page.error(), req);
  auto users = ctx.accounts.list(who->actor(), *page);
  if (!users) return error_response(users.error(), req);
  return json_body_response(200, page_json(*users, user_json));
}

Response get_user(const ApiContext& ctx, Request& req) {
  auto who = ctx.authenticator.authenticate(req);
  if (!who) return error_response(who.error(), req);
  auto user = ctx.accounts.get(who->actor(), req.path_params.at("id"));
  if (!user) return error_response(user.error(), req);
  return json_body_response(200, user_json(*user));
}

Response patch_user(const ApiContext& ctx, Request& req) {
  auto who = ctx.authenticator.authenticate(req);
  if (!who) return error_response(who.error(), req);
  auto body = JsonBody::parse(req);
  if (!body) return error_response(body.error(), req);
  engine::UserPatch patch;
  patch.nombre = body->text("nombre", Presence::kOptional, engine::kNombreMaxLength, 1);
  patch.telefono = body->nullable_text("telefono", engine::kTelefonoMaxLength);
  patch.password = body->text("password", Presence::kOptional, 1024);
  patch.current_password = body->text("current_password", Presence::kOptional, 1024);
  auto rol = body->text("rol", Presence::kOptional, 16);
  patch.is_active = body->boolean("is_active", Presence::kOptional);
  auto channels = body->object("notificaciones", Presence::kOptional);
  patch.fecha_nacimiento = body->text("fecha_nacimiento", Presence::kOptional, 10, 10);
  patch.documento_tipo = body->text("documento_tipo", Presence::kOptional, 2);
  patch.documento_numero = body->text("documento_numero", Presence::kOptional, 32);
  if (auto ok = body->finish(); !ok) return error_response(ok.error(), req);
  if (channels) {
    // {"email": false, "webhook": true}: each channel on or off; the service checks the names.
    std::map<std::string, bool> wanted;
    for (const auto& [channel, on] : channels->items()) {
      if (!on.is_boolean()) {
        return error_response(
            engine::invalid_field("notificaciones", "channel '" + channel + "' must be true or false"), req);
      }
      wanted[channel] = on.get<bool>();
    }
    patch.notificaciones = std::move(wanted);
  }
  if (rol) {
    patch.rol = engine::parse_rol(*rol);
    if (!patch.rol) {
      return error_response(engine::invalid_field("rol", "must be one of jugador, operador, admin"), req);
    }
  }
  auto user = ctx.accounts.update(who->actor(), req.path_params.at("id"), patch);
  if (!user) return error_response(user.error(), req);
  return json_body_response(200, user_json(*user));
}

Response delete_user(const ApiContext& ctx, Request& req) {
  auto who = ctx.authenticator.authenticate(req);
  if (!who) return error_response(who.error(), req);
  const auto erase = req.query.find("erase");
  if (erase != req.query.end() && erase->second != "true" && erase->second != "false") {
    return error_response(engine::invalid_field("erase", "must be true or false"), req);
  }
  if (erase != req.query.end() && erase->second == "true") {
    // Habeas data (Ley 1581 de 2012): the player, or an admin at their request, erases the personal
    // fields; the financial records stay, under the account's id.
    if (auto done = ctx.players.erase(who->actor(), req.path_params.at("id")); !done) {
      return error_response(done.error(), req);
    }
  } else if (auto done = ctx.accounts.deactivate(who->actor(), req.path_params.at("id")); !done) {
    return error_response(done.error(), req);
  }
  Response r;
  r.status = 204;
  return r;
}

}  // namespace

void register_user_routes(Router& router, const ApiContext& context) {
  const std::string p = kApiPrefix;
  router.add("GET", p + "/users", [&context](Request& r) { return list_users(context, r); });
  router.add("GET", p + "/users/{id}", [&context](Request& r) { return get_user(context, r); });
  router.add("PATCH", p + "/users/{id}", [&context](Request& r) { return patch_user(context, r); });
  router.add("DELETE", p + "/users/{id}", [&context](Request& r) { return delete_user(context, r); });
}

}  // namespace rifa::api
