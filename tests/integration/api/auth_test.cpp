#include <gtest/gtest.h>

#include "api_fixture.hpp"
#include "signup.hpp"
#include "auth/jwt.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;

class AuthTest : public ApiTest {};

TEST_F(AuthTest, RegisterCreatesAJugadorThatLogsIn) {
  auto r = call("POST", "/api/v1/auth/register",
                adult_signup(json{{"nombre", "Ana María"},
                                  {"email", "Ana@Example.COM"},
                                  {"password", kStrongPassword},
                                  {"telefono", "+57 300 000 0000"}}),
                "");
  // 202 with one body for every email: sign-up never tells which emails have accounts.
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.json()["status"], "accepted");
  auto login =
      call("POST", "/api/v1/auth/login", json{{"email", "ana@example.com"}, {"password", kStrongPassword}}, "");
  ASSERT_EQ(login.status, 200) << login.body;
  const std::string token = login.json()["access_token"];

  api::JwtCodec codec(kTestJwtSecret);
  auto claims =
      codec.verify(token, std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch()).count());
  ASSERT_TRUE(claims.ok()) << claims.error().message;
  EXPECT_EQ(claims->sub, "ana@example.com");
  EXPECT_EQ(claims->rol, "jugador");
  EXPECT_EQ(claims->exp - claims->iat, app::kDefaultTokenTtlS);

  auto me = call("GET", "/api/v1/users/" + claims->user_id, "", token);
  ASSERT_EQ(me.status, 200) << me.body;
  const json user = me.json();
  EXPECT_EQ(user["nombre"], "Ana María");
  EXPECT_EQ(user["email"], "ana@example.com");
  EXPECT_EQ(user["telefono"], "+57 300 000 0000");
  EXPECT_EQ(user["rol"], "jugador");
  EXPECT_EQ(user["is_active"], true);
  EXPECT_EQ(user["id"].get<std::string>().size(), 36u);
  EXPECT_FALSE(user.contains("hashed_password"));
}

TEST_F(AuthTest, RegisterCreatesNothingForAnEmailThatDiffersOnlyInCase) {
  register_jugador("pedro@example.com");
  auto r =
      call("POST", "/api/v1/auth/register",
           adult_signup(json{{"nombre", "Otro"}, {"email", "PEDRO@Example.com"}, {"password", kStrongPassword}}), "");
  EXPECT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE lower(email) = 'pedro@example.com'"), 1);
}

TEST_F(AuthTest, RegisterRefusesWeakPasswordsAndBadEmails) {
  auto weak = call("POST", "/api/v1/auth/register",
                   adult_signup(json{{"nombre", "X"}, {"email", "x@example.com"}, {"password", "short"}}), "");
  expect_problem(weak, 422, "password", "password: must be at least 10 characters long");
  auto plain =
      call("POST", "/api/v1/auth/register",
           adult_signup(json{{"nombre", "X"}, {"email", "x@example.com"}, {"password", "alllowercaseletters"}}), "");
  expect_problem(plain, 422, "password",
                 "password: must mix at least three of: lower case, upper case, digits, symbols");
  for (const char* email : {"no-at-sign", "@example.com", "a@b", "a b@example.com", "a@@example.com"}) {
    auto r = call("POST", "/api/v1/auth/register",
                  adult_signup(json{{"nombre", "X"}, {"email", email}, {"password", kStrongPassword}}), "");
    expect_problem(r, 422, "email", "email: is not a valid email address");
  }
  EXPECT_EQ(count("SELECT count(*) FROM users"), 1);  // only the fixture's admin
}

TEST_F(AuthTest, RegisterCannotChooseARole) {
  auto r = call(
      "POST", "/api/v1/auth/register",
      adult_signup(json{{"nombre", "X"}, {"email", "x@example.com"}, {"password", kStrongPassword}, {"rol", "admin"}}),
      "");
  expect_problem(r, 422, "rol", "rol: unknown field");
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE rol = 'admin'"), 1);
}

TEST_F(AuthTest, LoginAnswersABearerToken) {
  register_jugador("luisa@example.com");
  auto r = call("POST", "/api/v1/auth/login", json{{"email", "LUISA@example.com"}, {"password", kStrongPassword}}, "");
  ASSERT_EQ(r.status, 200) << r.body;
  const json j = r.json();
  EXPECT_EQ(j.size(), 2u);
  EXPECT_EQ(j["token_type"], "bearer");
  EXPECT_FALSE(j["access_token"].get<std::string>().empty());
}

