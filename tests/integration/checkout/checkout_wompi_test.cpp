// The checkout step through payment_wompi (issue 13) over real HTTP, on both databases, against a
// loopback fake of Wompi's API: the purchase reply sends the app to Wompi's web checkout (a
// redirect carrying our transaccion id as the reference and the integrity signature), the buyer
// pays there, and Wompi's event, signed with X-Event-Checksum, sells the numbers; a declined
// payment releases them; a lost event is settled by reconciliation (search by reference). And the
// prize such a rifa pays: through Wompi's third-party payments API to the account the winner gave,
// one batch across retries.
#include <gtest/gtest.h>

#include <stdlib.h>

#include <ctime>

#include <soci/soci.h>
#include <spdlog/sinks/null_sink.h>

#include "app/payout_jobs.hpp"
#include "fake_wompi.hpp"
#include "jobs/job_runner.hpp"
#include "plugin_runtime/curl_transport.hpp"
#include "sales_fixture.hpp"
#include "storage/sql_job_queue.hpp"

namespace rifa::testing {
namespace {

constexpr const char* kPub = "pub_test_CheckoutE2EQ5yDA9xoKdePzhSG";
constexpr const char* kPrv = "prv_test_CheckoutE2EfakePrivateKey0123";
constexpr const char* kEvents = "test_events_CheckoutE2EfakeEvents0123";
constexpr const char* kIntegrity = "test_integrity_CheckoutE2EfakeIntegrity";

class CheckoutWompiTest : public SalesApiTest {
 protected:
  void configure_api(app::ApiWiringOptions& options) override {
    SalesApiTest::configure_api(options);
    ::setenv("RIFA_E2E_WOMPI_PRV", kPrv, 1);
    ::setenv("RIFA_E2E_WOMPI_EVENTS", kEvents, 1);
    ::setenv("RIFA_E2E_WOMPI_INTEGRITY", kIntegrity, 1);
    ::setenv("RIFA_E2E_WOMPI_PAYOUTS_KEY", FakeWompi::kPayoutsKey, 1);
    ::setenv("RIFA_E2E_WOMPI_PRINCIPAL", FakeWompi::kPrincipal, 1);
    plugin_runtime::HostServices services;
    services.logger = std::make_shared<spdlog::logger>("plugin.wompi", std::make_shared<spdlog::sinks::null_sink_mt>());
    services.now_unix_ms = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
    plugin_runtime::CurlTransportOptions transport;
    transport.egress_allow = {"127.0.0.1"};
    transport.retries = 0;
    services.transport = std::make_shared<plugin_runtime::CurlTransport>(transport);
    const nlohmann::json config = {
        {"public_key", kPub},
        {"private_key_env", "RIFA_E2E_WOMPI_PRV"},
        {"events_secret_env", "RIFA_E2E_WOMPI_EVENTS"},
        {"integrity_secret_env", "RIFA_E2E_WOMPI_INTEGRITY"},
        {"api_base", wompi_.base() + "/v1"},
        {"redirect_url", "https://rifa.example/pagos/vuelta"},
        {"poll_interval_ms", 0},
        {"timeout_ms", 5000},
        {"payouts_account_id", FakeWompi::kAccountId},
        {"payouts_api_key_env", "RIFA_E2E_WOMPI_PAYOUTS_KEY"},
        {"payouts_principal_id_env", "RIFA_E2E_WOMPI_PRINCIPAL"},
        {"payouts_api_base", wompi_.base() + "/v1"},
        {"payouts_bank_ids", {{"bancolombia", FakeWompi::kBancolombia}, {"nequi", FakeWompi::kNequi}}}};
    auto added = plugins_->add(
        {"wompi", std::filesystem::path(RIFA_PLUGIN_DIR) / "libpayment_wompi.so", RIFA_KIND_PAYMENT, config}, services);
    ASSERT_TRUE(added.ok()) << added.error().message;
    options.bindings.categorias["PSE"].payment = "wompi";
    settings_.bindings = options.bindings;
    settings_.jobs.max_attempts = 5;
  }

