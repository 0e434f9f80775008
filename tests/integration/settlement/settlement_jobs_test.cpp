// Closing at fecha_fin, settling when the draw should be out, retrying a draw that is not out,
// the scheduler's safety net and periodic work, and recalcular.
#include "settlement_fixture.hpp"

#include "storage/timestamps.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;
using settlement::SettleStatus;

const json kLastTwo = {
    {"tiers", {{{"match", {{"field", "numero"}, {"digits", "last"}, {"count", 2}}}, {"share_bp", 10000}}}}};
const json kTwoFirst = {{"tiers",
                         {{{"match", {{"field", "numero"}, {"digits", "last"}, {"count", 2}}},
                           {"share_bp", 7000},
                           {"share_bp_if_alone", 9000}},
                          {{"match", {{"field", "numero"}, {"digits", "first"}, {"count", 2}}},
                           {"share_bp", 3000},
                           {"share_bp_if_alone", 9000}}}}};

TEST_F(SettlementTest, FechaFinClosesTheRifaAndTheDrawIsTakenAfterItsPublication) {
  clock_.set(utc("2030-02-01T21:00:00.000Z"));  // 16:00 in Bogota; sales ended at 15:00
  const std::string id = add_rifa(kLastTwo);
  const std::string later = add_rifa(kLastTwo, 100, "lot-mock", "activa", "2030-02-01T22:00:00Z");
  sell(id, {40});

  auto tick = scheduler_->tick();
  ASSERT_TRUE(tick.ok()) << tick.error().message;
  EXPECT_EQ(tick->close_jobs, 1);
  EXPECT_EQ(scheduler_->tick()->close_jobs, 0);  // the same closing is enqueued once
  drain();
  EXPECT_EQ(text("SELECT estado FROM rifas WHERE id = '" + id + "'"), "cerrada");
  EXPECT_EQ(text("SELECT estado FROM rifas WHERE id = '" + later + "'"), "activa");
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'rifa.closed' AND actor = 'scheduler'"), 1);

  // The draw is asked for when the mock publishes it: 22:30 in Bogota.
  const std::string settle_job = text("SELECT id FROM jobs WHERE dedupe_key = 'settle:" + id + "'");
  auto job = queue_->get(settle_job);
  ASSERT_TRUE(job.ok() && *job);
  EXPECT_EQ(storage::format_timestamp((*job)->run_at), "2030-02-02T03:30:00.000Z");
  EXPECT_EQ((*job)->max_attempts, 2000);
  EXPECT_EQ(scheduler_->tick()->settle_jobs, 0);  // the safety net sees the job is there
  drain();
  EXPECT_EQ(text("SELECT estado FROM rifas WHERE id = '" + id + "'"), "cerrada");

  clock_.set(utc("2030-02-02T03:45:00.000Z"));
  drain();
  EXPECT_EQ(text("SELECT estado FROM rifas WHERE id = '" + id + "'"), "resuelta");
  EXPECT_EQ(text("SELECT status FROM jobs WHERE id = '" + settle_job + "'"), "succeeded");
  EXPECT_EQ(winners(id), std::vector<std::string>({"40:0:750000"}));
}

TEST_F(SettlementTest, ADrawNotOutYetKeepsTheJobAliveUntilTheRightDraw) {
  const std::string id = add_rifa(kLastTwo, 100, "lot-scripted");
  sell(id, {40});
  ASSERT_TRUE(service_->close(operador_, id).ok());
  const std::string settle_job = text("SELECT id FROM jobs WHERE dedupe_key = 'settle:" + id + "'");

  drain();  // not published
  auto job = queue_->get(settle_job);
  ASSERT_TRUE(job.ok() && *job);
  EXPECT_EQ((*job)->status, jobs::JobStatus::kQueued);
  EXPECT_EQ((*job)->attempts, 1);
  EXPECT_NE((*job)->last_error.find("not published"), std::string::npos) << (*job)->last_error;

  clock_.advance(std::chrono::seconds(3));
  drain();  // garbage: rejected, still waiting
  job = queue_->get(settle_job);
  EXPECT_EQ((*job)->status, jobs::JobStatus::kQueued);
  EXPECT_NE((*job)->last_error.find("draw rejected"), std::string::npos) << (*job)->last_error;
  EXPECT_EQ(text("SELECT estado FROM rifas WHERE id = '" + id + "'"), "cerrada");

  clock_.advance(std::chrono::seconds(5));
  drain();  // the right draw
  EXPECT_EQ(text("SELECT status FROM jobs WHERE id = '" + settle_job + "'"), "succeeded");
  EXPECT_EQ(text("SELECT estado FROM rifas WHERE id = '" + id + "'"), "resuelta");
  EXPECT_EQ(winners(id), std::vector<std::string>({"40:0:750000"}));
  EXPECT_EQ(count("SELECT count(*) FROM resultados_rechazados"), 1);
}

