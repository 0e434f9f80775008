// Issue 11, items 7 and 9: log-in throttling, password changes, token revocation, sign-up without
// email enumeration, normalised and look-alike emails, and PATCH /users writing only what changed.
#include <chrono>
#include <thread>

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include "api_fixture.hpp"
#include "signup.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;

constexpr const char* kWrongPassword = "Wrong-Password-1";

class AccountSecurityTest : public ApiTest {
 protected:
  ApiReply login(const std::string& email, const std::string& password) {
    return call("POST", "/api/v1/auth/login", json{{"email", email}, {"password", password}}, "");
  }
  std::string token_of(const std::string& email, const std::string& password = kStrongPassword) {
    auto r = login(email, password);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().value("access_token", "");
  }
  ApiReply register_account(const std::string& email, const std::string& password = kStrongPassword) {
    return call("POST", "/api/v1/auth/register",
                adult_signup(json{{"nombre", "Nueva"}, {"email", email}, {"password", password}}), "");
  }
  long long audit_count(const std::string& action) {
    return count("SELECT count(*) FROM audit_log WHERE action = '" + action + "'");
  }
  std::string is_active_false() const { return test_db_->backend() == storage::Backend::kPostgresql ? "false" : "0"; }
};

void expect_throttled(const ApiReply& r) {
  expect_problem(r, 429);
  EXPECT_EQ(r.json().value("type", ""), "https://rifa1122.dev/problems/rate-limited") << r.body;
  ASSERT_TRUE(r.headers.count("retry-after")) << r.body;
  EXPECT_GE(std::stoi(r.headers.at("retry-after")), 1);
}

// ---- item 7: log-in throttling --------------------------------------------------------------

TEST_F(AccountSecurityTest, WrongPasswordsAreThrottledAndASuccessResetsTheAccount) {
  make_user("victima@example.com", engine::Rol::kJugador);
  // Five free failures, then the sixth blocks the account for one second.
  for (int i = 0; i < 6; ++i) expect_problem(login("victima@example.com", kWrongPassword), 401);
  auto blocked = login("victima@example.com", kWrongPassword);
  expect_throttled(blocked);
  EXPECT_EQ(blocked.headers["retry-after"], "1");
  EXPECT_EQ(blocked.json().value("detail", ""), "too many failed log-ins; retry in 1 s");
  // While blocked even the right password waits (the password is not even checked).
  expect_throttled(login("VICTIMA@example.com", kStrongPassword));
  clock_.advance(std::chrono::seconds(1));
  EXPECT_EQ(login("victima@example.com", kStrongPassword).status, 200);
  // The success wiped the account's count: five more free failures.
  for (int i = 0; i < 5; ++i) expect_problem(login("victima@example.com", kWrongPassword), 401);
}

TEST_F(AccountSecurityTest, UnknownEmailsAreThrottledLikeKnownOnes) {
  for (int i = 0; i < 6; ++i) expect_problem(login("nadie@example.com", kWrongPassword), 401);
  expect_throttled(login("nadie@example.com", kWrongPassword));
}

TEST_F(AccountSecurityTest, BackoffDoublesUpToFifteenMinutesAndBlockedAttemptsDoNotExtendIt) {
  make_user("objetivo@example.com", engine::Rol::kJugador);
  std::vector<int> waits;
  for (int attempt = 0; attempt < 40 && waits.size() < 14; ++attempt) {
    auto r = login("objetivo@example.com", kWrongPassword);
    if (r.status == 401) continue;
    expect_throttled(r);
    if (r.status != 429) break;
    const int wait_s = std::stoi(r.headers["retry-after"]);
    waits.push_back(wait_s);
    // A blocked attempt neither counts nor extends the block.
    clock_.advance(std::chrono::seconds(wait_s / 2));
    auto again = login("objetivo@example.com", kWrongPassword);
    expect_throttled(again);
    EXPECT_EQ(std::stoi(again.headers["retry-after"]), wait_s - wait_s / 2);
    clock_.advance(std::chrono::seconds(wait_s - wait_s / 2));
  }
  EXPECT_EQ(waits, (std::vector<int>{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900, 900}));
}

