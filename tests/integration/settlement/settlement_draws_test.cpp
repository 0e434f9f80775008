// What settlement does with each kind of lottery answer, and that settling twice (or at once from
// two workers) writes everything once.
#include <algorithm>
#include <thread>

#include "settlement_fixture.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;
using settlement::SettleStatus;

const json kLastTwo = {
    {"tiers", {{{"match", {{"field", "numero"}, {"digits", "last"}, {"count", 2}}}, {"share_bp", 10000}}}}};

TEST_F(SettlementTest, NotPublishedThenGarbageThenTheRightDraw) {
  const std::string id = add_rifa(kLastTwo, 100, "lot-scripted");
  sell(id, {40, 41});
  ASSERT_TRUE(service_->close(operador_, id).ok());

  auto first = service_->settle(id);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->status, SettleStatus::kNotPublished);
  EXPECT_EQ(text("SELECT estado FROM rifas WHERE id = '" + id + "'"), "cerrada");
  EXPECT_EQ(count("SELECT count(*) FROM resultados_sorteo"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM resultados_rechazados"), 0);

  // Garbage: numbers "12a45", series "7x", raw_sha256 "not-a-sha256". Kept aside, never used.
  auto second = service_->settle(id);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->status, SettleStatus::kRejected);
  EXPECT_EQ(text("SELECT estado FROM rifas WHERE id = '" + id + "'"), "cerrada");
  EXPECT_EQ(count("SELECT count(*) FROM resultados_sorteo"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM ganadores"), 0);
  EXPECT_EQ(
      count("SELECT count(*) FROM resultados_rechazados WHERE rifa_id = '" + id + "' AND fecha_sorteo = '2030-02-01'"),
      1);
  EXPECT_EQ(text("SELECT motivo FROM resultados_rechazados"), "numbers: \"12a45\" is not a digit string");
  EXPECT_NE(text("SELECT respuesta FROM resultados_rechazados").find("12a45"), std::string::npos);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'draw.rejected' AND entity_id = '" + id + "'"), 1);
  EXPECT_NE(metrics_.render().find("rifa_draws_rejected_total{instance=\"scripted\"} 1"), std::string::npos)
      << metrics_.render();

  auto third = service_->settle(id);
  ASSERT_TRUE(third.ok()) << third.error().message;
  EXPECT_EQ(third->status, SettleStatus::kSettled);
  EXPECT_EQ(winners(id), std::vector<std::string>({"40:0:1500000"}));
  EXPECT_EQ(text("SELECT plugin_instance FROM resultados_sorteo WHERE rifa_id = '" + id + "'"), "scripted");
  auto results = service_->results(id);
  ASSERT_TRUE(results.ok());
  EXPECT_EQ(results->rejected_draws, 1);
  ASSERT_TRUE(results->draw.has_value());
  EXPECT_EQ(results->draw->resultado["numbers"][0], "4740");
}

TEST_F(SettlementTest, ADrawOfAnotherDateIsRejectedAndNeverUsed) {
  const std::string id = add_rifa(kLastTwo, 100, "lot-wrongdate");
  sell(id, {40});
  ASSERT_TRUE(service_->close(operador_, id).ok());
  auto first = service_->settle(id);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->status, SettleStatus::kRejected);
  EXPECT_EQ(text("SELECT motivo FROM resultados_rechazados"), "date: the draw is for 2030-01-31, not 2030-02-01");
  EXPECT_EQ(count("SELECT count(*) FROM resultados_sorteo"), 0);
  auto second = service_->settle(id);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->status, SettleStatus::kSettled);
  EXPECT_EQ(text("SELECT CAST(fecha_sorteo AS TEXT) FROM resultados_sorteo"), "2030-02-01");
}

TEST_F(SettlementTest, NumbersOutsideTheLotteryRangeAreRejected) {
  // The loteria says its numbers have 5 digits; the mock draws 4.
  exec("UPDATE loterias SET meta = '{\"cifras\": 5}' WHERE id = 'lot-mock'");
  const std::string id = add_rifa(kLastTwo);
  sell(id, {40});
  EXPECT_EQ(close_and_settle(id).status, SettleStatus::kRejected);
  EXPECT_EQ(text("SELECT motivo FROM resultados_rechazados"),
            "numbers: \"4740\" is outside the lottery's range (5 digits)");
  EXPECT_EQ(count("SELECT count(*) FROM ganadores"), 0);
}

