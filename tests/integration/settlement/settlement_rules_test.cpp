// Every prize rule kind settled end to end from the real mock lottery's draw, with the exact
// winners and cents. The draw of 2030-02-01 (seed "c1") is number 4740, series 596; tickets cost
// 1,000,000 cents and the categoria's rake is 25 %, so the fund is 750,000 cents per ticket sold.
#include "settlement_fixture.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;
using settlement::SettleStatus;

json match(const std::string& field, const std::string& digits, int count = 0) {
  json m = {{"field", field}, {"digits", digits}};
  if (count) m["count"] = count;
  return m;
}

json one_tier(const json& m, const std::string& unsold = "house") {
  return {{"tiers", {{{"name", "mayor"}, {"match", m}, {"share_bp", 10000}}}}, {"unsold", unsold}};
}

std::vector<int> range(int from, int to) {
  std::vector<int> out;
  for (int n = from; n < to; ++n) out.push_back(n);
  return out;
}

TEST_F(SettlementTest, LastTwoDigitsOfTheNumberWinTheWholeFund) {
  const std::string id = add_rifa(one_tier(match("numero", "last", 2)));
  sell(id, range(30, 50));  // 20 tickets: recaudo 20,000,000, fund 15,000,000
  auto outcome = close_and_settle(id);
  EXPECT_EQ(outcome.status, SettleStatus::kSettled) << outcome.message;
  EXPECT_EQ(winners(id), std::vector<std::string>({"40:0:15000000"}));

  EXPECT_EQ(text("SELECT estado FROM rifas WHERE id = '" + id + "'"), "resuelta");
  EXPECT_EQ(text("SELECT estado FROM tickets WHERE rifa_id = '" + id + "' AND numero = 40"), "ganador");
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE rifa_id = '" + id + "' AND estado = 'vendido'"), 19);
  // The draw as the plugin gave it, with its provenance.
  EXPECT_EQ(count("SELECT sorteo FROM resultados_sorteo WHERE rifa_id = '" + id + "'"), 3685);
  EXPECT_EQ(text("SELECT source_url FROM resultados_sorteo WHERE rifa_id = '" + id + "'"), "mock://draw/2030-02-01");
  EXPECT_EQ(text("SELECT raw_sha256 FROM resultados_sorteo WHERE rifa_id = '" + id + "'"),
            "bbe8d2e29ea36dd462ab06236399bf100bcf743c5e8500d04bfa6929f73f9cb0");
  EXPECT_EQ(text("SELECT plugin_instance FROM resultados_sorteo WHERE rifa_id = '" + id + "'"), "mock");
  // One payout job for the cash prize; each notifier told of the closing, the result and the winner.
  const std::string ganador =
      text("SELECT g.id FROM ganadores g JOIN tickets t ON t.id = g.ticket_id WHERE t.rifa_id = '" + id + "'");
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'payout.send' AND dedupe_key = 'payout:" + ganador + "'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'payout.send'"), 1);
  for (const std::string event : {"rifa_closed", "result_published"}) {
    for (const std::string notifier : {"log", "sms"}) {
      EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'notify.deliver' AND dedupe_key = '" + event + ":" + id +
                      ":" + notifier + "'"),
                1)
          << event << " " << notifier;
    }
  }
  EXPECT_EQ(
      count("SELECT count(*) FROM jobs WHERE kind = 'notify.deliver' AND dedupe_key LIKE 'winner:" + ganador + ":%'"),
      2);
  for (const std::string action : {"rifa.closed", "draw.taken", "winner"}) {
    EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = '" + action + "'"), 1) << action;
  }
}

TEST_F(SettlementTest, FirstTwoDigitsOfTheNumber) {
  const std::string id = add_rifa(one_tier(match("numero", "first", 2)));
  sell(id, range(40, 50));  // fund 7,500,000
  EXPECT_EQ(close_and_settle(id).status, SettleStatus::kSettled);
  EXPECT_EQ(winners(id), std::vector<std::string>({"47:0:7500000"}));
}

