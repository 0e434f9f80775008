// Issue 11's money holes, each tried as the attacker did, over real HTTP with the real
// payment_sandbox and lottery_mock libraries, the test's clock and no job runner unless a test
// runs one: sales after fecha_fin, confirmations after the close or for another amount, one buyer
// holding a rifa's numbers, prizes paid for refunded tickets, and settlement on a re-pointed loteria.
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include <spdlog/sinks/null_sink.h>

#include "app/payout_jobs.hpp"
#include "engine/iso_time.hpp"
#include "engine/jobs/job_queue.hpp"
#include "storage/sql_job_queue.hpp"
#include "jobs/job_runner.hpp"
#include "jobs/settlement_scheduler.hpp"
#include "sales_fixture.hpp"
#include "engine/settlement/draw_timing.hpp"
#include "engine/settlement/settlement_service.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;

// Tomorrow in Bogota: after any fecha_fin these tests set (now + 1 h).
std::string draw_date() { return settlement::bogota_date(std::chrono::system_clock::now() + std::chrono::hours(26)); }

const json kLastTwo = {
    {"tiers",
     {{{"name", "mayor"}, {"match", {{"field", "numero"}, {"digits", "last"}, {"count", 2}}}, {"share_bp", 10000}}}},
    {"unsold", "house"}};

constexpr int kHeldCap = 5;

class MoneyHolesTest : public SalesApiTest {
 protected:
  void configure_api(app::ApiWiringOptions& options) override {
    SalesApiTest::configure_api(options);
    options.sales.max_held_per_buyer = kHeldCap;
    options.token_ttl_s = 7 * 24 * 3600;  // the tests move the clock past fecha_fin
    plugin_runtime::HostServices services;
    services.logger = std::make_shared<spdlog::logger>("plugin.mock", std::make_shared<spdlog::sinks::null_sink_mt>());
    services.now_unix_ms = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
    const json config = {{"seed", "money"}, {"scripted", {{draw_date(), {"ok"}}}}};
    auto added = plugins_->add(
        {"mock", std::filesystem::path(RIFA_PLUGIN_DIR) / "liblottery_mock.so", RIFA_KIND_LOTTERY, config}, services);
    ASSERT_TRUE(added.ok()) << added.error().message;
    options.bindings.defaults.lottery = "mock";
    bindings_ = options.bindings;
  }

  // A rifa of `categoria` (paid through "sandbox", or "sandbox_manual" for "Manual") selling from
  // the test clock's now until one hour later (whole seconds), drawn on draw_date(), made activa.
  std::string open_rifa(const std::string& categoria, int64_t precio = 5000) {
    if (!categorias_.count(categoria)) categorias_[categoria] = create_categoria(categoria, precio);
    if (loteria_id_.empty()) loteria_id_ = create_loteria("Mock", "mock");
    categoria_id_ = categorias_[categoria];
    const auto now = std::chrono::floor<std::chrono::seconds>(clock_.now());
    auto rifa = create_rifa({{"fecha_inicio", engine::format_iso_time(now - std::chrono::hours(1))},
                             {"fecha_fin", engine::format_iso_time(now + std::chrono::hours(1))},
                             {"fecha_sorteo", draw_date()},
                             {"reglas", kLastTwo}});
    const std::string id = rifa.value("id", "");
    EXPECT_EQ(call("PATCH", "/api/v1/rifas/" + id, json{{"estado", "activa"}}, admin_.token).status, 200);
    return id;
  }

  json pending(const Account& who, const std::string& rifa, int quantity, const std::string& key) {
    auto r = buy(who, rifa, quantity, key);
    EXPECT_EQ(r.status, 201) << r.body;
    const json j = r.json();
    EXPECT_EQ(j.value("status", ""), "pending") << r.body;
    return j;
  }

