#include <gtest/gtest.h>

#include "api_fixture.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;

class UsersTest : public ApiTest {};

TEST_F(UsersTest, AdminListsUsersInPages) {
  for (char c = 'a'; c < 'f'; ++c) register_jugador(std::string(1, c) + "@example.com");
  auto r = call("GET", "/api/v1/users?page=2&per_page=2", "", admin_.token);
  ASSERT_EQ(r.status, 200) << r.body;
  const json j = r.json();
  EXPECT_EQ(j["page"], 2);
  EXPECT_EQ(j["per_page"], 2);
  EXPECT_EQ(j["total"], 6);
  ASSERT_EQ(j["items"].size(), 2u);
  for (const auto& u : j["items"]) EXPECT_FALSE(u.contains("hashed_password"));

  auto last = call("GET", "/api/v1/users?page=3&per_page=2", "", admin_.token).json();
  EXPECT_EQ(last["items"].size(), 2u);
  auto beyond = call("GET", "/api/v1/users?page=4&per_page=2", "", admin_.token).json();
  EXPECT_EQ(beyond["items"].size(), 0u);
  EXPECT_EQ(beyond["total"], 6);

  auto defaults = call("GET", "/api/v1/users", "", admin_.token).json();
  EXPECT_EQ(defaults["page"], 1);
  EXPECT_EQ(defaults["per_page"], 20);
  EXPECT_EQ(defaults["items"].size(), 6u);
}

TEST_F(UsersTest, PaginationParametersAreValidated) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"page=0", "page"},         {"page=-1", "page"},
      {"page=abc", "page"},       {"page=1.5", "page"},
      {"per_page=0", "per_page"}, {"per_page=101", "per_page"},
      {"per_page=", "per_page"},  {"page=99999999999999999999", "page"}};
  for (const auto& [query, field] : bad) {
    auto r = call("GET", "/api/v1/users?" + query, "", admin_.token);
    expect_problem(r, 422, field);
  }
  expect_problem(call("GET", "/api/v1/users?per_page=101", "", admin_.token), 422, "per_page",
                 "per_page: must be an integer between 1 and 100");
  EXPECT_EQ(call("GET", "/api/v1/users?per_page=100", "", admin_.token).status, 200);
}

TEST_F(UsersTest, ForbiddenMatrixForAJugador) {
  auto jugador = register_jugador("j@example.com");
  auto other = register_jugador("otro@example.com");
  const std::string other_path = "/api/v1/users/" + other.id;
  const std::string own_denial = "you may only access your own account";

  expect_problem(call("GET", "/api/v1/users", "", jugador.token), 403, "", "listing users requires the admin role");
  expect_problem(call("GET", "/api/v1/users?page=1&per_page=100", "", jugador.token), 403);
  // IDOR: another user's id and an id that does not exist get the same 403, so ids cannot be probed.
  expect_problem(call("GET", other_path, "", jugador.token), 403, "", own_denial);
  expect_problem(call("GET", "/api/v1/users/00000000-0000-4000-8000-000000000000", "", jugador.token), 403, "",
                 own_denial);
  expect_problem(call("PATCH", other_path, json{{"nombre", "hacked"}}, jugador.token), 403, "", own_denial);
  expect_problem(call("DELETE", other_path, "", jugador.token), 403, "", "deleting users requires the admin role");
  expect_problem(call("DELETE", "/api/v1/users/" + jugador.id, "", jugador.token), 403);
  // Admin-only fields on one's own account.
  expect_problem(call("PATCH", "/api/v1/users/" + jugador.id, json{{"rol", "admin"}}, jugador.token), 403, "rol",
                 "rol: only an admin may change roles");
  expect_problem(call("PATCH", "/api/v1/users/" + jugador.id, json{{"is_active", true}}, jugador.token), 403,
                 "is_active", "is_active: only an admin may activate or deactivate accounts");
  // Catalog writes.
  expect_problem(call("POST", "/api/v1/categorias", json{{"nombre", "X"}, {"valor_boleta", 1}}, jugador.token), 403, "",
                 "creating categorias requires the admin role");
  expect_problem(call("POST", "/api/v1/loterias",
                      json{{"nombre", "X"}, {"frecuencia", "diaria"}, {"plugin_instance", "mock"}}, jugador.token),
                 403);
  auto rifa = create_rifa();
  expect_problem(call("POST", "/api/v1/rifas", json{{"nombre", "X"}}, jugador.token), 403, "",
                 "creating or changing rifas requires the operador or admin role");
  expect_problem(call("PATCH", "/api/v1/rifas/" + rifa["id"].get<std::string>(), json{{"nombre", "X"}}, jugador.token),
                 403);

  // Nothing changed.
  auto seen = call("GET", other_path, "", admin_.token).json();
  EXPECT_EQ(seen["nombre"], "Jugador");
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE rol = 'jugador'"), 2);
}

TEST_F(UsersTest, OperadorIsNotAnAdminForUsers) {
  auto op = make_user("op@example.com", engine::Rol::kOperador);
  auto jugador = register_jugador("j@example.com");
  expect_problem(call("GET", "/api/v1/users", "", op.token), 403);
  expect_problem(call("GET", "/api/v1/users/" + jugador.id, "", op.token), 403);
  expect_problem(call("POST", "/api/v1/categorias", json{{"nombre", "X"}, {"valor_boleta", 1}}, op.token), 403);
}