TEST_F(SettlementTest, TheSafetyNetSettlesAClosedRifaThatHasNoJob) {
  const std::string id = add_rifa(kLastTwo, 100, "lot-mock", "cerrada");
  sell(id, {40});
  auto tick = scheduler_->tick();
  ASSERT_TRUE(tick.ok()) << tick.error().message;
  EXPECT_EQ(tick->settle_jobs, 1);
  drain();
  EXPECT_EQ(text("SELECT estado FROM rifas WHERE id = '" + id + "'"), "resuelta");
  EXPECT_EQ(scheduler_->tick()->settle_jobs, 0);
}

TEST_F(SettlementTest, PeriodicJobsAreEnqueuedOncePerInterval) {
  scheduler_->set_periodic_kinds({"sales.expire_holds", "payments.reconcile"});
  ASSERT_TRUE(scheduler_->tick().ok());
  ASSERT_TRUE(scheduler_->tick().ok());  // a second host ticking in the same interval
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'sales.expire_holds'"), 1);
  clock_.advance(std::chrono::seconds(15));
  ASSERT_TRUE(scheduler_->tick().ok());
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'sales.expire_holds'"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'payments.reconcile'"), 2);
  // Finished ones are pruned after a day.
  exec("UPDATE jobs SET status = 'succeeded'");
  clock_.advance(std::chrono::hours(25));
  ASSERT_TRUE(scheduler_->tick().ok());
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'sales.expire_holds'"), 1);
}

TEST_F(SettlementTest, OnlyAnActivaRifaClosesAndOnlyStaffCloseIt) {
  const std::string pendiente = add_rifa(kLastTwo, 100, "lot-mock", "pendiente");
  auto refused = service_->close(operador_, pendiente);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_EQ(refused.error().message, "estado: a pendiente rifa cannot be closed (only an activa one)");
  const std::string id = add_rifa(kLastTwo);
  auto jugador = service_->close(engine::Actor{"player-1", engine::Rol::kJugador}, id);
  ASSERT_FALSE(jugador.ok());
  EXPECT_EQ(jugador.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->close(operador_, "no-such-rifa").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(*service_->close(operador_, id), engine::RifaEstado::kCerrada);
  EXPECT_EQ(*service_->close(operador_, id), engine::RifaEstado::kCerrada);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'rifa.closed'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'rifa.settle'"), 1);
}

TEST_F(SettlementTest, RecalcularFollowsTheTicketsSoldNow) {
  const std::string id = add_rifa(kTwoFirst);
  sell(id, {40, 47, 1, 2});  // fund 3,000,000
  ASSERT_EQ(close_and_settle(id).status, SettleStatus::kSettled);
  EXPECT_EQ(winners(id), std::vector<std::string>({"40:0:2100000", "47:1:900000"}));
  const std::string ganador_40 =
      settlement::ganador_id(text("SELECT id FROM tickets WHERE rifa_id = '" + id + "' AND numero = 40"), 0);

  // Ticket 47's sale was refunded before any payout: 40 now wins alone.
  exec("UPDATE tickets SET estado = 'anulado' WHERE rifa_id = '" + id + "' AND numero = 47");
  auto recalculated = service_->recalculate(admin_, id);
  ASSERT_TRUE(recalculated.ok()) << recalculated.error().message;
  EXPECT_EQ(winners(id), std::vector<std::string>({"40:0:2025000"}));  // 90 % of a 2,250,000 fund
  // 40 keeps its ganador id and its one payout job; 47's job is withdrawn.
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'payout.send'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'payout.send' AND dedupe_key = 'payout:" + ganador_40 + "'"),
            1);
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE rifa_id = '" + id + "' AND estado = 'ganador'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'settlement.recalculated'"), 1);
  EXPECT_EQ(text("SELECT estado FROM rifas WHERE id = '" + id + "'"), "resuelta");
}

TEST_F(SettlementTest, RecalcularIsRefusedOnceAPayoutWasSent) {
  const std::string id = add_rifa(kLastTwo);
  sell(id, {40});
  EXPECT_EQ(service_->recalculate(admin_, id).error().code, ErrorCode::kConflict);  // no draw yet
  ASSERT_EQ(close_and_settle(id).status, SettleStatus::kSettled);
  EXPECT_EQ(service_->recalculate(operador_, id).error().code, ErrorCode::kPermissionDenied);
  ASSERT_TRUE(service_->recalculate(admin_, id).ok());

  exec("UPDATE jobs SET status = 'succeeded' WHERE kind = 'payout.send'");
  auto by_job = service_->recalculate(admin_, id);
  ASSERT_FALSE(by_job.ok());
  EXPECT_EQ(by_job.error().code, ErrorCode::kConflict);
  exec("UPDATE jobs SET status = 'queued' WHERE kind = 'payout.send'");

  exec("UPDATE ganadores SET referencia_pago = 'po_123', fecha_pago = '2030-02-03T00:00:00.000Z'");
  auto refused = service_->recalculate(admin_, id);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_EQ(refused.error().message, "prizes cannot be recalculated: 1 payout(s) were already sent or are being sent");
  EXPECT_EQ(winners(id), std::vector<std::string>({"40:0:750000"}));
}

}  // namespace
}  // namespace rifa::testing
