// Deeply nested JSON bodies over real HTTP: 100,000 levels in `reglas` or `meta` used to overflow
// the stack when the tree was copied (SIGSEGV, the whole host gone). Every endpoint that reads a
// JSON body must refuse such a body with 422 naming the member, and keep serving.

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sales_fixture.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;

constexpr int kAttackLevels = 100'000;
constexpr int kLimit = 64;  // api::kMaxJsonDepth, the documented limit

// {"<member>": {"a": {"a": ... {} ...}}} with `levels` objects under the member: objects, because
// a tree of objects is what the handlers copied (a nested array was refused by type first).
std::string nested_member(const std::string& member, int levels) {
  std::string body = "{\"" + member + "\":";
  body.reserve(body.size() + static_cast<size_t>(levels) * 6 + 2);
  for (int i = 1; i < levels; ++i) body += "{\"a\":";
  body += "{}";
  body.append(static_cast<size_t>(levels) - 1, '}');
  return body + "}";
}

std::string depth_detail(const std::string& member) {
  return member + ": nests deeper than 64 levels of objects and arrays";
}

class JsonDepthTest : public SalesApiTest {
 protected:
  void expect_alive() {
    auto health = call("GET", "/api/v1/health");
    EXPECT_EQ(health.status, 200) << health.body;
  }
};

TEST_F(JsonDepthTest, HundredThousandLevelsAreRefusedByEveryJsonEndpointAndTheServerLives) {
  const std::string rifa_id = active_rifa("Oro");
  const Account jugador = register_jugador("deep@rifa.test");
  struct Target {
    std::string method, path, member, token;
  };
  const std::vector<Target> targets = {
      {"POST", "/api/v1/auth/register", "nombre", ""},
      {"POST", "/api/v1/auth/login", "email", ""},
      {"PATCH", "/api/v1/users/" + jugador.id, "nombre", admin_.token},
      {"POST", "/api/v1/categorias", "nombre", admin_.token},
      {"POST", "/api/v1/loterias", "meta", admin_.token},
      {"PATCH", "/api/v1/loterias/" + loteria_id_, "meta", admin_.token},
      {"POST", "/api/v1/rifas", "reglas", admin_.token},
      {"PATCH", "/api/v1/rifas/" + rifa_id, "reglas", admin_.token},
      {"POST", "/api/v1/rifas/" + rifa_id + "/tickets", "payment_method", jugador.token},
      {"POST", "/api/v1/rifas/" + rifa_id + "/cerrar", "motivo", admin_.token},
      {"POST", "/api/v1/rifas/" + rifa_id + "/recalcular", "motivo", admin_.token},
      {"POST", "/api/v1/ganadores/g-unknown/entregado", "nota", admin_.token},
  };
  for (const auto& t : targets) {
    SCOPED_TRACE(t.method + " " + t.path);
    expect_problem(call(t.method, t.path, nested_member(t.member, kAttackLevels), t.token), 422, t.member,
                   depth_detail(t.member));
    expect_alive();
  }
}

TEST_F(JsonDepthTest, ABodyThatIsItselfDeepIsRefusedAsTheBody) {
  const std::string deep_array = std::string(kAttackLevels, '[') + std::string(kAttackLevels, ']');
  expect_problem(call("POST", "/api/v1/loterias", deep_array, admin_.token), 422, "body", depth_detail("body"));
  expect_alive();
}

TEST_F(JsonDepthTest, SixtyFourLevelsAreAcceptedAndSixtyFiveAreNot) {
  // The body object is level 1, so `meta` may hold 63 levels.
  auto at_limit = json::parse(nested_member("meta", kLimit - 1));
  at_limit.update(json{{"nombre", "Profunda"}, {"frecuencia", "semanal"}, {"plugin_instance", "mock"}});
  auto created = call("POST", "/api/v1/loterias", at_limit, admin_.token);
  EXPECT_EQ(created.status, 201) << created.body.substr(0, 300);

  auto over = json::parse(nested_member("meta", kLimit));
  over.update(json{{"nombre", "Demasiado profunda"}, {"frecuencia", "semanal"}, {"plugin_instance", "mock"}});
  expect_problem(call("POST", "/api/v1/loterias", over, admin_.token), 422, "meta", depth_detail("meta"));
}

TEST_F(JsonDepthTest, ADeepSignedWebhookBodyDoesNotKillTheServer) {
  // Webhook bodies go to the payment plugin as text; a signed one reaches its parser, and the
  // sandbox copies amount_cents into its answer (a recursive copy, then a dump the host parses).
  std::string deep = nested_member("amount_cents", kAttackLevels);
  const std::string body =
      R"({"event_id":"evt_deep","type":"payment.failed","provider_ref":"sbx_nope",)" + deep.substr(1);
  auto reply = send_webhook("sandbox_manual", body);
  EXPECT_GE(reply.status, 400) << reply.body.substr(0, 300);
  EXPECT_LT(reply.status, 500) << reply.body.substr(0, 300);
  expect_alive();
}

}  // namespace
}  // namespace rifa::testing