TEST_F(UsersTest, AJugadorReadsAndPatchesThemself) {
  auto jugador = register_jugador("yo@example.com");
  const std::string path = "/api/v1/users/" + jugador.id;
  auto r = call("PATCH", path, json{{"nombre", "Nuevo Nombre"}, {"telefono", "3001234567"}}, jugador.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["nombre"], "Nuevo Nombre");
  EXPECT_EQ(r.json()["telefono"], "3001234567");
  auto cleared = call("PATCH", path, json{{"telefono", nullptr}}, jugador.token);
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  EXPECT_TRUE(cleared.json()["telefono"].is_null());
  // A new password works for log-in and the old one stops working.
  ASSERT_EQ(
      call("PATCH", path, json{{"password", "Otra-Clave-2025"}, {"current_password", kStrongPassword}}, jugador.token)
          .status,
      200);
  EXPECT_EQ(
      call("POST", "/api/v1/auth/login", json{{"email", jugador.email}, {"password", "Otra-Clave-2025"}}, "").status,
      200);
  EXPECT_EQ(
      call("POST", "/api/v1/auth/login", json{{"email", jugador.email}, {"password", kStrongPassword}}, "").status,
      401);
  // The password change logged the old token out.
  const std::string token =
      call("POST", "/api/v1/auth/login", json{{"email", jugador.email}, {"password", "Otra-Clave-2025"}}, "")
          .json()["access_token"];
  expect_problem(call("PATCH", path, json{{"password", "weak"}, {"current_password", "Otra-Clave-2025"}}, token), 422,
                 "password", "password: must be at least 10 characters long");
  expect_problem(call("PATCH", path, json{{"email", "x@example.com"}}, token), 422, "email", "email: unknown field");
}

TEST_F(UsersTest, AdminChangesRolesAndDeactivates) {
  auto jugador = register_jugador("promo@example.com");
  const std::string path = "/api/v1/users/" + jugador.id;
  auto r = call("PATCH", path, json{{"rol", "operador"}}, admin_.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["rol"], "operador");
  expect_problem(call("PATCH", path, json{{"rol", "superuser"}}, admin_.token), 422, "rol",
                 "rol: must be one of jugador, operador, admin");
  expect_problem(call("GET", "/api/v1/users/00000000-0000-4000-8000-000000000000", "", admin_.token), 404, "",
                 "user 00000000-0000-4000-8000-000000000000 does not exist");
  expect_problem(call("DELETE", "/api/v1/users/00000000-0000-4000-8000-000000000000", "", admin_.token), 404);

  auto del = call("DELETE", path, "", admin_.token);
  EXPECT_EQ(del.status, 204);
  EXPECT_TRUE(del.body.empty());
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE id = '" + jugador.id +
                  "' AND is_active = " + (test_db_->backend() == storage::Backend::kPostgresql ? "false" : "0")),
            1);
  expect_problem(call("POST", "/api/v1/auth/login", json{{"email", jugador.email}, {"password", kStrongPassword}}, ""),
                 401);
  // Reactivation by an admin restores log-in.
  ASSERT_EQ(call("PATCH", path, json{{"is_active", true}}, admin_.token).status, 200);
  EXPECT_EQ(
      call("POST", "/api/v1/auth/login", json{{"email", jugador.email}, {"password", kStrongPassword}}, "").status,
      200);
}

// Notification channels (issue 14): a player turns channels off and on; the patch merges into
// what is stored, the answer and GET show it, and malformed preferences are 422.
TEST_F(UsersTest, APlayerChoosesNotificationChannels) {
  auto ana = register_jugador("ana.canales@example.com");
  const std::string path = "/api/v1/users/" + ana.id;
  auto fresh = call("GET", path, "", ana.token);
  ASSERT_EQ(fresh.status, 200) << fresh.body;
  EXPECT_EQ(fresh.json()["notificaciones"], json::object());  // nothing chosen: every channel on

  auto off = call("PATCH", path, json{{"notificaciones", {{"email", false}, {"webhook", true}}}}, ana.token);
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_EQ(off.json()["notificaciones"], (json{{"email", false}, {"webhook", true}}));
  // Merged: the channels not named keep what they had.
  auto merged = call("PATCH", path, json{{"notificaciones", {{"sms", false}}}}, ana.token);
  ASSERT_EQ(merged.status, 200) << merged.body;
  EXPECT_EQ(merged.json()["notificaciones"], (json{{"email", false}, {"sms", false}, {"webhook", true}}));
  EXPECT_EQ(call("GET", path, "", ana.token).json()["notificaciones"], merged.json()["notificaciones"]);
  // An admin may set them too.
  auto by_admin = call("PATCH", path, json{{"notificaciones", {{"email", true}}}}, admin_.token);
  ASSERT_EQ(by_admin.status, 200) << by_admin.body;
  EXPECT_EQ(by_admin.json()["notificaciones"]["email"], true);

  expect_problem(call("PATCH", path, json{{"notificaciones", {{"email", "no"}}}}, ana.token), 422, "notificaciones");
  expect_problem(call("PATCH", path, json{{"notificaciones", {{"E-mail", false}}}}, ana.token), 422, "notificaciones");
  expect_problem(call("PATCH", path, json{{"notificaciones", json::array()}}, ana.token), 422, "notificaciones");
  json many = json::object();
  for (int i = 0; i < 17; ++i) many["canal_" + std::to_string(i)] = false;
  expect_problem(call("PATCH", path, json{{"notificaciones", many}}, ana.token), 422, "notificaciones");
  EXPECT_EQ(call("GET", path, "", ana.token).json()["notificaciones"]["email"], true);  // nothing written
}

}  // namespace
}  // namespace rifa::testing
