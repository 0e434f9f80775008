// payout.send through the real sandbox plugin: paid once, recorded once, never sent twice.
#include <set>

#include "engine/clock.hpp"
#include "engine/jobs/job_kinds.hpp"
#include "plugin_runtime/plugin_payment_gateway.hpp"
#include "payout_fixture.hpp"
#include "engine/settlement/payout_service.hpp"
#include "storage/notification_publisher.hpp"
#include "storage/repositories/sql_payout_repository.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;

class PayoutServiceTest : public PayoutTest {
 protected:
  // A PayoutService like the job's, for calling pay() directly.
  settlement::PayoutService service() {
    if (!payments_)
      payments_ = std::make_unique<plugin_runtime::PluginPaymentGateway>(plugins_.get(), settings_.bindings);
    if (!rows_) rows_ = std::make_unique<storage::SqlPayoutRepository>(db(), publisher_);
    return settlement::PayoutService(*rows_, *payments_, clock_);
  }
  void enqueue_payout(const std::string& ganador_id) {
    auto id = queue_->enqueue(
        {jobs::kPayoutSend, {{"ganador_id", ganador_id}}, std::nullopt, "payout:" + ganador_id, kMaxAttempts});
    ASSERT_TRUE(id.ok()) << id.error().message;
  }
  std::string job_status(const std::string& dedupe_key) {
    return text("SELECT status FROM jobs WHERE dedupe_key = '" + dedupe_key + "'");
  }

  engine::SystemClock clock_;
  std::unique_ptr<plugin_runtime::PluginPaymentGateway> payments_;  // made once the plugins are loaded
  std::unique_ptr<storage::SqlPayoutRepository> rows_;              // made once the database is open
  // Resolved when it publishes: settings_ is loaded in SetUp, after this member is made.
  settlement::NotificationPublisher publisher_{
      [this](std::string_view rifa_id, std::string_view categoria) {
        return settings::resolve_bindings(settings_.bindings, rifa_id, categoria).notifiers;
      },
      kMaxAttempts};
};

TEST_F(PayoutServiceTest, PaysEachCashPrizeOnceAndRecordsItWithAuditAndNotifications) {
  const std::string rifa = add_rifa("resuelta", "Normal", 10);
  const std::string ana = add_user("ana"), beto = add_user("beto");
  sell(rifa, ana, {3});
  sell(rifa, beto, {7});
  const std::string g1 = add_ganador(ticket_id(rifa, 3), 0, 5000);
  const std::string g2 = add_ganador(ticket_id(rifa, 7), 1, 3000);
  enqueue_payout(g1);
  enqueue_payout(g2);

  drain();

  for (const auto& [g, monto] : {std::pair{g1, 5000}, std::pair{g2, 3000}}) {
    EXPECT_EQ(job_status("payout:" + g), "succeeded");
    EXPECT_EQ(text("SELECT estado FROM payouts WHERE ganador_id = '" + g + "'"), "enviado");
    EXPECT_EQ(count("SELECT monto FROM payouts WHERE ganador_id = '" + g + "'"), monto);
    const std::string ref = text("SELECT referencia FROM payouts WHERE ganador_id = '" + g + "'");
    EXPECT_EQ(ref.rfind("sbx_po_", 0), 0u) << ref;
    EXPECT_EQ(text("SELECT referencia_pago FROM ganadores WHERE id = '" + g + "'"), ref);
    EXPECT_NE(text("SELECT fecha_pago FROM ganadores WHERE id = '" + g + "'"), "<null>");
    EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'payout.sent' AND entity_id = '" + g + "'"), 1);
    EXPECT_EQ(count("SELECT intentos FROM payouts WHERE ganador_id = '" + g + "'"), 1);
  }
  // The sandbox's own books: one payout per ganador, keyed by the ganador id, with the amount.
  const auto payouts = sandbox_records("payout");
  ASSERT_EQ(payouts.size(), 2u);
  std::set<std::string> keys;
  for (const auto& p : payouts) keys.insert(p["idempotency_key"].get<std::string>());
  EXPECT_EQ(keys, (std::set<std::string>{g1, g2}));

  // payout_sent went to both default notifiers, once per ganador, with the same event id.
  for (const std::string notifier : {"log_a", "log_b"}) {
    std::set<std::string> ids;
    for (const auto& e : notifier_events(notifier)) {
      if (e["type"] == "payout_sent") ids.insert(e["event_id"].get<std::string>());
      EXPECT_EQ(e["rifa_id"], rifa);
    }
    EXPECT_EQ(ids.size(), 2u) << notifier;
  }
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'notify.deliver' AND status = 'succeeded'"), 4);
}