TEST_F(AccountSecurityTest, OneAddressGuessingManyAccountsIsThrottled) {
  // 20 free failures per address, each on another email (so no account is throttled)...
  for (int i = 0; i < 21; ++i) {
    expect_problem(login("cuenta" + std::to_string(i) + "@example.com", kWrongPassword), 401);
  }
  // ...then the address waits, whatever email it tries.
  expect_throttled(login("otra@example.com", kWrongPassword));
  expect_throttled(login(admin_.email, kStrongPassword));
}

TEST_F(AccountSecurityTest, TheThrottleHoldsAcrossHostsSharingTheDatabase) {
  make_user("compartida@example.com", engine::Rol::kJugador);
  for (int i = 0; i < 6; ++i) expect_problem(login("compartida@example.com", kWrongPassword), 401);

  // A second host: its own wiring, router and server on the same database.
  app::ApiWiringOptions options;
  options.jwt_secret = kTestJwtSecret;
  options.lottery_instances = {"mock"};
  options.clock = &clock_;
  options.password_cost = api::PasswordHasher::Cost::kMinimal;
  app::ApiWiring other_wiring(test_db_->db(), options);
  api::Router other_router;
  other_wiring.register_routes(other_router);
  api::ServerOptions server_options;
  server_options.port = 0;
  server_options.io_threads = 1;
  api::HttpServer other(server_options, other_router,
                        std::make_shared<spdlog::logger>("other", std::make_shared<spdlog::sinks::null_sink_mt>()),
                        nullptr);
  ASSERT_TRUE(other.start().ok());
  auto r = http_call("POST", "http://127.0.0.1:" + std::to_string(other.port()) + "/api/v1/auth/login",
                     json{{"email", "compartida@example.com"}, {"password", kStrongPassword}}.dump(), "",
                     {"Content-Type: application/json"});
  other.stop();
  expect_throttled(r);
}

class PrunedLoginThrottleTest : public AccountSecurityTest {
 protected:
  void configure_api(app::ApiWiringOptions& options) override { options.login_throttle.prune_every_failures = 1; }
};

TEST_F(PrunedLoginThrottleTest, KeysWithNoRecentFailureAreDeleted) {
  expect_problem(login("inventado@example.com", kWrongPassword), 401);
  EXPECT_EQ(count("SELECT count(*) FROM login_throttle WHERE throttle_key = 'account:inventado@example.com'"), 1);
  clock_.advance(std::chrono::hours(2));
  expect_problem(login("otro.inventado@example.com", kWrongPassword), 401);
  EXPECT_EQ(count("SELECT count(*) FROM login_throttle WHERE throttle_key = 'account:inventado@example.com'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM login_throttle WHERE throttle_key = 'account:otro.inventado@example.com'"), 1);
}

// ---- item 9: password changes and token revocation ------------------------------------------

TEST_F(AccountSecurityTest, ChangingOnesOwnPasswordNeedsTheCurrentOne) {
  auto user = make_user("clave@example.com", engine::Rol::kJugador);
  const std::string path = "/api/v1/users/" + user.id;
  expect_problem(call("PATCH", path, json{{"password", "Otra-Clave-2025"}}, user.token), 422, "current_password",
                 "current_password: is required to change your own password");
  expect_problem(
      call("PATCH", path, json{{"password", "Otra-Clave-2025"}, {"current_password", kWrongPassword}}, user.token), 403,
      "current_password", "current_password: does not match the account's password");
  EXPECT_EQ(login("clave@example.com", kStrongPassword).status, 200);  // unchanged
  auto changed =
      call("PATCH", path, json{{"password", "Otra-Clave-2025"}, {"current_password", kStrongPassword}}, user.token);
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(login("clave@example.com", "Otra-Clave-2025").status, 200);
  expect_problem(login("clave@example.com", kStrongPassword), 401);
}