  // A ticket bought and paid through Wompi (PSE, approved by a signed event) that then wins
  // 300.000 pesos gross, 60.000 withheld: the ganador, its payout job queued as settlement queues it.
  std::string won_prize(const std::string& email) {
    const auto rifa = active_rifa("PSE", 500000, 10);
    winner_ = register_jugador(email, "Ana Ganadora");
    auto r = buy(winner_, rifa, 1, "wompi-prize-" + email);
    EXPECT_EQ(r.status, 201) << r.body;
    const std::string tx = r.json()["transaccion_id"];
    const std::string id = pay_at_checkout(tx, 500000, pse());
    wompi_.settle(id, "APPROVED");
    EXPECT_EQ(send_event(wompi_.event(id, now_s())).status, 200);
    EXPECT_EQ(status_of(tx), "succeeded");

    const std::string ganador = "g-" + rifa.substr(0, 8);
    exec("UPDATE rifas SET estado = 'resuelta' WHERE id = '" + rifa + "'");
    exec("UPDATE tickets SET estado = 'ganador' WHERE transaccion_id = '" + tx + "'");
    exec(
        "INSERT INTO ganadores (id, ticket_id, tier, monto_ganado, monto_bruto, retencion, monto_neto, uvt_anio) "
        "SELECT '" +
        ganador + "', id, 0, 30000000, 30000000, 6000000, 24000000, " + std::to_string(bogota_year()) +
        " FROM tickets WHERE transaccion_id = '" + tx + "'");
    storage::SqlJobQueue queue(test_db_->db(), [] { return std::chrono::system_clock::now(); });
    jobs::EnqueueRequest job;
    job.kind = jobs::kPayoutSend;
    job.payload = {{"ganador_id", ganador}};
    job.dedupe_key = "payout:" + ganador;
    EXPECT_TRUE(queue.enqueue(job).ok());
    return ganador;
  }

  static int bogota_year() {
    const std::time_t t = std::time(nullptr) - 5 * 3600;
    std::tm tm{};
    gmtime_r(&t, &tm);
    return tm.tm_year + 1900;
  }

  // The due payout jobs, run to the end, on a clock `ahead` of now (past a failed attempt's backoff).
  int run_payouts(std::chrono::seconds ahead) {
    storage::SqlJobQueue queue(test_db_->db(), [ahead] { return std::chrono::system_clock::now() + ahead; });
    jobs::JobRunner runner(queue, jobs::RunnerOptions{"wompi-payouts", 1},
                           spdlog::null_logger_mt("jobs-" + FakeServer::unique()));
    app::register_payout_jobs(runner, test_db_->db(), settings_, *plugins_, app::PayoutJobsShared{});
    return runner.drain();
  }

  std::string text(const std::string& sql_text) {
    std::string out;
    soci::indicator ind = soci::i_null;
    auto lease = test_db_->db().lease();
    lease.session() << sql_text, soci::into(out, ind);
    return ind == soci::i_ok ? out : "";
  }

  ApiReply give_account() {
    return call("PUT", "/api/v1/ganadores/" + ganador_ + "/cuenta",
                json{{"tipo", "bancaria"},
                     {"banco", "bancolombia"},
                     {"tipo_cuenta", "ahorros"},
                     {"numero", "123-456789-01"},
                     {"documento_tipo", "CC"},
                     {"documento_numero", "1020304050"}},
                winner_.token);
  }

  // What Wompi's web checkout does once the buyer chose how to pay: creates the transaction with
  // our reference, signed with the integrity secret. Returns Wompi's transaction id.
  std::string pay_at_checkout(const std::string& reference, int64_t cents, const json& method) {
    const json body = {{"acceptance_token", FakeWompi::kAcceptance},
                       {"amount_in_cents", cents},
                       {"currency", "COP"},
                       {"reference", reference},
                       {"customer_email", "comprador@example.com"},
                       {"signature", sdk::sha256_hex(reference + std::to_string(cents) + "COP" + kIntegrity)},
                       {"payment_method", method}};
    auto created =
        http_call("POST", wompi_.base() + "/v1/transactions", body.dump(), kPrv, {"Content-Type: application/json"});
    EXPECT_EQ(created.status, 201) << created.body;
    return created.json()["data"]["id"];
  }

  ApiReply send_event(const json& event) {
    return http_call(
        "POST", url("/api/v1/webhooks/wompi"), event.dump(), "",
        {"Content-Type: application/json", "X-Event-Checksum: " + event["signature"]["checksum"].get<std::string>()});
  }

  static int64_t now_s() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  static json pse() {
    return {{"type", "PSE"},
            {"user_type", 0},
            {"user_legal_id_type", "CC"},
            {"user_legal_id", "1099888777"},
            {"financial_institution_code", "1022"},
            {"payment_description", "Rifa"}};
  }

