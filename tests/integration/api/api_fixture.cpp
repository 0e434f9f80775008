#include "api_fixture.hpp"

#include "app/health_checks.hpp"
#include "app/http_routes.hpp"
#include "openapi_conformance.hpp"
#include "signup.hpp"

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

namespace rifa::testing {

void ApiTest::SetUp() {
  test_db_ = TestDatabase::create_or_skip();
  if (!test_db_) GTEST_SKIP() << skip_reason();
  ASSERT_TRUE(test_db_->migrate());
  app::ApiWiringOptions options;
  options.jwt_secret = kTestJwtSecret;
  options.lottery_instances = {"mock", "bogota"};
  options.clock = &clock_;
  options.password_cost = api::PasswordHasher::Cost::kMinimal;
  configure_api(options);
  wiring_ = std::make_unique<app::ApiWiring>(test_db_->db(), options);
  router_ = std::make_unique<api::Router>();
  // The same routes `serve` registers (health, metrics, OpenAPI document and the REST resources).
  app::HealthOptions health;
  health.metrics = &metrics_;
  app::register_http_routes(*router_, *wiring_, app::make_health_probes(test_db_->db(), wiring_->job_queue(), health),
                            metrics_, "test");
  api::ServerOptions server_options;
  server_options.port = 0;
  server_options.io_threads = 2;
  configure_server(server_options);
  server_ = std::make_unique<api::HttpServer>(
      server_options, *router_,
      std::make_shared<spdlog::logger>("http", std::make_shared<spdlog::sinks::null_sink_mt>()), &metrics_);
  auto started = server_->start();
  ASSERT_TRUE(started.ok()) << started.error().message;
  admin_ = make_user("admin@rifa.test", engine::Rol::kAdmin);
}

void ApiTest::TearDown() {
  if (server_) server_->stop();
  server_.reset();
  wiring_.reset();
  test_db_.reset();
}

std::string ApiTest::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(server_->port()) + path;
}

ApiReply ApiTest::call(const std::string& method, const std::string& path, const std::string& body,
                       const std::string& token) {
  auto reply = http_call(method, url(path), body, token);
  // Every reply a test sees is also held to the OpenAPI document.
  for (const auto& problem :
       OpenApiConformance::instance().check(SentRequest::of_http_call(method, path, body, token), reply)) {
    ADD_FAILURE() << "OpenAPI: " << problem;
  }
  return reply;
}

ApiTest::Account ApiTest::make_user(const std::string& email, engine::Rol rol) {
  engine::NewUser in;
  in.nombre = "Usuario " + email;
  in.email = email;
  in.password = kStrongPassword;
  in.fecha_nacimiento = "1990-05-17";  // an adult: jugadores made this way can buy
  auto user = wiring_->accounts().create_user(in, rol, engine::cli_actor());
  EXPECT_TRUE(user.ok()) << user.error().message;
  if (!user.ok()) return {};
  auto login = call("POST", "/api/v1/auth/login", nlohmann::json{{"email", email}, {"password", kStrongPassword}}, "");
  EXPECT_EQ(login.status, 200) << login.body;
  return Account{user->id, user->email, login.json().value("access_token", "")};
}

ApiTest::Account ApiTest::register_jugador(const std::string& email, const std::string& nombre) {
  auto r = call("POST", "/api/v1/auth/register", registration(email, nombre), "");
  EXPECT_EQ(r.status, 202) << r.body;
  return login_as(email);
}

nlohmann::json registration(const std::string& email, const std::string& nombre) {
  // A document number from the email, so two players in one test never share one.
  const std::string digits = std::to_string(1000000000ULL + std::hash<std::string>{}(email) % 8999999999ULL);
  return nlohmann::json{{"nombre", nombre},
                        {"email", email},
                        {"password", kStrongPassword},
                        {"fecha_nacimiento", "1990-05-17"},
                        {"documento_tipo", "CC"},
                        {"documento_numero", digits.substr(0, 10)},
                        {"acepta_politica_datos", true}};
}

nlohmann::json adult_signup(nlohmann::json body) {
  const nlohmann::json full = registration(body.value("email", "x@example.com"));
  for (const char* member : {"fecha_nacimiento", "documento_tipo", "documento_numero", "acepta_politica_datos"}) {
    if (!body.contains(member)) body[member] = full[member];
  }
  return body;
}

ApiTest::Account ApiTest::login_as(const std::string& email, const std::string& password) {
  auto login = call("POST", "/api/v1/auth/login", nlohmann::json{{"email", email}, {"password", password}}, "");
  EXPECT_EQ(login.status, 200) << login.body;
  const std::string token = login.json().value("access_token", "");
  auto claims =
      api::JwtCodec(kTestJwtSecret)
          .verify(token, std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch()).count());
  if (!claims.ok()) return {};
  return Account{claims->user_id, claims->sub, token};
}

std::string ApiTest::create_categoria(const std::string& nombre, int64_t valor_boleta) {
  auto r = call("POST", "/api/v1/categorias",
                nlohmann::json{{"nombre", nombre}, {"valor_boleta", valor_boleta}, {"rake", "0.2500"}}, admin_.token);
  EXPECT_EQ(r.status, 201) << r.body;
  return r.json().value("id", "");
}

std::string ApiTest::create_loteria(const std::string& nombre, const std::string& instance) {
  auto r =
      call("POST", "/api/v1/loterias",
           nlohmann::json{{"nombre", nombre}, {"frecuencia", "semanal"}, {"plugin_instance", instance}}, admin_.token);
  EXPECT_EQ(r.status, 201) << r.body;
  return r.json().value("id", "");
}

nlohmann::json ApiTest::create_rifa(const nlohmann::json& overrides) {
  if (categoria_id_.empty()) categoria_id_ = create_categoria("Oro");
  if (loteria_id_.empty()) loteria_id_ = create_loteria("Loteria de Bogota");
  nlohmann::json body = {{"nombre", "Rifa de prueba"},
                         {"categoria_id", categoria_id_},
                         {"loteria_id", loteria_id_},
                         {"fecha_inicio", "2030-01-01T00:00:00Z"},
                         {"fecha_fin", "2030-01-31T00:00:00Z"}};
  body.update(overrides);
  auto r = call("POST", "/api/v1/rifas", body, admin_.token);
  EXPECT_EQ(r.status, 201) << r.body;
  return r.json();
}

long long ApiTest::count(const std::string& sql_text) {
  auto lease = test_db_->db().lease();
  long long n = -1;
  lease.session() << sql_text, soci::into(n);
  return n;
}

void ApiTest::exec(const std::string& sql_text) {
  auto done = test_db_->db().execute(sql_text);
  ASSERT_TRUE(done.ok()) << done.error().message;
}

void expect_problem(const ApiReply& reply, long status, const std::string& field, const std::string& detail) {
  EXPECT_EQ(reply.status, status) << reply.body;
  EXPECT_EQ(reply.content_type, "application/problem+json") << reply.body;
  const auto j = reply.json();
  ASSERT_TRUE(j.is_object()) << reply.body;
  EXPECT_EQ(j.value("status", 0), status) << reply.body;
  if (field.empty()) {
    EXPECT_FALSE(j.contains("field")) << reply.body;
  } else {
    EXPECT_EQ(j.value("field", ""), field) << reply.body;
  }
  if (!detail.empty()) { EXPECT_EQ(j.value("detail", ""), detail) << reply.body; }
}

}  // namespace rifa::testing