TEST_F(SettlementTest, ExactNumberOfATenThousandTicketRifa) {
  const std::string id = add_rifa(one_tier(match("numero", "exact")), 10000);
  sell(id, {4740, 1234});  // fund 1,500,000
  EXPECT_EQ(close_and_settle(id).status, SettleStatus::kSettled);
  EXPECT_EQ(winners(id), std::vector<std::string>({"4740:0:1500000"}));
}

TEST_F(SettlementTest, SerieOfAThousandTicketRifa) {
  const std::string id = add_rifa(one_tier(match("serie", "exact")), 1000);
  sell(id, {596, 597, 1});  // fund 2,250,000
  EXPECT_EQ(close_and_settle(id).status, SettleStatus::kSettled);
  EXPECT_EQ(winners(id), std::vector<std::string>({"596:0:2250000"}));
}

TEST_F(SettlementTest, BalotaOfAOneBallDraw) {
  // mock2 draws one two-digit ball: "40" that day.
  json m = match("balota", "exact");
  m["index"] = 0;
  const std::string id = add_rifa(one_tier(m), 100, "lot-mock2");
  sell(id, {40, 41});
  EXPECT_EQ(close_and_settle(id).status, SettleStatus::kSettled);
  EXPECT_EQ(winners(id), std::vector<std::string>({"40:0:1500000"}));
}

const json kTwoFirst = {
    {"tiers",
     {{{"name", "ultimas dos"}, {"match", match("numero", "last", 2)}, {"share_bp", 7000}, {"share_bp_if_alone", 9000}},
      {{"name", "primeras dos"},
       {"match", match("numero", "first", 2)},
       {"share_bp", 3000},
       {"share_bp_if_alone", 9000}}}},
    {"unsold", "house"}};

TEST_F(SettlementTest, WhenTheTwoFirstWinTheySplitSeventyThirty) {
  const std::string id = add_rifa(kTwoFirst);
  sell(id, {40, 47, 1, 2});  // fund 3,000,000
  EXPECT_EQ(close_and_settle(id).status, SettleStatus::kSettled);
  EXPECT_EQ(winners(id), std::vector<std::string>({"40:0:2100000", "47:1:900000"}));
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'payout.send'"), 2);
}

TEST_F(SettlementTest, WhenOnlyOneWinsItTakesTheAloneShare) {
  const std::string id = add_rifa(kTwoFirst);
  sell(id, {47, 1, 2, 3});  // fund 3,000,000; 40 unsold
  EXPECT_EQ(close_and_settle(id).status, SettleStatus::kSettled);
  EXPECT_EQ(winners(id), std::vector<std::string>({"47:1:2700000"}));
  // The rest (rake 1,000,000 + the unawarded 300,000) stays with the house.
  auto taken = json::parse(text("SELECT data FROM audit_log WHERE action = 'draw.taken'"));
  EXPECT_EQ(taken["house_cents"], 1'300'000);
  EXPECT_EQ(taken["recaudo_cents"], 4'000'000);
}

TEST_F(SettlementTest, UnsoldWinningNumberGoesToTheHouse) {
  const std::string id = add_rifa(one_tier(match("numero", "last", 2), "house"));
  sell(id, {1, 2, 3});
  EXPECT_EQ(close_and_settle(id).status, SettleStatus::kSettled);
  EXPECT_TRUE(winners(id).empty());
  EXPECT_EQ(text("SELECT estado FROM rifas WHERE id = '" + id + "'"), "resuelta");
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'payout.send'"), 0);
  auto taken = json::parse(text("SELECT data FROM audit_log WHERE action = 'draw.taken'"));
  EXPECT_EQ(taken["house_cents"], 3'000'000);
  EXPECT_EQ(taken["carry_over_cents"], 0);
  EXPECT_EQ(count("SELECT fondo_acumulado FROM categoria_rifa WHERE id = 'cat-oro'"), 0);
}