  FakeWompi wompi_{kPub, kPrv, kIntegrity, kEvents};
  settings::Settings settings_;
  Account winner_;
  std::string ganador_;
};

TEST_F(CheckoutWompiTest, TheReplyRedirectsToWompiAndTheSignedEventSellsTheNumbers) {
  const auto rifa = active_rifa("PSE", 500000, 10);
  const auto jugador = register_jugador("pse@rifa.test");
  auto r = buy(jugador, rifa, 2, "wompi-1");
  ASSERT_EQ(r.status, 201) << r.body;
  const json reply = r.json();
  EXPECT_EQ(reply["status"], "pending");
  const std::string tx = reply["transaccion_id"];
  ASSERT_EQ(reply["next_action"]["type"], "redirect") << r.body;
  const std::string checkout = reply["next_action"]["url"];
  EXPECT_EQ(checkout.rfind("https://checkout.wompi.co/p/?public-key=", 0), 0u) << checkout;
  EXPECT_NE(checkout.find("&reference=" + tx), std::string::npos) << checkout;
  EXPECT_NE(checkout.find("amount-in-cents=1000000"), std::string::npos) << checkout;
  EXPECT_NE(checkout.find("signature%3Aintegrity=" + sdk::sha256_hex(tx + "1000000COP" + kIntegrity)),
            std::string::npos)
      << checkout;
  for (const auto& t : reply["tickets"]) EXPECT_EQ(estado_of(t["id"]), "reservado");

  // The buyer pays by PSE at the checkout; the bank approves; Wompi's signed event arrives.
  const std::string id = pay_at_checkout(tx, 1000000, pse());
  wompi_.settle(id, "APPROVED");
  const json event = wompi_.event(id, now_s());
  json tampered = event;
  tampered["data"]["transaction"]["amount_in_cents"] = 1;
  EXPECT_EQ(send_event(tampered).status, 400);
  EXPECT_EQ(status_of(tx), "pending");

  auto hook = send_event(event);
  ASSERT_EQ(hook.status, 200) << hook.body;
  EXPECT_EQ(status_of(tx), "succeeded");
  for (const auto& t : reply["tickets"]) EXPECT_EQ(estado_of(t["id"]), "vendido");
  auto polled = call("GET", "/api/v1/transacciones/" + tx, "", jugador.token);
  ASSERT_EQ(polled.status, 200) << polled.body;
  EXPECT_EQ(polled.json()["status"], "succeeded");
  EXPECT_FALSE(polled.json().contains("next_action"));
  // The same event again changes nothing.
  ASSERT_EQ(send_event(event).status, 200);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'payment.succeeded' AND entity_id = '" + tx + "'"), 1);
}

TEST_F(CheckoutWompiTest, ADeclinedPaymentReleasesTheNumbers) {
  const auto rifa = active_rifa("PSE", 500000, 10);
  const auto jugador = register_jugador("declined-pse@rifa.test");
  auto r = buy(jugador, rifa, 2, "wompi-declined");
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string tx = r.json()["transaccion_id"];
  const std::string id = pay_at_checkout(tx, 1000000, pse());
  wompi_.settle(id, "DECLINED", "Transacción rechazada por el banco");
  auto hook = send_event(wompi_.event(id, now_s()));
  ASSERT_EQ(hook.status, 200) << hook.body;
  EXPECT_EQ(status_of(tx), "failed");
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE rifa_id = '" + rifa + "' AND estado IN ('reservado', 'vendido')"),
            0);
  auto next = buy(register_jugador("next-pse@rifa.test"), rifa, 10, "wompi-next");
  EXPECT_EQ(next.status, 201) << next.body;
}

TEST_F(CheckoutWompiTest, ALostEventIsSettledByReconciliation) {
  const auto rifa = active_rifa("PSE", 500000, 10);
  const auto jugador = register_jugador("lost-pse@rifa.test");
  auto r = buy(jugador, rifa, 1, "wompi-lost");
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string tx = r.json()["transaccion_id"];
  wompi_.settle(pay_at_checkout(tx, 500000, pse()), "APPROVED");  // the event never arrives

  auto& payments = wiring_->sales().payments();
  clock_.advance(std::chrono::seconds(600));
  auto swept = payments.reconcile_pending(clock_.now());
  ASSERT_TRUE(swept.ok()) << swept.error().message;
  EXPECT_EQ(swept->changed, 1);
  EXPECT_EQ(status_of(tx), "succeeded");
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE rifa_id = '" + rifa + "' AND estado = 'vendido'"), 1);
}

// The prize goes through Wompi's payouts API to the account the winner gave: the net prize in
// cents, the account whole (and only there), the ganador id as reference and idempotency-key. The
// first POST fails with a 500 before Wompi made anything; the retry sends the same key and body and
// makes the one batch.
TEST_F(CheckoutWompiTest, APrizeWonThroughWompiIsPaidToTheWinnersAccountWithTheSameKeyAfterA500) {
  ganador_ = won_prize("ganadora-500@rifa.test");
  ASSERT_EQ(give_account().status, 200);
  wompi_.fail_next_payout = 1;
  run_payouts(std::chrono::seconds(60));
  EXPECT_EQ(text("SELECT estado FROM payouts WHERE ganador_id = '" + ganador_ + "'"), "pendiente");
  EXPECT_TRUE(wompi_.batches().empty());
  run_payouts(std::chrono::hours(2));

  const auto posts = wompi_.payout_posts();
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(posts[0].idempotency_key, ganador_);
  EXPECT_EQ(posts[1].idempotency_key, posts[0].idempotency_key);
  EXPECT_EQ(posts[1].body, posts[0].body);
  const json& body = posts[1].body;
  EXPECT_EQ(body["reference"], ganador_);
  EXPECT_EQ(body["accountId"], FakeWompi::kAccountId);
  EXPECT_EQ(body["paymentType"], "OTHER");
  ASSERT_EQ(body["transactions"].size(), 1u) << body;
  EXPECT_EQ(body["transactions"][0], (json{{"legalIdType", "CC"},
                                           {"legalId", "1020304050"},
                                           {"bankId", FakeWompi::kBancolombia},
                                           {"accountType", "AHORROS"},
                                           {"accountNumber", "12345678901"},
                                           {"name", "Ana Ganadora"},
                                           {"email", "ganadora-500@rifa.test"},
                                           {"amount", 24000000},
                                           {"reference", ganador_}}));
  const auto batches = wompi_.batches();
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(text("SELECT estado FROM payouts WHERE ganador_id = '" + ganador_ + "'"), "enviado");
  EXPECT_EQ(text("SELECT referencia FROM payouts WHERE ganador_id = '" + ganador_ + "'"), batches[0]["id"]);
  EXPECT_EQ(text("SELECT provider FROM payouts WHERE ganador_id = '" + ganador_ + "'"), "wompi");
  EXPECT_EQ(text("SELECT referencia_pago FROM ganadores WHERE id = '" + ganador_ + "'"), batches[0]["id"]);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'payout.sent' AND entity_id = '" + ganador_ + "'"), 1);
  // Nothing more to send: later runs never reach Wompi again.
  run_payouts(std::chrono::hours(4));
  EXPECT_EQ(wompi_.payout_posts().size(), 2u);
}

// Wompi made the batch but its answer was lost (a 500 after it): the retry finds the batch under
// the ganador's reference and records it; no second POST, no second batch.
TEST_F(CheckoutWompiTest, APayoutWhoseAnswerWasLostIsFoundByItsReferenceNotSentAgain) {
  ganador_ = won_prize("ganadora-lost@rifa.test");
  ASSERT_EQ(give_account().status, 200);
  wompi_.new_batch_status = "TOTAL_PAYMENT";
  wompi_.fail_after_payout = 1;
  run_payouts(std::chrono::seconds(60));
  ASSERT_EQ(wompi_.batches().size(), 1u);
  EXPECT_EQ(text("SELECT estado FROM payouts WHERE ganador_id = '" + ganador_ + "'"), "pendiente");
  run_payouts(std::chrono::hours(2));
  EXPECT_EQ(wompi_.payout_posts().size(), 1u);
  ASSERT_EQ(wompi_.batches().size(), 1u);
  EXPECT_EQ(text("SELECT estado FROM payouts WHERE ganador_id = '" + ganador_ + "'"), "enviado");
  EXPECT_EQ(text("SELECT referencia FROM payouts WHERE ganador_id = '" + ganador_ + "'"), wompi_.batches()[0]["id"]);
}

}  // namespace
}  // namespace rifa::testing
