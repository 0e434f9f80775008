// POST /api/v1/rifas/{id}/tickets over real HTTP with the real payment_sandbox plugin: reservation,
// immediate confirmation, declines, idempotency, refusals and malformed input.
#include <numeric>
#include <set>

#include "plugin_runtime/plugin_payment_gateway.hpp"
#include "engine/purchase_service.hpp"
#include "sales_fixture.hpp"
#include "storage/repositories/sql_sales_repository.hpp"
#include "engine/number_assignment.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;

class PurchaseTest : public SalesApiTest {};

TEST_F(PurchaseTest, BuysTheLowestFreeNumbersAndSellsThemWhenThePaymentSucceeds) {
  const auto rifa = active_rifa("Oro", 5000, 10);
  const auto jugador = register_jugador("ana@rifa.test");
  auto r = buy(jugador, rifa, 3, "key-1");
  ASSERT_EQ(r.status, 201) << r.body;
  const json j = r.json();
  ASSERT_EQ(j["tickets"].size(), 3u) << r.body;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(j["tickets"][i]["numero"], i);
    EXPECT_EQ(j["tickets"][i]["estado"], "vendido");
    EXPECT_EQ(estado_of(j["tickets"][i]["id"]), "vendido");
  }
  EXPECT_EQ(j["status"], "succeeded");
  EXPECT_EQ(j["amount"], 15000);
  const std::string tx = j["transaccion_id"];
  EXPECT_EQ(status_of(tx), "succeeded");
  EXPECT_EQ(provider_ref_of(tx).rfind("sbx_", 0), 0u);
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE rifa_id = '" + rifa +
                  "' AND estado = 'vendido' AND usuario_id = '" + jugador.id + "' AND comprado_en IS NOT NULL"),
            3);
  EXPECT_EQ(count("SELECT amount FROM transacciones WHERE id = '" + tx + "'"), 15000);
  // Audited in the same transactions: created (pending) and succeeded.
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE entity = 'transacciones' AND entity_id = '" + tx + "'"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'payment.succeeded' AND entity_id = '" + tx + "'"), 1);

  auto next = buy(jugador, rifa, 2, "key-2");
  ASSERT_EQ(next.status, 201) << next.body;
  EXPECT_EQ(next.json()["tickets"][0]["numero"], 3);
  EXPECT_EQ(next.json()["tickets"][1]["numero"], 4);
  auto view = call("GET", "/api/v1/rifas/" + rifa);
  EXPECT_EQ(view.json()["vendidas"], 5);
  EXPECT_EQ(view.json()["disponibles"], 5);
}

TEST_F(PurchaseTest, RandomAssignmentIsAFixedPermutationOfAllNumbers) {
  const auto rifa = active_rifa("Oro", 5000, 50, "random");
  const auto jugador = register_jugador("rand@rifa.test");
  std::vector<int> order;
  for (int i = 0; i < 5; ++i) {
    auto r = buy(jugador, rifa, 10, "rand-" + std::to_string(i));
    ASSERT_EQ(r.status, 201) << r.body;
    const json body = r.json();
    for (const auto& t : body["tickets"]) order.push_back(t["numero"]);
  }
  std::set<int> distinct(order.begin(), order.end());
  EXPECT_EQ(distinct.size(), 50u);
  EXPECT_EQ(*distinct.begin(), 0);
  EXPECT_EQ(*distinct.rbegin(), 49);
  std::vector<int> first_ten(order.begin(), order.begin() + 10);
  std::sort(first_ten.begin(), first_ten.end());
  EXPECT_NE(first_ten, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9})) << "not shuffled";

  // The order is the permutation docs/VERIFYING.md derives from the seed frozen at activation.
  std::string seed;
  {
    auto lease = test_db_->db().lease();
    lease.session() << "SELECT assignment_seed FROM rifas WHERE id = :id", soci::use(rifa), soci::into(seed);
  }
  ASSERT_EQ(seed.size(), 64u);
  const engine::NumberAssignment documented_order = engine::number_assignment("random", seed, 50);
  ASSERT_TRUE(documented_order.random);
  std::vector<int> documented(50);
  std::iota(documented.begin(), documented.end(), 0);
  std::stable_sort(documented.begin(), documented.end(), [&](int a, int b) {
    return documented_order.position(static_cast<uint64_t>(a)) < documented_order.position(static_cast<uint64_t>(b));
  });
  for (size_t batch = 0; batch < 5; ++batch) {
    std::vector<int> got(order.begin() + batch * 10, order.begin() + batch * 10 + 10);
    std::vector<int> want(documented.begin() + batch * 10, documented.begin() + batch * 10 + 10);
    std::sort(got.begin(), got.end());
    std::sort(want.begin(), want.end());
    EXPECT_EQ(got, want) << "purchase " << batch;
  }
  expect_problem(buy(jugador, rifa, 1, "rand-over"), 409, "quantity",
                 "quantity: the rifa is sold out (0 numbers left)");
}