TEST_F(SettlementTest, UnsoldWinningNumberCarriesOverToTheCategoriaFund) {
  const std::string id = add_rifa(one_tier(match("numero", "last", 2), "carry_over"));
  sell(id, {1, 2, 3});  // fund 2,250,000 carried over
  EXPECT_EQ(close_and_settle(id).status, SettleStatus::kSettled);
  EXPECT_TRUE(winners(id).empty());
  EXPECT_EQ(count("SELECT fondo_acumulado FROM categoria_rifa WHERE id = 'cat-oro'"), 2'250'000);
  auto taken = json::parse(text("SELECT data FROM audit_log WHERE action = 'draw.taken'"));
  EXPECT_EQ(taken["carry_over_cents"], 2'250'000);
  EXPECT_EQ(taken["house_cents"], 750'000);
}

TEST_F(SettlementTest, TheNextRifaOfTheCategoriaAwardsTheCarriedOverFund) {
  const std::string first = add_rifa(one_tier(match("numero", "last", 2), "carry_over"));
  sell(first, {1, 2, 3});  // 2,250,000 carried over
  ASSERT_EQ(close_and_settle(first).status, SettleStatus::kSettled);
  const std::string next = add_rifa(one_tier(match("numero", "last", 2)));
  sell(next, {40, 41});  // own fund 1,500,000; 40 wins
  ASSERT_EQ(close_and_settle(next).status, SettleStatus::kSettled);
  EXPECT_EQ(winners(next), std::vector<std::string>({"40:0:3750000"}));
  EXPECT_EQ(count("SELECT fondo_acumulado FROM categoria_rifa WHERE id = 'cat-oro'"), 0);
  EXPECT_EQ(count("SELECT fondo_recibido FROM rifas WHERE id = '" + next + "'"), 2'250'000);
  auto taken =
      json::parse(text("SELECT data FROM audit_log WHERE action = 'draw.taken' AND entity_id = '" + next + "'"));
  EXPECT_EQ(taken["carried_in_cents"], 2'250'000);
  EXPECT_EQ(taken["house_cents"], 500'000) << "the rake of the rifa's own sales";

  // Recalculating keeps the fund the rifa took, not whatever the categoria holds now.
  exec("UPDATE categoria_rifa SET fondo_acumulado = 999 WHERE id = 'cat-oro'");
  auto again = service_->recalculate(admin_, next);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(winners(next), std::vector<std::string>({"40:0:3750000"}));
  EXPECT_EQ(count("SELECT fondo_acumulado FROM categoria_rifa WHERE id = 'cat-oro'"), 999);
}

// categoria_rifa.fondo_premios describes the categoria (the seed sets it to what a full rifa's
// fund comes to): it is not money waiting to be paid, only fondo_acumulado is.
TEST_F(SettlementTest, TheCategoriasDescriptiveFondoPremiosIsNeverPaidOut) {
  exec("UPDATE categoria_rifa SET fondo_premios = 15000000 WHERE id = 'cat-oro'");
  const std::string id = add_rifa(one_tier(match("numero", "last", 2)));
  sell(id, {40, 41});  // own fund 1,500,000; 40 wins
  ASSERT_EQ(close_and_settle(id).status, SettleStatus::kSettled);
  EXPECT_EQ(winners(id), std::vector<std::string>({"40:0:1500000"}));
  EXPECT_EQ(count("SELECT fondo_recibido FROM rifas WHERE id = '" + id + "'"), 0);
  EXPECT_EQ(count("SELECT fondo_premios FROM categoria_rifa WHERE id = 'cat-oro'"), 15'000'000);
}

TEST_F(SettlementTest, AFundTakenByAnotherRifaMeanwhileMakesTheSettlementPlanAgain) {
  const std::string first = add_rifa(one_tier(match("numero", "last", 2), "carry_over"));
  sell(first, {1, 2, 3});
  ASSERT_EQ(close_and_settle(first).status, SettleStatus::kSettled);
  const std::string next = add_rifa(one_tier(match("numero", "last", 2)));
  sell(next, {40});
  auto rifa = repo_->find_rifa(next);
  ASSERT_TRUE(rifa.ok() && rifa->has_value());
  ASSERT_EQ((*rifa)->categoria_fund_cents, 2'250'000);
  // Planned with 2,250,000 carried in, but the fund was emptied before the write.
  exec("UPDATE rifas SET estado = 'cerrada' WHERE id = '" + next + "'");
  settlement::SettlementWrite w;
  w.rifa_id = next;
  w.carried_in_cents = 2'250'000;
  exec("UPDATE categoria_rifa SET fondo_acumulado = 0 WHERE id = 'cat-oro'");
  auto applied = repo_->apply(w);
  ASSERT_FALSE(applied.ok());
  EXPECT_NE(applied.error().message.find("carried-over fund changed"), std::string::npos) << applied.error().message;
  EXPECT_EQ(text("SELECT estado FROM rifas WHERE id = '" + next + "'"), "cerrada") << "nothing was written";
  EXPECT_EQ(count("SELECT fondo_recibido FROM rifas WHERE id = '" + next + "'"), 0);
}

TEST_F(SettlementTest, UnsoldWinningNumberUnderRefundVoidsTheRifa) {
  const std::string id = add_rifa(one_tier(match("numero", "last", 2), "refund"));
  sell(id, {1, 2, 3});
  EXPECT_EQ(close_and_settle(id).status, SettleStatus::kVoided);
  EXPECT_TRUE(winners(id).empty());
  EXPECT_EQ(text("SELECT estado FROM rifas WHERE id = '" + id + "'"), "cancelada");
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'rifa.refund' AND dedupe_key = 'refund:" + id + "'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'rifa.voided'"), 1);
  // The draw is kept: it is why the rifa was voided.
  EXPECT_EQ(count("SELECT count(*) FROM resultados_sorteo WHERE rifa_id = '" + id + "'"), 1);
}

TEST_F(SettlementTest, PrizeInKindTakesNoCashAndNoPayout) {
  const json reglas = {
      {"tiers",
       {{{"name", "moto"},
         {"match", match("numero", "last", 2)},
         {"prize", {{"type", "in_kind"}, {"description", "Moto AKT 125"}, {"value_cents", 650'000'000}}}},
        {{"name", "efectivo"}, {"match", match("numero", "first", 2)}, {"share_bp", 5000}}}}};
  const std::string id = add_rifa(reglas);
  sell(id, {40, 47, 1, 2});  // fund 3,000,000: half to 47, the moto to 40
  EXPECT_EQ(close_and_settle(id).status, SettleStatus::kSettled);
  EXPECT_EQ(winners(id), std::vector<std::string>({"40:0:0", "47:1:1500000"}));
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'payout.send'"), 1);
  auto results = service_->results(id);
  ASSERT_TRUE(results.ok()) << results.error().message;
  ASSERT_EQ(results->tier_in_kind.size(), 2u);
  EXPECT_TRUE(results->tier_in_kind[0]);
  EXPECT_EQ(results->tier_in_kind_description[0], "Moto AKT 125");
  auto winner =
      json::parse(text("SELECT data FROM audit_log WHERE action = 'winner' AND CAST(data AS TEXT) LIKE '%Moto%'"));
  EXPECT_EQ(winner["valor_comercial_cents"], 650'000'000);
}

TEST_F(SettlementTest, EmptyReglasSettleWithTheDefaultLastDigitsRule) {
  const std::string id = add_rifa(json::object());
  sell(id, {40});
  EXPECT_EQ(close_and_settle(id).status, SettleStatus::kSettled);
  EXPECT_EQ(winners(id), std::vector<std::string>({"40:0:750000"}));
}

}  // namespace
}  // namespace rifa::testing
