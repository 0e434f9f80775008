// Payments that stay pending (the sandbox's manual mode) and are decided later: signed webhooks
// (replayed, reordered, forged, stale), hold expiry and reconciliation, with the real plugin.
#include "app/sales_jobs.hpp"
#include "engine/jobs/job_kinds.hpp"
#include "engine/jobs/job_queue.hpp"
#include "storage/sql_job_queue.hpp"
#include "jobs/job_runner.hpp"
#include "sales_fixture.hpp"

#include <thread>

#include <spdlog/sinks/null_sink.h>

namespace rifa::testing {
namespace {

using nlohmann::json;

class WebhookTest : public SalesApiTest {
 protected:
  // A pending purchase of `quantity` numbers in a rifa paid through "sandbox_manual".
  json pending_purchase(const Account& who, int quantity, const std::string& key) {
    if (manual_rifa_.empty()) manual_rifa_ = active_rifa("Manual", 5000, 10);
    auto r = buy(who, manual_rifa_, quantity, key);
    EXPECT_EQ(r.status, 201) << r.body;
    const json j = r.json();
    EXPECT_EQ(j.value("status", ""), "pending") << r.body;
    return j;
  }
  long long tickets_in(const std::string& estado) {
    return count("SELECT count(*) FROM tickets WHERE rifa_id = '" + manual_rifa_ + "' AND estado = '" + estado + "'");
  }
  long long audit_rows() { return count("SELECT count(*) FROM audit_log"); }
  // Tells the plugin (not the host) that the payment succeeded, as if the host missed the webhook.
  void confirm_at_provider_only(const std::string& provider_ref) {
    const std::string body = payment_event("payment.succeeded", provider_ref, "evt_direct");
    const int64_t t =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    const std::string headers = "rifa-sandbox-signature: t=" + std::to_string(t) +
                                ",v1=" + hmac_sha256_hex(kSandboxSecret, std::to_string(t) + "." + body) + "\n";
    auto call = plugins_->find("sandbox_manual")->verify_webhook("POST", headers, body);
    ASSERT_TRUE(call.ok()) << call.error;
  }

  static jobs::EnqueueRequest job(const char* kind) {
    jobs::EnqueueRequest request;
    request.kind = kind;
    return request;
  }

