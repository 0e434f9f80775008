#include "handlers/auth_handlers.hpp"

#include <chrono>

#include "handlers/common/error_response.hpp"
#include "handlers/common/json_body.hpp"
#include "handlers/common/json_response.hpp"
#include "handlers/user_json.hpp"

namespace rifa::api {
namespace {

// Long enough for any passphrase; password_weakness() gives the real rule (10..128).
constexpr size_t kPasswordReadMax = 1024;

std::string issue_token(const ApiContext& ctx, const engine::User& user) {
  const int64_t now_s =
      std::chrono::duration_cast<std::chrono::seconds>(ctx.clock.now().time_since_epoch()).count();
  return ctx.jwt.sign(TokenClaims{user.email, user.id, engine::to_string(user.rol), now_s, now_s + ctx.token_ttl_s});
}

Response register_user(const ApiContext& ctx, Request& req) {
  auto body = JsonBody::parse(req);
  if (!body) return error_response(body.error(), req);
  engine::NewUser in;
  auto nombre = body->text("nombre", Presence::kRequired, engine::kNombreMaxLength, 1);
  auto email = body->text("email", Presence::kRequired, engine::kEmailMaxLength);
  auto password = body->text("password", Presence::kRequired, kPasswordReadMax);
  auto telefono = body->nullable_text("telefono", engine::kTelefonoMaxLength);
  if (auto ok = body->finish(); !ok) return error_response(ok.error(), req);
  in.nombre = *nombre;
  in.email = *email;
  in.password = *password;
  if (telefono) in.telefono = *telefono;
  auto user = ctx.accounts.register_user(in);
  if (!user) return error_response(user.error(), req);
  return json_body_response(
      201, {{"user", user_json(*user)}, {"access_token", issue_token(ctx, *user)}, {"token_type", "bearer"}});
}

Response login(const ApiContext& ctx, Request& req) {
  auto body = JsonBody::parse(req);
  if (!body) return error_response(body.error(), req);
  auto email = body->text("email", Presence::kRequired, engine::kEmailMaxLength);
  auto password = body->text("password", Presence::kRequired, kPasswordReadMax);
  if (auto ok = body->finish(); !ok) return error_response(ok.error(), req);
  auto user = ctx.accounts.login(*email, *password);
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
