// The checkout step (issue 13 item 3) over real HTTP, on both databases: the purchase reply carries
// what the app must do next (next_action) when the provider needs the buyer, the numbers stay held,
// and the provider's signed webhook sells them; a declined card releases them. The provider is
// payment_stripe, loaded as the host loads it, against a loopback fake of Stripe's API.
#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>

#include <soci/soci.h>
#include <spdlog/sinks/null_sink.h>

#include "fake_stripe.hpp"
#include "plugin_runtime/curl_transport.hpp"
#include "sales_fixture.hpp"

namespace rifa::testing {
namespace {

constexpr const char* kStripeKey = "sk_test_51CheckoutE2E000000000000";
constexpr const char* kStripeWhsec = "whsec_checkout_e2e_signing_secret_00";

class CheckoutTest : public SalesApiTest {
 protected:
  void configure_api(app::ApiWiringOptions& options) override {
    SalesApiTest::configure_api(options);
    ::setenv("RIFA_E2E_STRIPE_KEY", kStripeKey, 1);
    ::setenv("RIFA_E2E_STRIPE_WHSEC", kStripeWhsec, 1);
    plugin_runtime::HostServices services;
    services.logger =
        std::make_shared<spdlog::logger>("plugin.stripe", std::make_shared<spdlog::sinks::null_sink_mt>());
    services.now_unix_ms = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
    plugin_runtime::CurlTransportOptions transport;
    transport.egress_allow = {"127.0.0.1"};
    transport.retries = 0;
    services.transport = std::make_shared<plugin_runtime::CurlTransport>(transport);
    const nlohmann::json config = {{"api_base", stripe_.base()},
                                   {"secret_key_env", "RIFA_E2E_STRIPE_KEY"},
                                   {"webhook_secret_env", "RIFA_E2E_STRIPE_WHSEC"},
                                   {"publishable_key", "pk_test_51CheckoutE2E"}};
    auto added = plugins_->add(
        {"stripe", std::filesystem::path(RIFA_PLUGIN_DIR) / "libpayment_stripe.so", RIFA_KIND_PAYMENT, config},
        services);
    ASSERT_TRUE(added.ok()) << added.error().message;
    options.bindings.categorias["Tarjeta"].payment = "stripe";
    // The buyer's notifications (a late payment's refund) go through notifier_log.
    auto log = plugins_->add({"log_checkout", std::filesystem::path(RIFA_PLUGIN_DIR) / "libnotifier_log.so",
                              RIFA_KIND_NOTIFIER, nlohmann::json{{"path", (files_.path() / "events.jsonl").string()}}},
                             services);
    ASSERT_TRUE(log.ok()) << log.error().message;
    options.bindings.categorias["Tarjeta"].notifiers = std::vector<std::string>{"log_checkout"};
  }

  // notify.deliver jobs queued for a "refund" event of this transaccion.
  long long refund_notifications(const std::string& tx) {
    return count(
        "SELECT count(*) FROM jobs WHERE kind = 'notify.deliver' AND CAST(payload AS TEXT) LIKE '%\"refund\"%' "
        "AND CAST(payload AS TEXT) LIKE '%" +
        tx + "%'");
  }

  TempDir files_;