TEST_F(PurchaseTest, SameKeyAndBodyAnswersTheFirstAnswerAgainAlsoAfterARestart) {
  const auto rifa = active_rifa("Oro", 5000, 10);
  const auto jugador = register_jugador("idem@rifa.test");
  auto first = buy(jugador, rifa, 2, "same-key");
  ASSERT_EQ(first.status, 201) << first.body;
  auto again = buy(jugador, rifa, 2, "same-key");
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.headers["idempotent-replayed"], "true");
  EXPECT_EQ(count("SELECT count(*) FROM transacciones"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE estado = 'vendido'"), 2);

  // The key in the Idempotency-Key header is the same key.
  auto by_header = call("POST", "/api/v1/rifas/" + rifa + "/tickets",
                        json{{"quantity", 2}, {"payment_method", "card"}}.dump(), jugador.token);
  expect_problem(by_header, 422, "idempotency_key");
  auto header_reply =
      http_call("POST", url("/api/v1/rifas/" + rifa + "/tickets"),
                json{{"quantity", 2}, {"payment_method", "card"}}.dump(), jugador.token, {"Idempotency-Key: same-key"});
  EXPECT_EQ(header_reply.status, 201);
  EXPECT_EQ(header_reply.body, first.body);

  // A new process on the same database (nothing kept in memory) answers the same.
  app::ApiWiringOptions options;
  options.jwt_secret = kTestJwtSecret;
  options.clock = &clock_;
  options.plugins = plugins_.get();
  options.bindings.defaults.payment = "sandbox";
  app::ApiWiring restarted(test_db_->db(), options);
  engine::PurchaseInput in;
  in.rifa_id = rifa;
  in.quantity = 2;
  in.payment_method = "card";
  in.idempotency_key = "same-key";
  auto replay = restarted.sales().purchases().purchase(engine::Actor{jugador.id, engine::Rol::kJugador}, in);
  ASSERT_TRUE(replay.ok()) << replay.error().message;
  EXPECT_TRUE(replay->replayed);
  EXPECT_EQ(replay->body, first.body) << "the stored bytes, as first sent";
  EXPECT_EQ(count("SELECT count(*) FROM transacciones"), 1);
}

TEST_F(PurchaseTest, SameKeyWithAnotherRequestIsRefusedAndKeysArePerUser) {
  const auto rifa = active_rifa("Oro", 5000, 10);
  const auto ana = register_jugador("ana2@rifa.test");
  const auto beto = register_jugador("beto2@rifa.test");
  ASSERT_EQ(buy(ana, rifa, 1, "k").status, 201);
  expect_problem(buy(ana, rifa, 2, "k"), 422, "idempotency_key");
  expect_problem(buy(ana, rifa, 1, "k", {{"payment_method", "pse"}}), 422, "idempotency_key");
  // Another user's identical key is another purchase.
  auto other = buy(beto, rifa, 1, "k");
  ASSERT_EQ(other.status, 201) << other.body;
  EXPECT_EQ(other.json()["tickets"][0]["numero"], 1);
  // Body and header naming different keys.
  auto both = http_call("POST", url("/api/v1/rifas/" + rifa + "/tickets"),
                        json{{"quantity", 1}, {"idempotency_key", "a"}}.dump(), ana.token, {"Idempotency-Key: b"});
  expect_problem(both, 422, "idempotency_key");
}

TEST_F(PurchaseTest, NotEnoughNumbersLeftSaysHowManyRemain) {
  const auto rifa = active_rifa("Oro", 5000, 5);
  const auto jugador = register_jugador("few@rifa.test");
  ASSERT_EQ(buy(jugador, rifa, 3, "a").status, 201);
  expect_problem(buy(jugador, rifa, 3, "b"), 409, "quantity", "quantity: only 2 number(s) left, asked for 3");
  ASSERT_EQ(buy(jugador, rifa, 2, "c").status, 201);
  expect_problem(buy(jugador, rifa, 1, "d"), 409, "quantity", "quantity: the rifa is sold out (0 numbers left)");
  // A refusal is the key's answer too.
  expect_problem(buy(jugador, rifa, 3, "b"), 409, "quantity", "quantity: only 2 number(s) left, asked for 3");
  EXPECT_EQ(count("SELECT count(*) FROM transacciones"), 2);
}

TEST_F(PurchaseTest, OnlyAnActivaRifaSells) {
  const auto jugador = register_jugador("closed@rifa.test");
  categorias_["Oro"] = create_categoria("Oro", 5000);
  categoria_id_ = categorias_["Oro"];
  const std::string pendiente = create_rifa()["id"];
  auto r = buy(jugador, pendiente, 1, "p");
  expect_problem(r, 409, "", "rifa " + pendiente + " is pendiente: tickets are sold only while it is activa");
  expect_problem(buy(jugador, "00000000-0000-0000-0000-000000000000", 1, "x"), 404);
  expect_problem(buy(jugador, "%27%3B%20DROP%20TABLE%20tickets%3B%20--", 1, "y"), 404);
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE estado <> 'disponible'"), 0);
}

TEST_F(PurchaseTest, ADeclinedPaymentIs402WithTheProvidersReasonAndReleasesTheNumbers) {
  const auto rifa = active_rifa("Declina", kDeclinedPrice, 10);
  const auto jugador = register_jugador("declined@rifa.test");
  auto r = buy(jugador, rifa, 1, "decline-1");
  expect_problem(r, 402, "",
                 "payment declined by the provider: declined by sandbox: amount " + std::to_string(kDeclinedPrice) +
                     " is configured to decline");
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE rifa_id = '" + rifa + "' AND estado = 'disponible'"), 10);
  EXPECT_EQ(
      count(
          "SELECT count(*) FROM transacciones WHERE status = 'failed' AND failure_reason LIKE 'declined by sandbox%'"),
      1);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'payment.failed'"), 1);
  // Replayed as it was; the next purchase (another amount) gets number 0 again.
  auto again = buy(jugador, rifa, 1, "decline-1");
  EXPECT_EQ(again.status, 402);
  EXPECT_EQ(again.body, r.body);
  auto two = buy(jugador, rifa, 2, "decline-2");
  ASSERT_EQ(two.status, 201) << two.body;
  EXPECT_EQ(two.json()["tickets"][0]["numero"], 0);
}

TEST_F(PurchaseTest, AJugadorCannotBuyAsAnotherUserButStaffCan) {
  const auto rifa = active_rifa("Oro", 5000, 10);
  const auto ana = register_jugador("ana3@rifa.test");
  const auto beto = register_jugador("beto3@rifa.test");
  expect_problem(buy(ana, rifa, 1, "as-beto", {{"user_id", beto.id}}), 403, "user_id");
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE estado <> 'disponible'"), 0);
  ASSERT_EQ(buy(ana, rifa, 1, "as-me", {{"user_id", ana.id}}).status, 201);
  auto operador = make_user("op@rifa.test", engine::Rol::kOperador);
  auto for_beto = buy(operador, rifa, 2, "pos-1", {{"user_id", beto.id}});
  ASSERT_EQ(for_beto.status, 201) << for_beto.body;
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE usuario_id = '" + beto.id + "' AND estado = 'vendido'"), 2);
  expect_problem(buy(operador, rifa, 1, "pos-2", {{"user_id", "no-such-user"}}), 422, "user_id");
  expect_problem(
      call("POST", "/api/v1/rifas/" + rifa + "/tickets", json{{"quantity", 1}, {"idempotency_key", "z"}}.dump()), 401);
}

TEST_F(PurchaseTest, MalformedInputIsA4xxProblemNamingTheField) {
  const auto rifa = active_rifa("Oro", 5000, 10);
  const auto j = register_jugador("bad@rifa.test");
  const std::string path = "/api/v1/rifas/" + rifa + "/tickets";
  expect_problem(call("POST", path, "{not json", j.token), 400);
  expect_problem(call("POST", path, "[1,2]", j.token), 422, "body");
  for (const char* quantity : {"0", "-1", "101", "1e30", "\"3\"", "2.5", "null", "99999999999999999999"}) {
    SCOPED_TRACE(quantity);
    expect_problem(call("POST", path, std::string(R"({"idempotency_key":"q","quantity":)") + quantity + "}", j.token),
                   422, "quantity");
  }
  expect_problem(call("POST", path, R"({"idempotency_key":"q","quantity":1e400})", j.token), 400);
  expect_problem(call("POST", path, R"({"idempotency_key":"q"})", j.token), 422, "quantity");
  expect_problem(call("POST", path, R"({"idempotency_key":"q","quantity":1,"precio":1})", j.token), 422, "precio");
  expect_problem(call("POST", path, json{{"quantity", 1}, {"idempotency_key", std::string(256, 'k')}}.dump(), j.token),
                 422, "idempotency_key");
  expect_problem(call("POST", path, json{{"quantity", 1}, {"idempotency_key", ""}}.dump(), j.token), 422,
                 "idempotency_key");
  expect_problem(
      call("POST", path,
           json{{"quantity", 1}, {"idempotency_key", "m"}, {"payment_method", std::string(65, 'x')}}.dump(), j.token),
      422, "payment_method");
  expect_problem(call("POST", path, json{{"quantity", 1}, {"idempotency_key", 7}}.dump(), j.token), 422,
                 "idempotency_key");
  expect_problem(
      call("POST", path, json{{"quantity", 1}, {"idempotency_key", "u"}, {"user_id", std::string(5000, 'u')}}.dump(),
           j.token),
      422, "user_id");
  // SQL metacharacters are just text.
  auto sql = buy(j, rifa, 1, "'); DELETE FROM tickets; --", {{"payment_method", "x' OR '1'='1"}});
  EXPECT_EQ(sql.status, 201) << sql.body;
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE rifa_id = '" + rifa + "'"), 10);
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE estado <> 'disponible'"), 1);
}

TEST_F(PurchaseTest, WithoutAPaymentInstanceThePurchaseFailsCleanlyAndReleases) {
  // A rifa activated with the sandbox (its payment instance frozen as "sandbox"), sold by a host
  // that has not loaded that instance: one still on an older config during a rolling reload. Its
  // own binding names another instance, which must not stand in for the frozen one.
  const auto rifa = active_rifa("Oro", 5000, 10);
  plugin_runtime::PluginRegistry none_loaded;
  app::ApiWiringOptions options;
  options.jwt_secret = kTestJwtSecret;
  options.clock = &clock_;
  options.plugins = &none_loaded;
  options.bindings.defaults.payment = "not-loaded";
  app::ApiWiring wiring(test_db_->db(), options);
  const auto jugador = register_jugador("nopay@rifa.test");
  engine::PurchaseInput in;
  in.rifa_id = rifa;
  in.quantity = 2;
  in.idempotency_key = "np";
  auto r = wiring.sales().purchases().purchase(engine::Actor{jugador.id, engine::Rol::kJugador}, in);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(r.error().message.find("no payment plugin instance 'sandbox'"), std::string::npos) << r.error().message;
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE estado <> 'disponible'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM transacciones WHERE status = 'failed'"), 1);
}

}  // namespace
}  // namespace rifa::testing