TEST_F(AccountSecurityTest, AnAdminResetsAnotherUsersPasswordWithoutItAndItIsAudited) {
  auto user = make_user("olvido@example.com", engine::Rol::kJugador);
  auto reset = call("PATCH", "/api/v1/users/" + user.id, json{{"password", "Nueva-Clave-2025"}}, admin_.token);
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(audit_count("user.password_reset"), 1);
  EXPECT_EQ(login("olvido@example.com", "Nueva-Clave-2025").status, 200);
  // The admin's own password is their own: the current one is required.
  expect_problem(call("PATCH", "/api/v1/users/" + admin_.id, json{{"password", "Nueva-Clave-2025"}}, admin_.token), 422,
                 "current_password");
}

TEST_F(AccountSecurityTest, TokensIssuedBeforeAPasswordChangeAreRefused) {
  auto user = make_user("robada@example.com", engine::Rol::kJugador);
  const std::string path = "/api/v1/users/" + user.id;
  const std::string stolen = token_of("robada@example.com");
  ASSERT_EQ(call("GET", path, "", stolen).status, 200);
  ASSERT_EQ(
      call("PATCH", path, json{{"password", "Otra-Clave-2025"}, {"current_password", kStrongPassword}}, user.token)
          .status,
      200);
  const std::string refused =
      "the token was issued before the account's password, role or status changed: log in again";
  expect_problem(call("GET", path, "", stolen), 401, "", refused);
  expect_problem(call("GET", path, "", user.token), 401, "", refused);
  // A log-in in the same second as the change gets a working token.
  EXPECT_EQ(call("GET", path, "", token_of("robada@example.com", "Otra-Clave-2025")).status, 200);
  // An admin's reset revokes too.
  const std::string before_reset = token_of("robada@example.com", "Otra-Clave-2025");
  ASSERT_EQ(call("PATCH", path, json{{"password", "Tercera-Clave-9"}}, admin_.token).status, 200);
  expect_problem(call("GET", path, "", before_reset), 401, "", refused);
}

TEST_F(AccountSecurityTest, TokensDoNotSurviveDeactivationAndReactivation) {
  auto user = make_user("vuelve@example.com", engine::Rol::kJugador);
  const std::string path = "/api/v1/users/" + user.id;
  ASSERT_EQ(call("DELETE", path, "", admin_.token).status, 204);
  ASSERT_EQ(call("PATCH", path, json{{"is_active", true}}, admin_.token).status, 200);
  expect_problem(call("GET", path, "", user.token), 401);
  EXPECT_EQ(call("GET", path, "", token_of("vuelve@example.com")).status, 200);
}

TEST_F(AccountSecurityTest, TokensIssuedBeforeARoleChangeAreRefused) {
  auto op = make_user("operadora@example.com", engine::Rol::kOperador);
  const std::string path = "/api/v1/users/" + op.id;
  ASSERT_EQ(call("PATCH", path, json{{"rol", "jugador"}}, admin_.token).status, 200);
  ASSERT_EQ(call("PATCH", path, json{{"rol", "operador"}}, admin_.token).status, 200);
  expect_problem(call("GET", path, "", op.token), 401);
  // A change of nombre alone is no reason to log out.
  const std::string fresh = token_of("operadora@example.com");
  ASSERT_EQ(call("PATCH", path, json{{"nombre", "Otra"}}, fresh).status, 200);
  EXPECT_EQ(call("GET", path, "", fresh).status, 200);
}

// ---- item 9: sign-up without enumeration, normalised and look-alike emails ------------------

TEST_F(AccountSecurityTest, SignUpAnswersTheSameForFreeAndTakenEmails) {
  auto first = register_account("pedro@example.com");
  auto again = register_account("PEDRO@example.com", "Otra-Clave-2025");
  EXPECT_EQ(first.status, 202) << first.body;
  EXPECT_EQ(again.status, first.status) << again.body;
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.content_type, first.content_type);
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE lower(email) = 'pedro@example.com'"), 1);
  // The taken email's account is untouched: the second password does not open it.
  EXPECT_EQ(login("pedro@example.com", kStrongPassword).status, 200);
  expect_problem(login("pedro@example.com", "Otra-Clave-2025"), 401);
}