  ApiReply send_stripe_event(const std::string& body) {
    const std::string t = std::to_string(
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
    return http_call("POST", url("/api/v1/webhooks/stripe"), body, "",
                     {"Stripe-Signature: t=" + t + ",v1=" + hmac_sha256_hex(kStripeWhsec, t + "." + body)});
  }

  std::string one_transaccion(const std::string& rifa) {
    auto lease = test_db_->db().lease();
    std::string id;
    lease.session() << "SELECT id FROM transacciones WHERE rifa_id = :r", soci::use(rifa), soci::into(id);
    return id;
  }

  FakeStripe stripe_{kStripeKey};
};

TEST_F(CheckoutTest, ThePurchaseReplyCarriesNextActionAndTheWebhookSellsTheNumbers) {
  const auto rifa = active_rifa("Tarjeta", 5000, 10);
  const auto jugador = register_jugador("checkout@rifa.test");
  auto r = buy(jugador, rifa, 2, "checkout-1");
  ASSERT_EQ(r.status, 201) << r.body;
  const json reply = r.json();
  EXPECT_EQ(reply["status"], "pending");
  ASSERT_TRUE(reply.contains("next_action")) << r.body;
  const std::string tx = reply["transaccion_id"];
  const std::string ref = provider_ref_of(tx);
  ASSERT_EQ(ref.rfind("pi_", 0), 0u) << ref;
  EXPECT_EQ(reply["next_action"]["type"], "client_secret");
  EXPECT_EQ(reply["next_action"]["value"], stripe_.intent(ref)["client_secret"]);
  EXPECT_EQ(reply["next_action"]["publishable_key"], "pk_test_51CheckoutE2E");
  EXPECT_TRUE(reply.contains("hold_expires_at"));
  for (const auto& t : reply["tickets"]) EXPECT_EQ(estado_of(t["id"]), "reservado");
  // The charge went to Stripe with our transaccion as the Idempotency-Key, in whole pesos.
  EXPECT_EQ(stripe_.seen().front().headers.at("idempotency-key"), tx);
  EXPECT_EQ(parse_form(stripe_.seen().front().body)["amount"], "10000");

  // The app asks again with the same key: the same answer, the same charge.
  auto again = buy(jugador, rifa, 2, "checkout-1");
  EXPECT_EQ(again.body, r.body);
  EXPECT_EQ(stripe_.intents_created, 1);

  // While the buyer confirms, the app polls the purchase: pending, for its buyer and staff only.
  auto polled = call("GET", "/api/v1/transacciones/" + tx, "", jugador.token);
  ASSERT_EQ(polled.status, 200) << polled.body;
  EXPECT_EQ(polled.json()["status"], "pending");
  EXPECT_EQ(polled.json()["tickets"].size(), 2u);
  // ... with the same next step the purchase reply gave (an app that lost the reply can go on).
  EXPECT_EQ(polled.json()["next_action"], reply["next_action"]) << polled.body;
  EXPECT_EQ(call("GET", "/api/v1/transacciones/" + tx, "", register_jugador("other@rifa.test").token).status, 404);
  EXPECT_EQ(call("GET", "/api/v1/transacciones/" + tx).status, 401);
  EXPECT_EQ(call("GET", "/api/v1/transacciones/no-such-id", "", jugador.token).status, 404);

  // The buyer confirms with Stripe.js; Stripe's signed webhook sells the numbers.
  const json pi = stripe_.succeed(ref);
  const std::string event = json({{"id", "evt_checkout_1"},
                                  {"object", "event"},
                                  {"type", "payment_intent.succeeded"},
                                  {"data", {{"object", pi}}}})
                                .dump();
  auto hook = send_stripe_event(event);
  ASSERT_EQ(hook.status, 200) << hook.body;
  EXPECT_EQ(status_of(tx), "succeeded");
  for (const auto& t : reply["tickets"]) EXPECT_EQ(estado_of(t["id"]), "vendido");
  auto settled = call("GET", "/api/v1/transacciones/" + tx, "", jugador.token);
  ASSERT_EQ(settled.status, 200) << settled.body;
  EXPECT_EQ(settled.json()["status"], "succeeded");
  EXPECT_EQ(settled.json()["tickets"][0]["estado"], "vendido");
  EXPECT_FALSE(settled.json().contains("next_action")) << "nothing is left to do once paid";
  EXPECT_EQ(count("SELECT count(*) FROM transacciones WHERE id = '" + tx + "' AND next_action IS NOT NULL"), 0)
      << "the stored next step is dropped when the payment leaves pending";

  // A forged event is refused and changes nothing.
  auto forged = http_call("POST", url("/api/v1/webhooks/stripe"), event, "", {"Stripe-Signature: t=1,v1=00"});
  EXPECT_EQ(forged.status, 400) << forged.body;
}

TEST_F(CheckoutTest, ADeclinedCardAnswers402AndReleasesTheNumbers) {
  const auto rifa = active_rifa("Tarjeta", 7000, 10);
  const auto jugador = register_jugador("declined@rifa.test");
  stripe_.decline_amounts = {14000};
  auto r = buy(jugador, rifa, 2, "checkout-declined", {{"payment_method", "pm_card_visa_chargeDeclined"}});
  ASSERT_EQ(r.status, 402) << r.body;
  EXPECT_NE(r.body.find("Your card has insufficient funds."), std::string::npos) << r.body;
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE rifa_id = '" + rifa + "' AND estado IN ('reservado', 'vendido')"),
            0);
  const std::string tx = one_transaccion(rifa);
  auto failed = call("GET", "/api/v1/transacciones/" + tx, "", jugador.token);
  ASSERT_EQ(failed.status, 200) << failed.body;
  EXPECT_EQ(failed.json()["status"], "failed");
  EXPECT_NE(failed.json()["reason"].get<std::string>().find("insufficient funds"), std::string::npos) << failed.body;
  // The numbers are free for the next buyer.
  auto next = buy(register_jugador("next@rifa.test"), rifa, 10, "checkout-next", {{"payment_method", "pm_card_visa"}});
  ASSERT_EQ(next.status, 201) << next.body;
  EXPECT_EQ(next.json()["status"], "succeeded");
  EXPECT_FALSE(next.json().contains("next_action"));
}

// The webhook never arrives: reconciliation asks Stripe (GET /v1/payment_intents/{id}) once the
// payment has been pending longer than reconcile_pending_after_s, and sells the numbers.
TEST_F(CheckoutTest, AWebhookLostOnTheWayIsSettledByReconciliation) {
  const auto rifa = active_rifa("Tarjeta", 5000, 10);
  const auto jugador = register_jugador("lost@rifa.test");
  auto r = buy(jugador, rifa, 2, "checkout-lost");
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string tx = r.json()["transaccion_id"];
  stripe_.succeed(provider_ref_of(tx));  // the buyer paid; Stripe's event is lost

  auto& payments = wiring_->sales().payments();
  ASSERT_TRUE(payments.reconcile_pending(clock_.now()).ok());
  EXPECT_EQ(status_of(tx), "pending") << "asked before the reconciliation delay";
  clock_.advance(std::chrono::seconds(3600));
  auto swept = payments.reconcile_pending(clock_.now());
  ASSERT_TRUE(swept.ok()) << swept.error().message;
  EXPECT_EQ(swept->changed, 1);
  EXPECT_EQ(status_of(tx), "succeeded");
  for (const auto& t : r.json()["tickets"]) EXPECT_EQ(estado_of(t["id"]), "vendido");
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'payment.succeeded' AND entity_id = '" + tx + "'"), 1);
}

// Stripe answers 500 while the purchase is made: the numbers stay held as pending (503 to the app),
// and the retry with the same Idempotency-Key, once the key may be taken over, charges through the
// same PaymentIntent key (our transaccion id): one intent, one transaccion, never two charges.
TEST_F(CheckoutTest, AProviderDownDuringThePurchaseHoldsItAndTheRetryChargesOnce) {
  const auto rifa = active_rifa("Tarjeta", 5000, 10);
  const auto jugador = register_jugador("down@rifa.test");
  stripe_.fail_next = 1;
  auto down = buy(jugador, rifa, 2, "checkout-down");
  ASSERT_EQ(down.status, 503) << down.body;
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE rifa_id = '" + rifa + "' AND estado = 'reservado'"), 2);
  const std::string tx = one_transaccion(rifa);
  EXPECT_EQ(status_of(tx), "pending");
  EXPECT_EQ(stripe_.intents_created, 0);

  clock_.advance(std::chrono::seconds(300));  // past sales.in_flight_takeover_s, within the hold
  auto retry = buy(jugador, rifa, 2, "checkout-down");
  ASSERT_EQ(retry.status, 201) << retry.body;
  EXPECT_EQ(retry.json()["transaccion_id"], tx);
  EXPECT_EQ(retry.json()["status"], "pending");
  EXPECT_EQ(retry.json()["next_action"]["type"], "client_secret");
  auto again = buy(jugador, rifa, 2, "checkout-down");
  EXPECT_EQ(again.body, retry.body);
  EXPECT_EQ(stripe_.intents_created, 1);
  for (const auto& seen : stripe_.seen()) {
    if (seen.method == "POST" && seen.target == "/v1/payment_intents")
      EXPECT_EQ(seen.headers.at("idempotency-key"), tx);
  }
  EXPECT_EQ(count("SELECT count(*) FROM transacciones WHERE rifa_id = '" + rifa + "'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE rifa_id = '" + rifa + "' AND estado = 'reservado'"), 2);
}

// A success that arrives after the rifa closed (the hold was released): refunded once through
// Stripe's refunds API, audited; the same event again changes nothing.
TEST_F(CheckoutTest, ALateSuccessAfterCloseIsRefundedOnceThroughStripe) {
  const auto rifa = active_rifa("Tarjeta", 5000, 10);
  const auto jugador = register_jugador("late@rifa.test");
  auto r = buy(jugador, rifa, 2, "checkout-late");
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string tx = r.json()["transaccion_id"];
  const std::string ref = provider_ref_of(tx);
  ASSERT_EQ(call("POST", "/api/v1/rifas/" + rifa + "/cerrar", "", admin_.token).status, 200);
  EXPECT_EQ(status_of(tx), "failed");

  const json pi = stripe_.succeed(ref);
  const std::string event =
      json(
          {{"id", "evt_late_1"}, {"object", "event"}, {"type", "payment_intent.succeeded"}, {"data", {{"object", pi}}}})
          .dump();
  auto hook = send_stripe_event(event);
  ASSERT_EQ(hook.status, 200) << hook.body;
  EXPECT_EQ(hook.json()["result"], "refunded") << hook.body;
  EXPECT_EQ(status_of(tx), "refunded");
  EXPECT_EQ(stripe_.charge_of(ref)["amount_refunded"], 10000);
  EXPECT_EQ(refund_notifications(tx), 1) << "the buyer is told why the money went back";
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE rifa_id = '" + rifa + "' AND estado = 'vendido'"), 0);
  auto again = send_stripe_event(event);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json()["result"], "ignored") << again.body;
  EXPECT_EQ(stripe_.charge_of(ref)["amount_refunded"], 10000) << "refunded once";
  EXPECT_EQ(refund_notifications(tx), 1) << "told once";
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'payment.refunded' AND entity_id = '" + tx + "'"), 1);
}

}  // namespace
}  // namespace rifa::testing