TEST_F(PayoutServiceTest, RunningThePayoutAgainNeverSendsItTwice) {
  const std::string rifa = add_rifa("resuelta", "Normal", 10);
  const std::string ana = add_user("ana");
  sell(rifa, ana, {1});
  const std::string g = add_ganador(ticket_id(rifa, 1), 0, 4200);
  enqueue_payout(g);
  drain();
  const std::string ref = text("SELECT referencia FROM payouts WHERE ganador_id = '" + g + "'");

  // The job again (a second copy without dedupe, as a second host or a retry would run it), and
  // the service called directly twice more.
  ASSERT_TRUE(queue_->enqueue({jobs::kPayoutSend, {{"ganador_id", g}}, std::nullopt, std::nullopt, 3}).ok());
  drain();
  auto svc = service();
  for (int i = 0; i < 2; ++i) {
    auto again = svc.pay(g);
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_EQ(again->estado, "enviado");
    EXPECT_EQ(again->referencia, ref);
  }
  EXPECT_EQ(sandbox_records("payout").size(), 1u);
  EXPECT_EQ(count("SELECT intentos FROM payouts WHERE ganador_id = '" + g + "'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'payout.sent'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'notify.deliver'"), 2);  // log_a + log_b, once
}

TEST_F(PayoutServiceTest, ADeclinedPayoutIsRetriedThenDeadAndNeverMarkedPaid) {
  const std::string rifa = add_rifa("resuelta", "Normal", 10);
  const std::string ana = add_user("ana");
  sell(rifa, ana, {2});
  const std::string g = add_ganador(ticket_id(rifa, 2), 0, kDeclinedCents);
  enqueue_payout(g);

  drain();
  EXPECT_EQ(job_status("payout:" + g), "queued");  // back in the queue after backoff
  EXPECT_EQ(text("SELECT estado FROM payouts WHERE ganador_id = '" + g + "'"), "fallido");
  EXPECT_NE(text("SELECT motivo FROM payouts WHERE ganador_id = '" + g + "'").find("declined by sandbox"),
            std::string::npos);
  for (int attempt = 2; attempt <= kMaxAttempts; ++attempt) {
    advance(std::chrono::hours(2));
    drain();
  }
  EXPECT_EQ(job_status("payout:" + g), "dead");
  EXPECT_NE(text("SELECT last_error FROM jobs WHERE dedupe_key = 'payout:" + g + "'").find("declined"),
            std::string::npos);
  EXPECT_EQ(count("SELECT intentos FROM payouts WHERE ganador_id = '" + g + "'"), kMaxAttempts);
  EXPECT_EQ(text("SELECT fecha_pago FROM ganadores WHERE id = '" + g + "'"), "<null>");
  EXPECT_EQ(text("SELECT referencia_pago FROM ganadores WHERE id = '" + g + "'"), "<null>");
  // One failure event, however many attempts: audit and payout_failed to each notifier once.
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'payout.failed'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'notify.deliver' AND dedupe_key LIKE 'payout_failed:%'"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'notify.deliver' AND dedupe_key LIKE 'payout_sent:%'"), 0);
  // The sandbox recorded the declined payout once and answered every retry from that record.
  ASSERT_EQ(sandbox_records("payout").size(), 1u);
  EXPECT_EQ(sandbox_records("payout")[0]["status"], "failed");
}

// The plugin paid, then the database refused the write (a trigger makes the ganadores update
// fail: a real failure of the real database) and the host "restarts" (plugins reloaded from the
// sandbox's state file). The retry must get the same payout back, not a second one.
TEST_F(PayoutServiceTest, AFailedWriteAfterTheProviderPaidIsRecordedOnRetryWithoutPayingTwice) {
  const std::string rifa = add_rifa("resuelta", "Normal", 10);
  const std::string ana = add_user("ana");
  sell(rifa, ana, {5});
  const std::string g = add_ganador(ticket_id(rifa, 5), 0, 6100);
  if (test_db_->backend() == storage::Backend::kPostgresql) {
    exec(
        "CREATE FUNCTION refuse_payment_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION "
        "'simulated failure after the provider answered'; END $$");
    exec(
        "CREATE TRIGGER refuse_payment_write BEFORE UPDATE OF referencia_pago ON ganadores FOR EACH ROW EXECUTE "
        "FUNCTION refuse_payment_write()");
  } else {
    exec(
        "CREATE TRIGGER refuse_payment_write BEFORE UPDATE OF referencia_pago ON ganadores BEGIN SELECT "
        "RAISE(ABORT, 'simulated failure after the provider answered'); END");
  }

  auto failed = service().pay(g);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message.find("simulated failure"), std::string::npos) << failed.error().message;
  ASSERT_EQ(sandbox_records("payout").size(), 1u);  // the money left
  const std::string paid_ref = sandbox_records("payout")[0]["ref"];
  EXPECT_EQ(text("SELECT estado FROM payouts WHERE ganador_id = '" + g + "'"), "pendiente");
  EXPECT_EQ(count("SELECT intentos FROM payouts WHERE ganador_id = '" + g + "'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'payout.sent'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'notify.deliver'"), 0);  // rolled back with it

  exec("DROP TRIGGER refuse_payment_write" +
       std::string(test_db_->backend() == storage::Backend::kPostgresql ? " ON ganadores" : ""));
  unload_plugins();
  load_plugins();
  enqueue_payout(g);
  drain();

  EXPECT_EQ(text("SELECT estado FROM payouts WHERE ganador_id = '" + g + "'"), "enviado");
  EXPECT_EQ(text("SELECT referencia FROM payouts WHERE ganador_id = '" + g + "'"), paid_ref);
  EXPECT_EQ(text("SELECT referencia_pago FROM ganadores WHERE id = '" + g + "'"), paid_ref);
  EXPECT_EQ(count("SELECT intentos FROM payouts WHERE ganador_id = '" + g + "'"), 2);
  EXPECT_EQ(sandbox_records("payout").size(), 1u);  // still one payout at the provider
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'payout.sent'"), 1);
}