  long long tickets_in(const std::string& rifa, const std::string& estado) {
    return count("SELECT count(*) FROM tickets WHERE rifa_id = '" + rifa + "' AND estado = '" + estado + "'");
  }
  long long audits(const std::string& action, const std::string& entity_id) {
    return count("SELECT count(*) FROM audit_log WHERE action = '" + action + "' AND entity_id = '" + entity_id + "'");
  }
  // What the plugin itself says about a payment (status, amount_cents, currency).
  json at_provider(const std::string& instance, const std::string& ref) {
    auto call = plugins_->find(instance)->get_payment(ref);
    EXPECT_TRUE(call.ok()) << call.error;
    return call.ok() ? json::parse(call.result) : json::object();
  }
  static std::string event(const std::string& type, const std::string& ref, const std::string& id, json extra = {}) {
    json e = json::parse(payment_event(type, ref, id));
    if (extra.is_object()) e.update(extra);
    return e.dump();
  }

  // Runs the due jobs with the queue's clock three days ahead (past the draw's publication):
  // settlement's; with `payouts` also the payout jobs, a month ahead (past the backoff of the
  // payout attempt the first run made without a handler for it).
  int run_jobs(bool payouts) {
    const auto ahead = payouts ? std::chrono::hours(24 * 30) : std::chrono::hours(72);
    storage::SqlJobQueue queue(test_db_->db(), [ahead] { return std::chrono::system_clock::now() + ahead; });
    jobs::JobRunner runner(queue, jobs::RunnerOptions{"money-test", 1},
                           std::make_shared<spdlog::logger>("jobs", std::make_shared<spdlog::sinks::null_sink_mt>()));
    settlement::register_settlement_jobs(runner, wiring_->settlement());
    settings::Settings settings;
    settings.bindings = bindings_;
    settings.jobs.max_attempts = 1;
    if (payouts) app::register_payout_jobs(runner, test_db_->db(), settings, *plugins_);
    return runner.drain();
  }

  settings::Bindings bindings_;
};

// Item 1: the purchase itself checks fecha_fin; the closing job is not what stops sales.
TEST_F(MoneyHolesTest, NoPurchaseSucceedsAtOrAfterFechaFinWithNoJobRunning) {
  const std::string rifa = open_rifa("Oro");
  const auto ana = register_jugador("ana@rifa.test");
  ASSERT_EQ(buy(ana, rifa, 1, "before").status, 201);
  clock_.advance(std::chrono::hours(1));  // at fecha_fin (within the second)
  expect_problem(buy(ana, rifa, 1, "at-the-end"), 409, "fecha_fin");
  clock_.advance(std::chrono::seconds(40));
  expect_problem(buy(ana, rifa, 1, "after"), 409, "fecha_fin");
  EXPECT_EQ(tickets_in(rifa, "vendido"), 1);
  EXPECT_EQ(tickets_in(rifa, "reservado"), 0);
  EXPECT_EQ(call("GET", "/api/v1/rifas/" + rifa).json()["estado"], "activa");  // nothing closed it
}

// Items 1 and 11: a hold confirmed after fecha_fin does not sell; the money goes back once.
TEST_F(MoneyHolesTest, AConfirmationAfterFechaFinIsRefundedOnceAndSellsNothing) {
  const std::string rifa = open_rifa("Manual");
  const auto ana = register_jugador("ana@rifa.test");
  const json p = pending(ana, rifa, 2, "k1");
  const std::string tx = p["transaccion_id"];
  const std::string ref = provider_ref_of(tx);
  clock_.advance(std::chrono::hours(2));

  const std::string late = event("payment.succeeded", ref, "evt_late");
  auto reply = send_webhook("sandbox_manual", late);
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json()["result"], "refunded") << reply.body;
  EXPECT_EQ(status_of(tx), "refunded");
  EXPECT_EQ(tickets_in(rifa, "vendido"), 0);
  EXPECT_EQ(tickets_in(rifa, "reservado"), 0);
  EXPECT_EQ(at_provider("sandbox_manual", ref)["status"], "refunded");

  auto again = send_webhook("sandbox_manual", late);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json()["result"], "ignored") << again.body;
  EXPECT_EQ(audits("payment.refunded", tx), 1);
}

