// Cancelling a rifa: the rifa.refund job is queued with the state change, and refunds every paid
// ticket once through the plugin that took the payment.
#include <map>

#include "engine/id_generator.hpp"
#include "engine/rifa_service.hpp"
#include "engine/settlement/refund_service.hpp"
#include "payout_fixture.hpp"
#include "storage/notification_publisher.hpp"
#include "plugin_runtime/plugin_payment_gateway.hpp"
#include "sign_webhook.hpp"
#include "storage/repositories/sql_categoria_repository.hpp"
#include "storage/repositories/sql_loteria_repository.hpp"
#include "storage/repositories/sql_refund_repository.hpp"
#include "storage/repositories/sql_rifa_repository.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;

class RefundTest : public PayoutTest {
 protected:
  // PATCH /rifas/{id} {"estado": "cancelada"} as the API runs it: RifaService over the SQL
  // repositories.
  Result<engine::RifaView> cancel(const std::string& rifa_id) {
    storage::SqlCategoriaRepository categorias(db(), clock_);
    storage::SqlLoteriaRepository loterias(db(), clock_);
    storage::SqlRifaRepository rifas(db(), clock_);
    engine::RandomIdGenerator ids;
    engine::RifaService service(rifas, categorias, loterias, clock_, ids);
    engine::RifaPatch patch;
    patch.estado = engine::RifaEstado::kCancelada;
    return service.update(engine::Actor{admin_, engine::Rol::kAdmin}, rifa_id, patch);
  }
  void SetUp() override {
    PayoutTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    admin_ = add_user("admin");
  }

  engine::SystemClock clock_;
  std::string admin_;
};

TEST_F(RefundTest, CancellingRefundsEveryPaidTicketOnceAndAnnulsThem) {
  const std::string rifa = add_rifa("activa", "Normal", 20, 2500);
  const std::string ana = add_user("ana"), beto = add_user("beto");
  const std::string tx_ana = sell(rifa, ana, {1, 2});  // 5000
  const std::string tx_beto = sell(rifa, beto, {9});   // 2500
  const std::string other = add_rifa("activa", "Normal", 5, 2500);
  const std::string tx_other = sell(other, ana, {0});  // another rifa: left alone

  auto cancelled = cancel(rifa);
  ASSERT_TRUE(cancelled.ok()) << cancelled.error().message;
  EXPECT_EQ(cancelled->rifa.estado, engine::RifaEstado::kCancelada);
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'rifa.refund' AND dedupe_key = 'refund:" + rifa + "'"), 1);

  drain();

  EXPECT_EQ(text("SELECT status FROM jobs WHERE dedupe_key = 'refund:" + rifa + "'"), "succeeded");
  for (const std::string& tx : {tx_ana, tx_beto}) {
    EXPECT_EQ(text("SELECT status FROM transacciones WHERE id = '" + tx + "'"), "refunded");
    EXPECT_EQ(text("SELECT status FROM reembolsos WHERE transaccion_id = '" + tx + "'"), "succeeded");
    EXPECT_EQ(text("SELECT refund_ref FROM reembolsos WHERE transaccion_id = '" + tx + "'").rfind("sbx_re_", 0), 0u);
    EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'refund' AND entity_id = '" + tx + "'"), 1);
  }
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE rifa_id = '" + rifa + "' AND estado = 'anulado'"), 3);
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE rifa_id = '" + rifa + "' AND estado = 'vendido'"), 0);
  // Sums: every cent paid for this rifa came back, nothing else did.
  EXPECT_EQ(count("SELECT CAST(sum(amount) AS BIGINT) FROM reembolsos WHERE rifa_id = '" + rifa + "'"), 7500);
  EXPECT_EQ(count("SELECT CAST(sum(amount) AS BIGINT) FROM transacciones WHERE rifa_id = '" + rifa +
                  "' AND status = 'refunded'"),
            7500);
  EXPECT_EQ(text("SELECT status FROM transacciones WHERE id = '" + tx_other + "'"), "succeeded");
  const auto refunds = sandbox_records("refund");
  ASSERT_EQ(refunds.size(), 2u);
  int64_t refunded_at_provider = 0;
  for (const auto& r : refunds) refunded_at_provider += r["amount_cents"].get<int64_t>();
  EXPECT_EQ(refunded_at_provider, 7500);
  // The notifiers hear that the rifa closed as cancelada.
  bool told = false;
  for (const auto& e : notifier_events("log_a")) {
    told = told ||
           (e["type"] == "rifa_closed" && e["data"]["estado"] == "cancelada" && e["data"]["refunded_cents"] == 7500);
  }
  EXPECT_TRUE(told);
  // Each buyer hears of their own refund: one refund event per transaccion, naming the buyer and
  // the amount (a receipt of money moved, so the notifiers address it).
  std::map<std::string, json> refund_events;
  for (const auto& e : notifier_events("log_a")) {
    if (e["type"] == "refund") refund_events[e["data"]["transaccion_id"].get<std::string>()] = e["data"];
  }
  ASSERT_EQ(refund_events.size(), 2u);
  EXPECT_EQ(refund_events[tx_ana]["user_id"], ana);
  EXPECT_EQ(refund_events[tx_ana]["amount_cents"], 5000);
  EXPECT_EQ(refund_events[tx_beto]["user_id"], beto);
  EXPECT_EQ(refund_events[tx_beto]["amount_cents"], 2500);

  // Run again (a retry after a crash would): nothing is refunded twice, here or at the provider,
  // and no buyer is told twice.
  settlement::NotificationPublisher publisher(settings::notifier_resolver(settings_.bindings), kMaxAttempts);
  plugin_runtime::PluginPaymentGateway payments(plugins_.get(), settings_.bindings);
  storage::SqlRefundRepository rows(db(), publisher);
  settlement::RefundService again(rows, payments, clock_);
  auto second = again.refund_rifa(rifa);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->refunded, 0);
  EXPECT_EQ(sandbox_records("refund").size(), 2u);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'refund'"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'notify.deliver' AND dedupe_key LIKE 'refund:%'"), 4);
}