TEST_F(SettlementTest, ADrawLackingAFieldTheRulesReadIsRejected) {
  // mock2 has no series.
  const json serie = {
      {"tiers", {{{"match", {{"field", "serie"}, {"digits", "last"}, {"count", 2}}}, {"share_bp", 10000}}}}};
  const std::string id = add_rifa(serie, 100, "lot-mock2");
  sell(id, {40});
  EXPECT_EQ(close_and_settle(id).status, SettleStatus::kRejected);
  EXPECT_EQ(text("SELECT motivo FROM resultados_rechazados"), "the draw has no serie usable by reglas.tiers[0]");
}

TEST_F(SettlementTest, BeforeItsPublicationTheDrawIsNotAskedForAsPublished) {
  clock_.set(utc("2030-02-02T03:00:00.000Z"));  // 22:00 in Bogota: half an hour early
  const std::string id = add_rifa(kLastTwo);
  sell(id, {40});
  EXPECT_EQ(close_and_settle(id).status, SettleStatus::kNotPublished);
  clock_.set(utc("2030-02-02T03:31:00.000Z"));
  auto later = service_->settle(id);
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->status, SettleStatus::kSettled);
}

TEST_F(SettlementTest, SettlingAgainWritesNothingTwice) {
  const std::string id = add_rifa(kLastTwo);
  sell(id, {40, 47});
  EXPECT_EQ(close_and_settle(id).status, SettleStatus::kSettled);
  const auto rows_written = [this] {
    return std::vector<long long>{count("SELECT count(*) FROM ganadores"),
                                  count("SELECT count(*) FROM resultados_sorteo"), count("SELECT count(*) FROM jobs"),
                                  count("SELECT count(*) FROM audit_log"),
                                  count("SELECT count(*) FROM tickets WHERE estado = 'ganador'")};
  };
  const auto before = rows_written();
  auto again = service_->settle(id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, SettleStatus::kAlreadySettled);
  EXPECT_EQ(rows_written(), before);
  // Closing again is a no-op that answers the current estado.
  auto closed = service_->close(operador_, id);
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(*closed, engine::RifaEstado::kResuelta);
  EXPECT_EQ(rows_written(), before);
}

TEST_F(SettlementTest, ACrashedSettlementLeavesNothingHalfWritten) {
  // A settlement whose transaction fails part-way (the draw row is written, then a ganador for a
  // ticket that does not exist breaks its foreign key) leaves nothing behind.
  const std::string id = add_rifa(kLastTwo);
  sell(id, {40});
  ASSERT_TRUE(service_->close(operador_, id).ok());
  settlement::SettlementWrite broken;
  broken.rifa_id = id;
  broken.draw =
      settlement::StoredDraw{"mock", "2030-02-01", 3685, json{{"numbers", {"4740"}}}, std::nullopt, std::nullopt, ""};
  broken.ganadores.push_back({"g-1", "no-such-ticket", 0, 100});
  auto applied = repo_->apply(broken);
  EXPECT_FALSE(applied.ok());
  EXPECT_EQ(count("SELECT count(*) FROM resultados_sorteo"), 0);
  EXPECT_EQ(text("SELECT estado FROM rifas WHERE id = '" + id + "'"), "cerrada");
  // The real settlement then goes through.
  auto settled = service_->settle(id);
  ASSERT_TRUE(settled.ok());
  EXPECT_EQ(settled->status, SettleStatus::kSettled);
  EXPECT_EQ(winners(id), std::vector<std::string>({"40:0:750000"}));
}

TEST_F(SettlementTest, TwoWorkersSettlingAtOnceSettleOnce) {
  const std::string id = add_rifa(kLastTwo);
  sell(id, {40});
  ASSERT_TRUE(service_->close(operador_, id).ok());
  std::vector<settlement::SettleStatus> statuses(4);
  std::vector<std::thread> workers;
  for (size_t i = 0; i < statuses.size(); ++i) {
    workers.emplace_back([&, i] {
      auto r = service_->settle(id);
      statuses[i] = r.ok() ? r->status : SettleStatus::kRejected;
      EXPECT_TRUE(r.ok()) << r.error().message;
    });
  }
  for (auto& w : workers) w.join();
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), SettleStatus::kSettled), 1);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), SettleStatus::kAlreadySettled), 3);
  EXPECT_EQ(count("SELECT count(*) FROM ganadores"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM resultados_sorteo"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'payout.send'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'draw.taken'"), 1);
}

}  // namespace
}  // namespace rifa::testing
