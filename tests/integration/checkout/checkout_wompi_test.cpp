// The checkout step through payment_wompi (issue 13) over real HTTP, on both databases, against a
// loopback fake of Wompi's API: the purchase reply sends the app to Wompi's web checkout (a
// redirect carrying our transaccion id as the reference and the integrity signature), the buyer
// pays there, and Wompi's event, signed with X-Event-Checksum, sells the numbers; a declined
// payment releases them; a lost event is settled by reconciliation (search by reference).
#include <gtest/gtest.h>

#include <stdlib.h>

#include <soci/soci.h>
#include <spdlog/sinks/null_sink.h>

#include "fake_wompi.hpp"
#include "plugin_runtime/curl_transport.hpp"
#include "sales_fixture.hpp"

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
    const nlohmann::json config = {{"public_key", kPub},
                                   {"private_key_env", "RIFA_E2E_WOMPI_PRV"},
                                   {"events_secret_env", "RIFA_E2E_WOMPI_EVENTS"},
                                   {"integrity_secret_env", "RIFA_E2E_WOMPI_INTEGRITY"},
                                   {"api_base", wompi_.base() + "/v1"},
                                   {"redirect_url", "https://rifa.example/pagos/vuelta"},
                                   {"poll_interval_ms", 0},
                                   {"timeout_ms", 5000}};
    auto added = plugins_->add(
        {"wompi", std::filesystem::path(RIFA_PLUGIN_DIR) / "libpayment_wompi.so", RIFA_KIND_PAYMENT, config}, services);
    ASSERT_TRUE(added.ok()) << added.error().message;
    options.bindings.categorias["PSE"].payment = "wompi";
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

}  // namespace
}  // namespace rifa::testing