TEST_F(AuthTest, LoginFailuresAllLookTheSame) {
  auto jugador = register_jugador("maria@example.com");
  auto del = call("DELETE", "/api/v1/users/" + register_jugador("inactivo@example.com").id, "", admin_.token);
  ASSERT_EQ(del.status, 204) << del.body;
  const std::vector<json> attempts = {
      {{"email", "maria@example.com"}, {"password", "Wrong-Password-1"}},
      {{"email", "nadie@example.com"}, {"password", kStrongPassword}},
      {{"email", "inactivo@example.com"}, {"password", kStrongPassword}},
  };
  for (const auto& a : attempts) {
    auto r = call("POST", "/api/v1/auth/login", a, "");
    expect_problem(r, 401, "", "invalid email or password");
    EXPECT_EQ(r.headers["www-authenticate"], "Bearer");
  }
}

TEST_F(AuthTest, UnauthenticatedMatrix) {
  auto jugador = register_jugador("token@example.com");
  const std::string path = "/api/v1/users/" + jugador.id;
  ASSERT_EQ(call("GET", path, "", jugador.token).status, 200);

  expect_problem(call("GET", path), 401, "", "missing Authorization: Bearer token");
  expect_problem(http_call("GET", url(path), "", "", {"Authorization: Basic dXNlcjpwYXNz"}), 401, "",
                 "the Authorization header must be 'Bearer <token>'");
  expect_problem(call("GET", path, "", "not-a-jwt"), 401, "", "malformed token");

  // Tampered: the payload re-encoded with rol admin, the signature kept.
  const auto dot1 = jugador.token.find('.'), dot2 = jugador.token.rfind('.');
  std::string payload;
  ASSERT_TRUE(api::base64url_decode(jugador.token.substr(dot1 + 1, dot2 - dot1 - 1), payload));
  json claims = json::parse(payload);
  claims["rol"] = "admin";
  const std::string tampered =
      jugador.token.substr(0, dot1 + 1) + api::base64url_encode(claims.dump()) + jugador.token.substr(dot2);
  expect_problem(call("GET", "/api/v1/users", "", tampered), 401, "", "invalid token signature");

  // alg none with the real claims and no signature.
  const std::string none = api::base64url_encode(R"({"alg":"none","typ":"JWT"})") + "." +
                           jugador.token.substr(dot1 + 1, dot2 - dot1 - 1) + ".";
  expect_problem(call("GET", path, "", none), 401, "", "unsupported token algorithm");

  // Signed with another secret.
  api::JwtCodec other("some-other-secret-0123456789abcdef0123");
  const std::string forged = other.sign({jugador.email, jugador.id, "admin", 0, 4102444800});
  expect_problem(call("GET", path, "", forged), 401, "", "invalid token signature");

  // Expired: one hour later.
  clock_.advance(std::chrono::seconds(app::kDefaultTokenTtlS));
  expect_problem(call("GET", path, "", jugador.token), 401, "", "token expired");
}

TEST_F(AuthTest, TokensOfADeactivatedUserStopWorking) {
  auto jugador = register_jugador("baja@example.com");
  const std::string path = "/api/v1/users/" + jugador.id;
  ASSERT_EQ(call("GET", path, "", jugador.token).status, 200);
  ASSERT_EQ(call("DELETE", path, "", admin_.token).status, 204);
  expect_problem(call("GET", path, "", jugador.token), 401, "",
                 "the token's account is deactivated or no longer exists");
  auto seen = call("GET", path, "", admin_.token);
  ASSERT_EQ(seen.status, 200);
  EXPECT_EQ(seen.json()["is_active"], false);
}

TEST_F(AuthTest, RoleComesFromTheCurrentRowNotTheToken) {
  auto op = make_user("op@example.com", engine::Rol::kOperador);
  ASSERT_EQ(call("POST", "/api/v1/loterias",
                 json{{"nombre", "L1"}, {"frecuencia", "diaria"}, {"plugin_instance", "mock"}}, op.token)
                .status,
            201);
  ASSERT_EQ(call("PATCH", "/api/v1/users/" + op.id, json{{"rol", "jugador"}}, admin_.token).status, 200);
  // The role change refused the tokens issued before it; a new one carries no operador rights.
  expect_problem(call("POST", "/api/v1/loterias",
                      json{{"nombre", "L2"}, {"frecuencia", "diaria"}, {"plugin_instance", "mock"}}, op.token),
                 401);
  expect_problem(
      call("POST", "/api/v1/loterias", json{{"nombre", "L2"}, {"frecuencia", "diaria"}, {"plugin_instance", "mock"}},
           login_as("op@example.com").token),
      403, "", "creating or changing loterias requires the operador or admin role");
}

}  // namespace
}  // namespace rifa::testing