TEST_F(PayoutServiceTest, APrizeInKindIsNeverSentThroughThePlugin) {
  const json reglas = {{"tiers",
                        {{{"name", "moto"},
                          {"match", {{"field", "numero"}, {"digits", "last"}, {"count", 1}}},
                          {"prize", {{"type", "in_kind"}, {"description", "Una moto"}, {"value_cents", 900000}}}}}}};
  const std::string rifa = add_rifa("resuelta", "Normal", 10, 1000, reglas);
  const std::string ana = add_user("ana");
  sell(rifa, ana, {4});
  const std::string g = add_ganador(ticket_id(rifa, 4), 0, 0);
  enqueue_payout(g);
  drain();
  EXPECT_EQ(job_status("payout:" + g), "succeeded");
  EXPECT_EQ(text("SELECT tipo FROM payouts WHERE ganador_id = '" + g + "'"), "in_kind");
  EXPECT_EQ(text("SELECT estado FROM payouts WHERE ganador_id = '" + g + "'"), "pendiente");
  EXPECT_TRUE(sandbox_records("payout").empty());
}

TEST_F(PayoutServiceTest, APrizeOfACancelledRifaIsNeverPaid) {
  const std::string rifa = add_rifa("cancelada", "Normal", 10);
  const std::string ana = add_user("ana");
  sell(rifa, ana, {8});
  const std::string g = add_ganador(ticket_id(rifa, 8), 0, 3000);
  auto refused = service().pay(g);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_NE(refused.error().message.find("its rifa is cancelada"), std::string::npos) << refused.error().message;
  EXPECT_EQ(count("SELECT count(*) FROM payouts"), 0);
  EXPECT_TRUE(sandbox_records("payout").empty());
}

// A prize goes out through the payment instance its rifa froze at activation (rifas.payment_instance),
// whatever the live bindings name now: here "elsewhere", which this process has not loaded (a host
// not yet reloaded), so nothing is paid and the payout names it, instead of paying through "sandbox".
TEST_F(PayoutServiceTest, APrizeIsPaidThroughTheInstanceItsRifaFroze) {
  const std::string rifa = add_rifa("resuelta", "Normal", 10);
  exec("UPDATE rifas SET payment_instance = 'elsewhere' WHERE id = '" + rifa + "'");
  sell(rifa, add_user("ana"), {4});
  const std::string g = add_ganador(ticket_id(rifa, 4), 0, 4200);
  auto paid = service().pay(g);
  ASSERT_FALSE(paid.ok());
  EXPECT_NE(paid.error().message.find("no payment plugin instance 'elsewhere' is loaded"), std::string::npos)
      << paid.error().message;
  EXPECT_EQ(text("SELECT provider FROM payouts WHERE ganador_id = '" + g + "'"), "elsewhere");
  EXPECT_TRUE(sandbox_records("payout").empty()) << "paid through the live binding, not the frozen instance";
}

TEST_F(PayoutServiceTest, AnUnknownGanadorEndsDeadNotPaid) {
  enqueue_payout("00000000-0000-4000-8000-000000000000");
  for (int i = 0; i < kMaxAttempts; ++i) {
    drain();
    advance(std::chrono::hours(2));
  }
  EXPECT_EQ(job_status("payout:00000000-0000-4000-8000-000000000000"), "dead");
  EXPECT_TRUE(sandbox_records("payout").empty());
}

}  // namespace
}  // namespace rifa::testing