TEST_F(RefundTest, APendingPaymentWaitsAndIsRefundedOnceTheProviderConfirmsIt) {
  const std::string rifa = add_rifa("activa", "Normal", 10, 3000);
  const std::string ana = add_user("ana"), beto = add_user("beto");
  const std::string paid = sell(rifa, ana, {0});
  const std::string pending = sell(rifa, beto, {5, 6}, "sandbox_manual");
  ASSERT_EQ(text("SELECT status FROM transacciones WHERE id = '" + pending + "'"), "pending");
  ASSERT_TRUE(cancel(rifa).ok());

  drain();
  // The paid one is refunded; the pending one is neither refunded nor released yet: the provider
  // has not said whether the buyer paid.
  EXPECT_EQ(text("SELECT status FROM transacciones WHERE id = '" + paid + "'"), "refunded");
  EXPECT_EQ(text("SELECT status FROM transacciones WHERE id = '" + pending + "'"), "pending");
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE transaccion_id = '" + pending + "' AND estado = 'reservado'"), 2);
  EXPECT_EQ(text("SELECT status FROM jobs WHERE dedupe_key = 'refund:" + rifa + "'"), "queued");
  EXPECT_NE(
      text("SELECT last_error FROM jobs WHERE dedupe_key = 'refund:" + rifa + "'").find("1 payment(s) still pending"),
      std::string::npos);

  // The provider confirms the payment (a signed webhook, as the buyer's bank would cause).
  const std::string ref = text("SELECT provider_ref FROM transacciones WHERE id = '" + pending + "'");
  const int64_t now_s =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  const std::string body = json({{"event_id", "evt_1"},
                                 {"type", "payment.succeeded"},
                                 {"provider_ref", ref},
                                 {"amount_cents", 6000},
                                 {"currency", "COP"},
                                 {"created", now_s}})
                               .dump();
  auto verified = plugins_->find("sandbox_manual")
                      ->verify_webhook("POST", sandbox_signature_header(kSandboxSecret, now_s, body), body);
  ASSERT_TRUE(verified.ok()) << verified.error;

  advance(std::chrono::hours(1));
  drain();
  EXPECT_EQ(text("SELECT status FROM jobs WHERE dedupe_key = 'refund:" + rifa + "'"), "succeeded");
  EXPECT_EQ(text("SELECT status FROM transacciones WHERE id = '" + pending + "'"), "refunded");
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE rifa_id = '" + rifa + "' AND estado = 'anulado'"), 3);
  EXPECT_EQ(count("SELECT CAST(sum(amount) AS BIGINT) FROM reembolsos WHERE rifa_id = '" + rifa + "'"), 9000);
}

TEST_F(RefundTest, ARifaThatIsNoLongerOpenCannotBeCancelledAndQueuesNothing) {
  const std::string rifa = add_rifa("cerrada", "Normal", 10);
  auto refused = cancel(rifa);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_EQ(text("SELECT estado FROM rifas WHERE id = '" + rifa + "'"), "cerrada");
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'rifa.refund'"), 0);
}

TEST_F(RefundTest, CancellingARifaWithNothingSoldRefundsNothing) {
  const std::string rifa = add_rifa("pendiente", "Normal", 10);
  ASSERT_TRUE(cancel(rifa).ok());
  drain();
  EXPECT_EQ(text("SELECT status FROM jobs WHERE dedupe_key = 'refund:" + rifa + "'"), "succeeded");
  EXPECT_EQ(count("SELECT count(*) FROM reembolsos"), 0);
  EXPECT_TRUE(sandbox_records("refund").empty());
}

}  // namespace
}  // namespace rifa::testing