// Item 2: the attack as reproduced, a 600,000 purchase confirmed with amount_cents 1.
TEST_F(MoneyHolesTest, AConfirmationForAnotherAmountOrCurrencyIsRefusedAuditedAndSellsNothing) {
  const std::string rifa = open_rifa("Manual", 600'000);
  const auto ana = register_jugador("ana@rifa.test");
  const json p = pending(ana, rifa, 1, "k1");
  const std::string tx = p["transaccion_id"];
  const std::string ref = provider_ref_of(tx);

  auto underpaid = send_webhook(
      "sandbox_manual", event("payment.succeeded", ref, "evt_1cent", {{"amount_cents", 1}, {"currency", "COP"}}));
  ASSERT_EQ(underpaid.status, 200) << underpaid.body;
  EXPECT_EQ(underpaid.json()["result"], "refused") << underpaid.body;
  EXPECT_EQ(status_of(tx), "pending");
  EXPECT_EQ(tickets_in(rifa, "vendido"), 0);
  EXPECT_EQ(tickets_in(rifa, "reservado"), 1);

  auto other_currency = send_webhook(
      "sandbox_manual", event("payment.succeeded", ref, "evt_usd", {{"amount_cents", 600'000}, {"currency", "USD"}}));
  ASSERT_EQ(other_currency.status, 200) << other_currency.body;
  EXPECT_EQ(other_currency.json()["result"], "refused") << other_currency.body;
  EXPECT_EQ(status_of(tx), "pending");
  EXPECT_EQ(audits("payment.mismatch", tx), 2);

  auto exact = send_webhook(
      "sandbox_manual", event("payment.succeeded", ref, "evt_ok", {{"amount_cents", 600'000}, {"currency", "COP"}}));
  ASSERT_EQ(exact.status, 200) << exact.body;
  EXPECT_EQ(exact.json()["result"], "applied") << exact.body;
  EXPECT_EQ(tickets_in(rifa, "vendido"), 1);
}

// Item 2: an event that does not say the amount is checked against what the provider reports.
TEST_F(MoneyHolesTest, AConfirmationWithoutAnAmountIsCheckedAgainstTheProvidersPayment) {
  const std::string rifa = open_rifa("Manual", 600'000);
  const auto ana = register_jugador("ana@rifa.test");
  const json p = pending(ana, rifa, 1, "k1");
  const std::string tx = p["transaccion_id"];
  const std::string ref = provider_ref_of(tx);
  ASSERT_EQ(at_provider("sandbox_manual", ref)["amount_cents"], 600'000);
  auto reply = send_webhook("sandbox_manual", event("payment.succeeded", ref, "evt_plain"));
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json()["result"], "applied") << reply.body;
  EXPECT_EQ(status_of(tx), "succeeded");
}

// Item 8: one buyer cannot hold a rifa's numbers with payments left pending.
TEST_F(MoneyHolesTest, OneBuyerHoldsAtMostTheCapOfARifasNumbers) {
  const std::string rifa = open_rifa("Manual");
  const auto ana = register_jugador("ana@rifa.test");
  const auto bob = register_jugador("bob@rifa.test");
  const json first = pending(ana, rifa, 3, "a1");
  auto over = buy(ana, rifa, 3, "a2");
  expect_problem(over, 409, "quantity");
  EXPECT_NE(over.json().value("detail", "").find("at most 5"), std::string::npos) << over.body;
  pending(ana, rifa, 2, "a3");                               // 5 held: exactly the cap
  expect_problem(buy(ana, rifa, 1, "a4"), 409, "quantity");  // one more is refused
  pending(bob, rifa, kHeldCap, "b1");                        // the cap is per buyer
  EXPECT_EQ(tickets_in(rifa, "reservado"), 10);

  // A confirmed purchase is no longer held: its buyer may hold again.
  const std::string ref = provider_ref_of(first["transaccion_id"]);
  ASSERT_EQ(send_webhook("sandbox_manual", event("payment.succeeded", ref, "evt_a1")).json()["result"], "applied");
  pending(ana, rifa, 3, "a5");
  EXPECT_EQ(buy(ana, rifa, 3, "a2").status, 409);  // the refused key answers its refusal again
}

// Item 8 under concurrency: many purchases of one buyer at once still stop at the cap.
TEST_F(MoneyHolesTest, ConcurrentPurchasesOfOneBuyerStopAtTheCap) {
  const std::string rifa = open_rifa("Manual");
  const auto ana = register_jugador("ana@rifa.test");
  constexpr int kBuyers = 12;
  std::atomic<int> created{0}, refused{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kBuyers; ++i) {
    threads.emplace_back([&, i] {
      const json body = {{"quantity", 1}, {"payment_method", "card"}, {"idempotency_key", "c" + std::to_string(i)}};
      auto r = http_call("POST", url("/api/v1/rifas/" + rifa + "/tickets"), body.dump(), ana.token);
      if (r.status == 201) {
        ++created;
      } else if (r.status == 409) {
        ++refused;
      } else {
        ++other;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), kHeldCap);
  EXPECT_EQ(refused.load(), kBuyers - kHeldCap);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(tickets_in(rifa, "reservado"), kHeldCap);
}

// Item 11: closing releases the pending holds before any draw; a success after the close and
// after the settlement sells nothing and is refunded once through the plugin.
TEST_F(MoneyHolesTest, ClosingReleasesPendingHoldsAndALateSuccessIsRefundedOnce) {
  const std::string rifa = open_rifa("Manual");
  const auto ana = register_jugador("ana@rifa.test");
  const json p = pending(ana, rifa, 2, "k1");
  const std::string tx = p["transaccion_id"];
  const std::string ref = provider_ref_of(tx);

  auto closed = call("POST", "/api/v1/rifas/" + rifa + "/cerrar", "", admin_.token);
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(tickets_in(rifa, "reservado"), 0);
  EXPECT_EQ(status_of(tx), "failed");

  EXPECT_GE(run_jobs(false), 1);
  ASSERT_EQ(call("GET", "/api/v1/rifas/" + rifa).json()["estado"], "resuelta");

  const std::string late = event("payment.succeeded", ref, "evt_late");
  auto reply = send_webhook("sandbox_manual", late);
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json()["result"], "refunded") << reply.body;
  EXPECT_EQ(status_of(tx), "refunded");
  EXPECT_EQ(tickets_in(rifa, "vendido"), 0);
  EXPECT_EQ(at_provider("sandbox_manual", ref)["status"], "refunded");
  ASSERT_EQ(send_webhook("sandbox_manual", late).json()["result"], "ignored");
  EXPECT_EQ(audits("payment.refunded", tx), 1);
}

// Item 11: the same late success with its webhook lost on the way (the provider took the money,
// the host never heard): reconciliation asks the provider about the released payment once and
// gives the money back once.
TEST_F(MoneyHolesTest, ALateSuccessWhoseWebhookIsLostIsFoundByReconciliationAndRefundedOnce) {
  const std::string rifa = open_rifa("Manual");
  const auto ana = register_jugador("ana@rifa.test");
  const json p = pending(ana, rifa, 2, "k1");
  const std::string tx = p["transaccion_id"];
  const std::string ref = provider_ref_of(tx);
  ASSERT_EQ(call("POST", "/api/v1/rifas/" + rifa + "/cerrar", "", admin_.token).status, 200);
  ASSERT_EQ(status_of(tx), "failed");

  // The provider's side only: the plugin records the success, the host's PaymentService never runs.
  const std::string lost = event("payment.succeeded", ref, "evt_lost");
  const int64_t now_s =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  const std::string headers = "rifa-sandbox-signature: t=" + std::to_string(now_s) +
                              ",v1=" + hmac_sha256_hex(kSandboxSecret, std::to_string(now_s) + "." + lost);
  auto seen = plugins_->find("sandbox_manual")->verify_webhook("POST", headers, lost);
  ASSERT_TRUE(seen.ok()) << seen.error;
  ASSERT_EQ(at_provider("sandbox_manual", ref)["status"], "succeeded");
  ASSERT_EQ(status_of(tx), "failed");

  auto& payments = wiring_->sales().payments();
  ASSERT_TRUE(payments.reconcile_pending(clock_.now()).ok());
  EXPECT_EQ(status_of(tx), "failed") << "asked before the reconciliation delay";
  clock_.advance(std::chrono::seconds(3600));
  auto swept = payments.reconcile_pending(clock_.now());
  ASSERT_TRUE(swept.ok()) << swept.error().message;
  EXPECT_EQ(swept->changed, 1);
  EXPECT_EQ(status_of(tx), "refunded");
  EXPECT_EQ(at_provider("sandbox_manual", ref)["status"], "refunded");
  EXPECT_EQ(tickets_in(rifa, "vendido"), 0);

  auto again = payments.reconcile_pending(clock_.now());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->examined, 0) << "a released payment is asked about once";
  EXPECT_EQ(audits("payment.refunded", tx), 1);
}

// Item 11: a winning ticket whose purchase was refunded wins nothing.
TEST_F(MoneyHolesTest, NoPrizeIsPaidForAWinningTicketWhosePurchaseWasRefunded) {
  const std::string rifa = open_rifa("Oro");
  const auto ana = register_jugador("ana@rifa.test");
  for (int i = 0; i < 100 / kHeldCap; ++i) {  // every number sold (paid at once, so never held long)
    auto r = buy(ana, rifa, kHeldCap, "all-" + std::to_string(i));
    ASSERT_EQ(r.status, 201) << r.body;
  }
  ASSERT_EQ(call("POST", "/api/v1/rifas/" + rifa + "/cerrar", "", admin_.token).status, 200);
  EXPECT_GE(run_jobs(false), 1);
  const json results = call("GET", "/api/v1/rifas/" + rifa + "/resultados").json();
  ASSERT_EQ(results["ganadores"].size(), 1u) << results.dump();
  const std::string ticket = results["ganadores"][0]["ticket_id"];
  const std::string tx = [&] {
    auto lease = test_db_->db().lease();
    std::string id;
    lease.session() << "SELECT transaccion_id FROM tickets WHERE id = :id", soci::use(ticket), soci::into(id);
    return id;
  }();

  // The provider reports the purchase refunded (a chargeback, or a refund made at the provider).
  auto refunded = send_webhook("sandbox", event("refund.succeeded", provider_ref_of(tx), "evt_refund"));
  ASSERT_EQ(refunded.status, 200) << refunded.body;
  EXPECT_EQ(status_of(tx), "refunded");
  EXPECT_EQ(estado_of(ticket), "anulado");

  EXPECT_GE(run_jobs(true), 1);
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'payout.send' AND attempts >= 2"), 1);  // it did run
  EXPECT_EQ(count("SELECT count(*) FROM payouts WHERE estado = 'enviado'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM ganadores WHERE referencia_pago IS NOT NULL"), 0);
}

// Item 12: settlement takes the draw from the instance frozen in the commitment, not from what the
// loteria row says now.
TEST_F(MoneyHolesTest, SettlementUsesTheCommittedLotteryInstanceNotTheLiveLoteria) {
  const std::string rifa = open_rifa("Oro");
  const auto ana = register_jugador("ana@rifa.test");
  ASSERT_EQ(buy(ana, rifa, 1, "k1").status, 201);
  ASSERT_EQ(call("POST", "/api/v1/rifas/" + rifa + "/cerrar", "", admin_.token).status, 200);
  exec("UPDATE loterias SET plugin_instance = 'bogota' WHERE id = '" + loteria_id_ + "'");  // re-pointed
  run_jobs(false);
  const json results = call("GET", "/api/v1/rifas/" + rifa + "/resultados").json();
  EXPECT_EQ(results["estado"], "resuelta") << results.dump();
  EXPECT_EQ(results["sorteo"]["plugin_instance"], "mock") << results.dump();
}

}  // namespace
}  // namespace rifa::testing