TEST_F(AccountSecurityTest, LookAlikesOfAnExistingEmailAreNotRegistered) {
  const long long before = count("SELECT count(*) FROM users");
  // Cyrillic 'а' (U+0430) for the Latin 'a' of admin@rifa.test; fullwidth letters; a zero-width space.
  for (const std::string email : {"\xD0\xB0"
                                  "dmin@rifa.test",
                                  "\xEF\xBC\xA1\xEF\xBC\xA4MIN@rifa.test", "ad\xE2\x80\x8Bmin@rifa.test"}) {
    SCOPED_TRACE(email);
    auto r = register_account(email, "Clave-Del-Atacante-1");
    EXPECT_EQ(r.status, 202) << r.body;
    expect_problem(login(email, "Clave-Del-Atacante-1"), 401);
  }
  EXPECT_EQ(count("SELECT count(*) FROM users"), before);
  // The CLI and the service refuse a look-alike outright: there is nothing to hide from an admin.
  auto refused = wiring_->accounts().create_user({"Falsa",
                                                  "\xD0\xB0"
                                                  "dmin@rifa.test",
                                                  kStrongPassword, std::nullopt},
                                                 engine::Rol::kAdmin, engine::cli_actor());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
}

TEST_F(AccountSecurityTest, AccountsWrittenBeforeTheSkeletonExistedGetOneAtStart) {
  // A row as migration 0009 finds it (or as written by hand): no skeleton.
  exec(
      "INSERT INTO users (id, nombre, email, hashed_password) VALUES ('legacy-1', 'Antigua', 'legacy@example.com', "
      "'x')");
  ASSERT_EQ(count("SELECT count(*) FROM users WHERE email_skeleton IS NULL"), 1);
  app::ApiWiringOptions options;
  options.jwt_secret = kTestJwtSecret;
  options.clock = &clock_;
  options.password_cost = api::PasswordHasher::Cost::kMinimal;
  app::ApiWiring restarted(test_db_->db(), options);  // what `serve` builds at start
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE email_skeleton IS NULL"), 0);
  // Cyrillic 'е' (U+0435) for the Latin 'e' of legacy@example.com.
  EXPECT_EQ(register_account("l\xD0\xB5gacy@example.com").status, 202);
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE nombre = 'Nueva'"), 0);
}

TEST_F(AccountSecurityTest, EmailsAreStoredNormalised) {
  // Fullwidth 'ＪＵＡＮ' and a German sharp s: NFKC and case folding give juan.strasse@example.com.
  ASSERT_EQ(register_account("\xEF\xBC\xAA\xEF\xBC\xB5\xEF\xBC\xA1\xEF\xBC\xAE.Stra\xC3\x9F"
                             "e@example.com")
                .status,
            202);
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE email = 'juan.strasse@example.com'"), 1);
  EXPECT_EQ(login("juan.strasse@example.com", kStrongPassword).status, 200);
  EXPECT_EQ(login("JUAN.STRASSE@example.com", kStrongPassword).status, 200);
}

// ---- item 9: PATCH /users writes only what changed ------------------------------------------

TEST_F(AccountSecurityTest, APatchNeverUndoesAConcurrentDeactivation) {
  auto user = make_user("carrera@example.com", engine::Rol::kJugador);
  auto lease = test_db_->db().lease();
  soci::session& sql = lease.session();
  // Hold the user's row (PostgreSQL) or the write lock (SQLite), so the PATCH reads the row and then
  // waits to write it while the "admin" below deactivates the account.
  if (test_db_->backend() == storage::Backend::kPostgresql) {
    sql << "BEGIN";
    sql << "SELECT id FROM users WHERE id = '" + user.id + "' FOR UPDATE";
  } else {
    sql << "BEGIN IMMEDIATE";
  }
  ApiReply patched;
  std::thread patcher([&] {
    patched = call("PATCH", "/api/v1/users/" + user.id, json{{"nombre", "Nuevo"}}, user.token);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  sql << "UPDATE users SET is_active = " + is_active_false() + " WHERE id = '" + user.id + "'";
  sql << "COMMIT";
  patcher.join();
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json()["nombre"], "Nuevo");
  EXPECT_EQ(patched.json()["is_active"], false);
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE id = '" + user.id + "' AND is_active = " + is_active_false()), 1);
}

}  // namespace
}  // namespace rifa::testing
