#pragma once

#include <concepts>
#include <memory>
#include <mutex>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/api_wiring.hpp"
#include "common/metrics.hpp"
#include "engine/clock.hpp"
#include "http_client.hpp"
#include "server/http_server.hpp"
#include "test_database.hpp"

namespace rifa::testing {

// A clock the test moves by hand (token expiry).
class ManualClock final : public engine::Clock {
 public:
  engine::TimePoint now() const override {
    std::lock_guard lock(mutex_);
    return now_;
  }
  void advance(std::chrono::seconds by) {
    std::lock_guard lock(mutex_);
    now_ += by;
  }

 private:
  mutable std::mutex mutex_;
  engine::TimePoint now_ = std::chrono::system_clock::now();
};

inline constexpr const char* kTestJwtSecret = "api-test-secret-0123456789abcdef0123456789";
inline constexpr const char* kStrongPassword = "Correct-Horse-42";

// The real HTTP server on port 0 with the real router, services and repositories (app::ApiWiring)
// on a fresh migrated TestDatabase (SQLite or PostgreSQL per RIFA_TEST_BACKEND). Only the clock
// and the argon2 cost differ from production.
class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  std::string url(const std::string& path) const;
  ApiReply call(const std::string& method, const std::string& path, const std::string& body = "",
                const std::string& token = "");
  // A JSON body (a template so that "" and std::string bodies never convert to JSON).
  template <typename J>
  requires std::same_as<J, nlohmann::json> ApiReply call(const std::string& method, const std::string& path,
                                                         const J& body, const std::string& token) {
    return call(method, path, body.dump(), token);
  }

  struct Account {
    std::string id;
    std::string email;
    std::string token;
  };
  // A user made by the service (any role), logged in over HTTP.
  Account make_user(const std::string& email, engine::Rol rol);
  // Register over HTTP (a jugador), then log in (sign-up answers the same for every email).
  Account register_jugador(const std::string& email, const std::string& nombre = "Jugador");
  // Log in over HTTP; the id comes from the token's claims.
  Account login_as(const std::string& email, const std::string& password = kStrongPassword);

  // Catalog objects through the API as the admin; fail the test when refused.
  std::string create_categoria(const std::string& nombre, int64_t valor_boleta = 5000);
  std::string create_loteria(const std::string& nombre, const std::string& instance = "mock");
  nlohmann::json create_rifa(const nlohmann::json& overrides = nlohmann::json::object());

  long long count(const std::string& sql_text);
  void exec(const std::string& sql_text);

  // Hooks for fixtures that need other API or server settings (e.g. the hygiene tests' low rate
  // limits and CORS allow-list), called in SetUp before the wiring and the server are built.
  // The defaults leave rate limits and CORS off, so other tests are never throttled.
  virtual void configure_api(app::ApiWiringOptions& /*options*/) {}
  virtual void configure_server(api::ServerOptions& /*options*/) {}

  MetricsRegistry metrics_;  // the server's, rendered by GET /metrics
  std::unique_ptr<TestDatabase> test_db_;
  ManualClock clock_;
  std::unique_ptr<app::ApiWiring> wiring_;
  std::unique_ptr<api::Router> router_;
  std::unique_ptr<api::HttpServer> server_;
  Account admin_;
  std::string categoria_id_;
  std::string loteria_id_;
};

// Asserts a problem+json answer with this status and field ("" = no field member).
void expect_problem(const ApiReply& reply, long status, const std::string& field = "", const std::string& detail = "");

}  // namespace rifa::testing