namespace rifa::testing {
namespace {

// The real sandbox behind a gateway whose first create() times out: the charge's fate is unknown,
// as when the provider stalls or the host dies right after calling it.
class StallingGateway final : public engine::PaymentGateway {
 public:
  explicit StallingGateway(engine::PaymentGateway& real) : real_(real) {}
  std::string instance_for(const std::string& rifa_id, const std::string& categoria) const override {
    return real_.instance_for(rifa_id, categoria);
  }
  Result<engine::PaymentAnswer> create(const std::string& instance, const engine::PaymentRequest& request) override {
    if (stalls_left_-- > 0) return make_error(ErrorCode::kTimeout, "create_payment timed out");
    return real_.create(instance, request);
  }
  Result<engine::WebhookEvent> verify_webhook(const std::string& i, const std::string& m, const std::string& h,
                                              const std::string& b) override {
    return real_.verify_webhook(i, m, h, b);
  }
  Result<engine::PaymentAnswer> get_payment(const std::string& i, const std::string& ref) override {
    return real_.get_payment(i, ref);
  }
  Result<std::string> refund(const std::string& i, const std::string& ref, int64_t amount,
                             const std::string& key) override {
    return real_.refund(i, ref, amount, key);
  }

 private:
  engine::PaymentGateway& real_;
  int stalls_left_ = 1;
};

class PurchaseRecoveryTest : public SalesApiTest {};

TEST_F(PurchaseRecoveryTest, AKeyWhoseFirstRequestNeverFinishedIsResumedNotChargedTwice) {
  const auto rifa = active_rifa("Oro", 5000, 10);
  const auto ana = register_jugador("stall@rifa.test");
  plugin_runtime::PluginPaymentGateway real(plugins_.get(), [] {
    settings::Bindings b;
    b.defaults.payment = "sandbox";
    return b;
  }());
  StallingGateway stalling(real);
  storage::SqlSalesRepository repo(test_db_->db());
  engine::RandomIdGenerator ids;
  engine::PurchaseService stalled(repo, stalling, clock_, ids, engine::SalesPolicy{});
  engine::PurchaseInput in;
  in.rifa_id = rifa;
  in.quantity = 2;
  in.payment_method = "card";
  in.idempotency_key = "stall-key";
  auto first = stalled.purchase(engine::Actor{ana.id, engine::Rol::kJugador}, in);
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(count("SELECT count(*) FROM transacciones WHERE status = 'pending' AND provider_ref IS NULL"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE estado = 'reservado'"), 2);

  // While the first request may still be running, a retry is told to wait.
  expect_problem(buy(ana, rifa, 2, "stall-key"), 409, "idempotency_key");
  // Past the takeover bound the retry resumes that purchase: same transaccion, one charge.
  clock_.advance(std::chrono::seconds(121));
  auto resumed = buy(ana, rifa, 2, "stall-key");
  ASSERT_EQ(resumed.status, 201) << resumed.body;
  EXPECT_EQ(resumed.json()["status"], "succeeded");
  EXPECT_EQ(resumed.json()["tickets"][0]["numero"], 0);
  EXPECT_EQ(count("SELECT count(*) FROM transacciones"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE estado = 'vendido' AND usuario_id = '" + ana.id + "'"), 2);
  auto replay = buy(ana, rifa, 2, "stall-key");
  EXPECT_EQ(replay.body, resumed.body);
}

TEST_F(PurchaseRecoveryTest, ReconciliationFinishesAPaymentWhoseAnswerWasNeverRecorded) {
  const auto rifa = active_rifa("Oro", 5000, 10);
  const auto ana = register_jugador("recon@rifa.test");
  plugin_runtime::PluginPaymentGateway real(plugins_.get(), [] {
    settings::Bindings b;
    b.defaults.payment = "sandbox";
    return b;
  }());
  StallingGateway stalling(real);
  storage::SqlSalesRepository repo(test_db_->db());
  engine::RandomIdGenerator ids;
  engine::PurchaseService stalled(repo, stalling, clock_, ids, engine::SalesPolicy{});
  engine::PurchaseInput in;
  in.rifa_id = rifa;
  in.quantity = 1;
  in.payment_method = "card";
  in.idempotency_key = "recon-key";
  ASSERT_FALSE(stalled.purchase(engine::Actor{ana.id, engine::Rol::kJugador}, in).ok());
  clock_.advance(std::chrono::seconds(301));
  auto swept = wiring_->sales().payments().reconcile_pending(clock_.now());
  ASSERT_TRUE(swept.ok()) << swept.error().message;
  EXPECT_EQ(swept->changed, 1);
  EXPECT_EQ(count("SELECT count(*) FROM transacciones WHERE status = 'succeeded' AND provider_ref IS NOT NULL"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE estado = 'vendido'"), 1);
  // The key, resumed after the bound, answers from what reconciliation decided.
  auto r = buy(ana, rifa, 1, "recon-key");
  EXPECT_EQ(r.status, 201) << r.body;
}

}  // namespace
}  // namespace rifa::testing
