#include "handlers/auth_handlers.hpp"

#include <algorithm>
#include <chrono>

#include <spdlog/spdlog.h>

#include "handlers/common/error_response.hpp"
#include "handlers/common/json_body.hpp"
#include "handlers/common/json_response.hpp"

namespace rifa::api {
namespace {

// Long enough for any passphrase; password_weakness() gives the real rule (10..128).
constexpr size_t kPasswordReadMax = 1024;

// The same body whether the email was free or not, so sign-up never tells which emails exist.
const nlohmann::json& registration_accepted() {
  static const nlohmann::json body = {
      {"status", "accepted"},
      {"detail", "if this email had no account, it has one now: log in with it and this password"}};
  return body;
}

std::string issue_token(const ApiContext& ctx, const engine::User& user) {
  const int64_t now_s = std::chrono::duration_cast<std::chrono::seconds>(ctx.clock.now().time_since_epoch()).count();
  // The Authenticator refuses tokens issued before tokens_valid_from_s, which a password, role or
  // status change moves just past the current second: a log-in in that same second gets that
  // second as its iat (at most one second ahead), and its expiry still counts from now.
  const int64_t iat_s = std::max(now_s, user.tokens_valid_from_s);
  return ctx.jwt.sign(TokenClaims{user.email, user.id, engine::to_string(user.rol), iat_s, now_s + ctx.token_ttl_s});
}

Response register_user(const ApiContext& ctx, Request& req) {
  auto body = JsonBody::parse(req);
  if (!body) return error_response(body.error(), req);
  engine::NewUser in;
  auto nombre = body->text("nombre", Presence::kRequired, engine::kNombreMaxLength, 1);
  auto email = body->text("email", Presence::kRequired, engine::kEmailMaxLength);
  auto password = body->text("password", Presence::kRequired, kPasswordReadMax);
  auto telefono = body->nullable_text("telefono", engine::kTelefonoMaxLength);
  // Adults only and habeas data (issue 15): checked by AccountService::register_user.
  in.fecha_nacimiento = body->text("fecha_nacimiento", Presence::kRequired, 10);
  in.documento_tipo = body->text("documento_tipo", Presence::kRequired, 2);
  in.documento_numero = body->text("documento_numero", Presence::kRequired, 32);
  auto consent = body->boolean("acepta_politica_datos", Presence::kRequired);
  if (auto ok = body->finish(); !ok) return error_response(ok.error(), req);
  in.acepta_politica_datos = consent.value_or(false);
  in.nombre = *nombre;
  in.email = *email;
  in.password = *password;
  if (telefono) in.telefono = *telefono;
  auto outcome = ctx.accounts.register_user(in);
  if (!outcome) return error_response(outcome.error(), req);
  if (*outcome == engine::Registration::kAlreadyRegistered) {
    // The address's owner is to be told by mail (someone tried to sign up with it); no notifier
    // event exists for accounts yet, so the log says it without the address itself.
    spdlog::info("sign-up for an email that already has an account (or a look-alike of one): nothing created");
  }
  return json_body_response(202, registration_accepted());
}

Response login(const ApiContext& ctx, Request& req) {
  auto body = JsonBody::parse(req);
  if (!body) return error_response(body.error(), req);
  auto email = body->text("email", Presence::kRequired, engine::kEmailMaxLength);
  auto password = body->text("password", Presence::kRequired, kPasswordReadMax);
  if (auto ok = body->finish(); !ok) return error_response(ok.error(), req);
  auto user = ctx.accounts.login(*email, *password, req.remote_address);
  if (!user) return error_response(user.error(), req);
  return json_body_response(200, {{"access_token", issue_token(ctx, *user)}, {"token_type", "bearer"}});
}

}  // namespace

void register_auth_routes(Router& router, const ApiContext& context) {
  const std::string p = kApiPrefix;
  router.add("POST", p + "/auth/register", [&context](Request& r) { return register_user(context, r); });
  router.add("POST", p + "/auth/login", [&context](Request& r) { return login(context, r); });
}

}  // namespace rifa::api