  std::string manual_rifa_;
};

TEST_F(WebhookTest, APendingPurchaseHoldsItsNumbersUntilTheSignedWebhookSellsThem) {
  const auto ana = register_jugador("ana@rifa.test");
  const json p = pending_purchase(ana, 2, "k1");
  ASSERT_EQ(p["tickets"].size(), 2u);
  EXPECT_EQ(p["tickets"][0]["estado"], "reservado");
  EXPECT_TRUE(p.contains("hold_expires_at"));
  EXPECT_EQ(tickets_in("reservado"), 2);
  const std::string tx = p["transaccion_id"];
  const std::string ref = provider_ref_of(tx);
  ASSERT_FALSE(ref.empty());

  const std::string event = payment_event("payment.succeeded", ref, "evt_ok");
  auto applied = send_webhook("sandbox_manual", event);
  ASSERT_EQ(applied.status, 200) << applied.body;
  EXPECT_EQ(applied.json()["result"], "applied");
  EXPECT_EQ(applied.json()["status"], "succeeded");
  EXPECT_EQ(status_of(tx), "succeeded");
  EXPECT_EQ(tickets_in("vendido"), 2);
  EXPECT_EQ(tickets_in("reservado"), 0);

  // Replayed: nothing changes twice.
  const long long audits = audit_rows();
  auto replay = send_webhook("sandbox_manual", event);
  ASSERT_EQ(replay.status, 200) << replay.body;
  EXPECT_EQ(replay.json()["result"], "ignored");
  EXPECT_EQ(audit_rows(), audits);

  // Reordered: a failure arriving after the success does not undo the sale.
  auto late_failure = send_webhook("sandbox_manual", payment_event("payment.failed", ref, "evt_fail"));
  ASSERT_EQ(late_failure.status, 200) << late_failure.body;
  EXPECT_EQ(late_failure.json()["result"], "ignored");
  EXPECT_EQ(status_of(tx), "succeeded");
  EXPECT_EQ(tickets_in("vendido"), 2);
  EXPECT_EQ(audit_rows(), audits);

  // The key still answers the first answer (pending), as the IETF draft asks.
  auto again = buy(ana, manual_rifa_, 2, "k1");
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.json(), p);
}

TEST_F(WebhookTest, TheProvidersOwnDelayedWebhookSellsTheHeldNumbers) {
  add_delayed_sandbox();
  const auto rifa = active_rifa("Delayed", 5000, 10);
  const auto ana = register_jugador("delayed@rifa.test");
  auto r = buy(ana, rifa, 2, "d1");
  ASSERT_EQ(r.status, 201) << r.body;
  const json p = r.json();
  EXPECT_EQ(p["status"], "pending");
  const std::string tx = p["transaccion_id"];
  // The plugin's sender thread delivers it over real HTTP; wait for it (bounded), never time it.
  for (int i = 0; i < 200 && status_of(tx) == "pending"; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(status_of(tx), "succeeded");
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE transaccion_id = '" + tx + "' AND estado = 'vendido'"), 2);
  EXPECT_EQ(
      count("SELECT count(*) FROM audit_log WHERE action = 'payment.succeeded' AND actor = 'webhook:sandbox_delayed'"),
      1);
}

TEST_F(WebhookTest, AFailedWebhookReleasesTheNumbersAndALateSuccessCannotResurrectThem) {
  const auto ana = register_jugador("ana2@rifa.test");
  const json p = pending_purchase(ana, 3, "k1");
  const std::string tx = p["transaccion_id"];
  const std::string ref = provider_ref_of(tx);
  auto failed = send_webhook(
      "sandbox_manual",
      json{{"event_id", "evt_f"}, {"type", "payment.failed"}, {"provider_ref", ref}, {"reason", "insufficient funds"}}
          .dump());
  ASSERT_EQ(failed.status, 200) << failed.body;
  EXPECT_EQ(failed.json()["result"], "applied");
  EXPECT_EQ(status_of(tx), "failed");
  EXPECT_EQ(tickets_in("disponible"), 10);
  EXPECT_EQ(count("SELECT count(*) FROM transacciones WHERE failure_reason = 'insufficient funds'"), 1);
  auto late = send_webhook("sandbox_manual", payment_event("payment.succeeded", ref, "evt_s"));
  EXPECT_EQ(late.json()["result"], "ignored") << late.body;
  EXPECT_EQ(status_of(tx), "failed");
  EXPECT_EQ(tickets_in("disponible"), 10);
}

TEST_F(WebhookTest, APaymentArrivingAfterTheHoldWasReleasedIsRefundedNotSold) {
  const auto ana = register_jugador("late@rifa.test");
  const json p = pending_purchase(ana, 2, "k1");
  const std::string tx = p["transaccion_id"];
  const std::string ref = provider_ref_of(tx);
  clock_.advance(std::chrono::seconds(901));
  ASSERT_TRUE(wiring_->sales().payments().expire_holds(clock_.now()).ok());
  ASSERT_EQ(status_of(tx), "failed");
  // Someone else buys the released numbers.
  const auto beto = register_jugador("beto-late@rifa.test");
  ASSERT_EQ(buy(beto, manual_rifa_, 2, "b1").status, 201);

  // Then Ana's payment goes through at the provider after all.
  const std::string event = payment_event("payment.succeeded", ref, "evt_late_paid");
  auto late = send_webhook("sandbox_manual", event);
  ASSERT_EQ(late.status, 200) << late.body;
  EXPECT_EQ(late.json()["result"], "refunded");
  EXPECT_EQ(status_of(tx), "refunded");
  auto at_provider = plugins_->find("sandbox_manual")->get_payment(ref);
  ASSERT_TRUE(at_provider.ok()) << at_provider.error;
  EXPECT_EQ(json::parse(at_provider.result)["status"], "refunded");
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE usuario_id = '" + ana.id + "'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'payment.refunded' AND entity_id = '" + tx + "'"), 1);
  // A repeat refunds nothing twice.
  auto again = send_webhook("sandbox_manual", event);
  EXPECT_EQ(again.json()["result"], "ignored") << again.body;
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'payment.refunded'"), 1);
}

TEST_F(WebhookTest, ForgedStaleOrUnsignedWebhooksAre400AndChangeNothing) {
  const auto ana = register_jugador("ana3@rifa.test");
  const json p = pending_purchase(ana, 1, "k1");
  const std::string tx = p["transaccion_id"];
  const std::string event = payment_event("payment.succeeded", provider_ref_of(tx));
  const long long audits = audit_rows();
  expect_problem(send_webhook("sandbox_manual", event, 0, "a-forged-secret-0123456789abcdef"), 400);
  const int64_t hour_ago =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count() -
      3600;
  expect_problem(send_webhook("sandbox_manual", event, hour_ago), 400);
  expect_problem(http_call("POST", url("/api/v1/webhooks/sandbox_manual"), event), 400);
  // The body changed after signing.
  auto tampered = http_call("POST", url("/api/v1/webhooks/sandbox_manual"), event + " ", "",
                            {"rifa-sandbox-signature: t=1,v1=" + std::string(64, '0')});
  expect_problem(tampered, 400);
  EXPECT_EQ(status_of(tx), "pending");
  EXPECT_EQ(tickets_in("reservado"), 1);
  EXPECT_EQ(audit_rows(), audits);
}

TEST_F(WebhookTest, UnknownInstancesPaymentsAndMalformedEventsAre4xx) {
  expect_problem(send_webhook("nope", payment_event("payment.succeeded", "sbx_x")), 404);
  expect_problem(send_webhook("sandbox_manual", payment_event("payment.succeeded", "sbx_unknown")), 404);
  expect_problem(send_webhook("sandbox_manual", "{not json"), 422);
  expect_problem(send_webhook("sandbox_manual", "[]"), 422);
  expect_problem(
      send_webhook("sandbox_manual", json{{"event_id", "e"}, {"type", "weird"}, {"provider_ref", "r"}}.dump()), 422);
  expect_problem(send_webhook("sandbox_manual", json{{"event_id", 5}}.dump()), 422);
  expect_problem(send_webhook("%27%3B%20DROP%20TABLE%20transacciones%3B%20--", "{}"), 404);
  auto get = call("GET", "/api/v1/webhooks/sandbox_manual");
  EXPECT_EQ(get.status, 405);
}

TEST_F(WebhookTest, ExpiredHoldsAreReleasedUnlessTheProviderSaysTheyWerePaid) {
  const auto ana = register_jugador("ana4@rifa.test");
  const json unpaid = pending_purchase(ana, 2, "k1");
  const json paid = pending_purchase(ana, 3, "k2");
  const std::string unpaid_tx = unpaid["transaccion_id"], paid_tx = paid["transaccion_id"];
  confirm_at_provider_only(provider_ref_of(paid_tx));

  auto& payments = wiring_->sales().payments();
  auto early = payments.expire_holds(clock_.now());
  ASSERT_TRUE(early.ok()) << early.error().message;
  EXPECT_EQ(early->examined, 0);
  EXPECT_EQ(tickets_in("reservado"), 5);

  clock_.advance(std::chrono::seconds(901));  // the default hold is 900 s
  auto swept = payments.expire_holds(clock_.now());
  ASSERT_TRUE(swept.ok()) << swept.error().message;
  EXPECT_EQ(swept->examined, 2);
  EXPECT_EQ(swept->changed, 2);
  EXPECT_EQ(status_of(unpaid_tx), "failed");
  EXPECT_EQ(count("SELECT count(*) FROM transacciones WHERE failure_reason = 'hold expired'"), 1);
  EXPECT_EQ(status_of(paid_tx), "succeeded");
  EXPECT_EQ(tickets_in("vendido"), 3);
  EXPECT_EQ(tickets_in("disponible"), 7);
  EXPECT_EQ(tickets_in("reservado"), 0);

  // A second run finds nothing; a webhook for the expired one arriving now changes nothing.
  auto twice = payments.expire_holds(clock_.now());
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(twice->examined, 0);
  auto late = send_webhook("sandbox_manual", payment_event("payment.failed", provider_ref_of(paid_tx), "evt_late"));
  EXPECT_EQ(late.json()["result"], "ignored") << late.body;
  EXPECT_EQ(status_of(paid_tx), "succeeded");
}

TEST_F(WebhookTest, ReconciliationAsksTheProviderAboutOldPendingPaymentsThroughTheJobQueue) {
  const auto ana = register_jugador("ana5@rifa.test");
  const json p = pending_purchase(ana, 2, "k1");
  const json still = pending_purchase(ana, 1, "k2");
  const std::string tx = p["transaccion_id"], still_tx = still["transaccion_id"];
  confirm_at_provider_only(provider_ref_of(tx));

  // Run it the way the host does: as jobs on the durable queue.
  storage::SqlJobQueue queue(test_db_->db(), [this] { return clock_.now(); });
  jobs::JobRunner runner(queue, jobs::RunnerOptions{"test-host"},
                         std::make_shared<spdlog::logger>("jobs", std::make_shared<spdlog::sinks::null_sink_mt>()));
  app::register_sales_jobs(runner, wiring_->sales().payments(), clock_,
                           std::make_shared<spdlog::logger>("sales", std::make_shared<spdlog::sinks::null_sink_mt>()));
  ASSERT_TRUE(queue.enqueue(job(jobs::kReconcilePayments)).ok());
  EXPECT_EQ(runner.drain(), 1);
  EXPECT_EQ(status_of(tx), "pending") << "younger than reconcile_pending_after_s: not asked yet";

  clock_.advance(std::chrono::seconds(301));
  ASSERT_TRUE(queue.enqueue(job(jobs::kReconcilePayments)).ok());
  EXPECT_EQ(runner.drain(), 1);
  EXPECT_EQ(status_of(tx), "succeeded");
  EXPECT_EQ(tickets_in("vendido"), 2);
  EXPECT_EQ(status_of(still_tx), "pending");
  EXPECT_EQ(tickets_in("reservado"), 1);
  EXPECT_EQ(
      count("SELECT count(*) FROM audit_log WHERE action = 'payment.succeeded' AND actor = 'job:payments.reconcile'"),
      1);

  clock_.advance(std::chrono::seconds(900));
  ASSERT_TRUE(queue.enqueue(job(jobs::kExpireHolds)).ok());
  EXPECT_EQ(runner.drain(), 1);
  EXPECT_EQ(status_of(still_tx), "failed");
  EXPECT_EQ(tickets_in("reservado"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE status = 'succeeded'"), 3);
}

}  // namespace
}  // namespace rifa::testing
