#include <gtest/gtest.h>

#include <random>

#include "engine/settlement/prize_rules.hpp"

namespace rifa::settlement {
namespace {

using nlohmann::json;

PrizeRules rules(const json& reglas, int total_boletas = 100) {
  auto parsed = parse_prize_rules(reglas, total_boletas);
  EXPECT_TRUE(parsed.ok()) << parsed.error().message;
  return parsed.ok() ? *parsed : PrizeRules{};
}

std::string error_of(const json& reglas, int total_boletas = 100) {
  auto parsed = parse_prize_rules(reglas, total_boletas);
  return parsed.ok() ? "" : parsed.error().message;
}

DrawNumbers bogota(std::string numero, std::string serie) {
  return DrawNumbers{{std::move(numero)}, std::move(serie), {}};
}

const json kLastTwo = {
    {"tiers",
     {{{"name", "mayor"}, {"match", {{"field", "numero"}, {"digits", "last"}, {"count", 2}}}, {"share_bp", 10000}}}},
    {"unsold", "house"}};

TEST(PrizeRules, LastTwoDigitsOfTheBogotaNumberWins) {
  // 50 tickets sold at 10,000.00 COP, rake 25 %: fund 375,000.00, all to ticket 80.
  std::set<int> sold;
  for (int n = 50; n < 100; ++n) sold.insert(n);
  auto plan = plan_settlement(rules(kLastTwo), bogota("7280", "045"), 100, sold, 50 * 1'000'000, 2500);
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  EXPECT_EQ(plan->fondo_cents, 37'500'000);
  EXPECT_EQ(plan->rake_cents, 12'500'000);
  ASSERT_EQ(plan->awards.size(), 1u);
  EXPECT_EQ(plan->awards[0].numero, 80);
  EXPECT_EQ(plan->awards[0].amount_cents, 37'500'000);
  EXPECT_EQ(plan->house_cents, 12'500'000);
}

TEST(PrizeRules, UnsoldWinningNumberGoesToTheHouseOrCarriesOverOrVoidsTheRifa) {
  const std::set<int> sold = {1, 2, 3};
  auto house = plan_settlement(rules(kLastTwo), bogota("7280", "045"), 100, sold, 3'000'000, 2000);
  ASSERT_TRUE(house.ok());
  EXPECT_TRUE(house->awards.empty());
  EXPECT_EQ(house->house_cents, 3'000'000);

  json carry = kLastTwo;
  carry["unsold"] = "carry_over";
  auto carried = plan_settlement(rules(carry), bogota("7280", "045"), 100, sold, 3'000'000, 2000);
  ASSERT_TRUE(carried.ok());
  EXPECT_EQ(carried->carry_over_cents, 2'400'000);
  EXPECT_EQ(carried->house_cents, 600'000);

  json refund = kLastTwo;
  refund["unsold"] = "refund";
  auto voided = plan_settlement(rules(refund), bogota("7280", "045"), 100, sold, 3'000'000, 2000);
  ASSERT_TRUE(voided.ok());
  EXPECT_TRUE(voided->refund_all);
  EXPECT_TRUE(voided->awards.empty());
}

TEST(PrizeRules, TwoTiersSplitOrTheLoneWinnerTakesTheAloneShare) {
  // The spec's case: if the first two win, split 70/30; if only one has a buyer, it takes 90 %.
  const json reglas = {{"tiers",
                        {{{"match", {{"field", "numero"}, {"digits", "last"}, {"count", 2}}},
                          {"share_bp", 7000},
                          {"share_bp_if_alone", 9000}},
                         {{"match", {{"field", "numero"}, {"digits", "first"}, {"count", 2}}},
                          {"share_bp", 3000},
                          {"share_bp_if_alone", 9000}}}},
                       {"unsold", "house"}};
  auto both = plan_settlement(rules(reglas), bogota("7280", "045"), 100, {72, 80}, 10'000'000, 0);
  ASSERT_TRUE(both.ok());
  ASSERT_EQ(both->awards.size(), 2u);
  EXPECT_EQ(both->awards[0].numero, 80);
  EXPECT_EQ(both->awards[0].amount_cents, 7'000'000);
  EXPECT_EQ(both->awards[1].numero, 72);
  EXPECT_EQ(both->awards[1].amount_cents, 3'000'000);
  EXPECT_EQ(both->house_cents, 0);

  auto alone = plan_settlement(rules(reglas), bogota("7280", "045"), 100, {72}, 10'000'000, 0);
  ASSERT_TRUE(alone.ok());
  ASSERT_EQ(alone->awards.size(), 1u);
  EXPECT_EQ(alone->awards[0].numero, 72);
  EXPECT_EQ(alone->awards[0].amount_cents, 9'000'000);
  EXPECT_EQ(alone->house_cents, 1'000'000);
}

TEST(PrizeRules, SerieBalotaAndSuperbalotaMatchers) {
  const json serie = {{"tiers", {{{"match", {{"field", "serie"}, {"digits", "exact"}}}, {"share_bp", 5000}}}}};
  auto s = plan_settlement(rules(serie, 1000), bogota("7280", "045"), 1000, {45}, 1000, 0);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->awards.size(), 1u);
  EXPECT_EQ(s->awards[0].numero, 45);

  const DrawNumbers baloto{{"03", "05", "25", "30", "42"}, "", {{"superbalota", "08"}}};
  const json balls = {{"tiers",
                       {{{"match", {{"field", "balota"}, {"index", 2}, {"digits", "exact"}}}, {"share_bp", 6000}},
                        {{"match", {{"field", "superbalota"}, {"digits", "exact"}}}, {"share_bp", 4000}}}}};
  auto b = plan_settlement(rules(balls), baloto, 100, {25, 8}, 100, 0);
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->awards.size(), 2u);
  EXPECT_EQ(b->awards[0].numero, 25);
  EXPECT_EQ(b->awards[0].amount_cents, 60);
  EXPECT_EQ(b->awards[1].numero, 8);
  EXPECT_EQ(b->awards[1].amount_cents, 40);
}

TEST(PrizeRules, PrizesInKindTakeNoCash) {
  const json reglas = {
      {"tiers",
       {{{"match", {{"field", "numero"}, {"digits", "last"}, {"count", 2}}},
         {"prize", {{"type", "in_kind"}, {"description", "Moto AKT 125"}, {"value_cents", 650000000}}}}}}};
  auto parsed = rules(reglas);
  ASSERT_EQ(parsed.tiers.size(), 1u);
  EXPECT_TRUE(parsed.tiers[0].in_kind);
  auto plan = plan_settlement(parsed, bogota("7280", "045"), 100, {80}, 5'000'000, 2000);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->awards.size(), 1u);
  EXPECT_TRUE(plan->awards[0].in_kind);
  EXPECT_EQ(plan->awards[0].amount_cents, 0);
  EXPECT_EQ(plan->house_cents, 5'000'000);
}

TEST(PrizeRules, ValidationNamesThePath) {
  EXPECT_EQ(error_of(json::array()), "reglas: must be an object");
  EXPECT_EQ(error_of({{"tiers", json::array()}}), "reglas.tiers: must be a non-empty array of prize tiers");
  EXPECT_EQ(
      error_of({{"tiers", {{{"match", {{"field", "numero"}, {"digits", "last"}, {"count", 3}}}, {"share_bp", 1}}}}}),
      "reglas.tiers[0].match.count: takes 3 digits but the 100 ticket numbers have 2");
  EXPECT_EQ(error_of({{"tiers", {{{"match", {{"field", "bola"}, {"digits", "exact"}}}, {"share_bp", 1}}}}}),
            "reglas.tiers[0].match.field: must be numero, serie, balota or superbalota");
  EXPECT_EQ(error_of({{"tiers",
                       {{{"match", {{"field", "numero"}, {"digits", "last"}, {"count", 2}}}, {"share_bp", 6000}},
                        {{"match", {{"field", "numero"}, {"digits", "first"}, {"count", 2}}}, {"share_bp", 6000}}}}}),
            "reglas.tiers: shares add up to 12000 bp, more than 10000");
  EXPECT_EQ(
      error_of(
          {{"tiers",
            {{{"match", {{"field", "numero"}, {"digits", "last"}, {"count", 2}}}, {"share_bp", 1}, {"shares", 1}}}}}),
      "reglas.tiers[0].shares: unknown key (allowed: match, name, prize, share_bp, share_bp_if_alone)");
  EXPECT_EQ(
      error_of({{"tiers", {{{"match", {{"field", "numero"}, {"digits", "last"}, {"count", 2}}}, {"share_bp", 1}}}},
                {"unsold", "keep"}}),
      "reglas.unsold: must be house, refund or carry_over");
}

TEST(PrizeRules, TicketWidth) {
  EXPECT_EQ(ticket_number_width(1), 1);
  EXPECT_EQ(ticket_number_width(10), 1);
  EXPECT_EQ(ticket_number_width(11), 2);
  EXPECT_EQ(ticket_number_width(100), 2);
  EXPECT_EQ(ticket_number_width(1000), 3);
  EXPECT_EQ(ticket_number_width(10000), 4);
}

// Whatever the amounts, shares, sales and money carried in: awards + carry-over + house == recaudo +
// carried-in, to the cent, and the house never gets less than the rake.
TEST(PrizeRules, SharesAlwaysAddUp) {
  std::mt19937_64 rng(1122);
  for (int round = 0; round < 5000; ++round) {
    const int a = static_cast<int>(rng() % 10001);
    const int b = static_cast<int>(rng() % static_cast<uint64_t>(10001 - a));
    const json reglas = {{"tiers",
                          {{{"match", {{"field", "numero"}, {"digits", "last"}, {"count", 2}}},
                            {"share_bp", a},
                            {"share_bp_if_alone", static_cast<int>(rng() % 10001)}},
                           {{"match", {{"field", "serie"}, {"digits", "last"}, {"count", 2}}}, {"share_bp", b}}}},
                         {"unsold", rng() % 2 ? "house" : "carry_over"}};
    std::set<int> sold;
    for (int n = 0; n < 100; ++n) {
      if (rng() % 2) sold.insert(n);
    }
    const int64_t recaudo = static_cast<int64_t>(rng() % 100'000'000'000ULL);
    const int rake = static_cast<int>(rng() % 10001);
    const auto draw = bogota(std::to_string(1000 + rng() % 9000), std::to_string(100 + rng() % 900));
    const int64_t carried_in = rng() % 3 ? 0 : static_cast<int64_t>(rng() % 10'000'000'000ULL);
    auto plan = plan_settlement(rules(reglas), draw, 100, sold, recaudo, rake, carried_in);
    ASSERT_TRUE(plan.ok()) << plan.error().message;
    int64_t awarded = 0;
    for (const auto& award : plan->awards) {
      EXPECT_GE(award.amount_cents, 0);
      awarded += award.amount_cents;
    }
    ASSERT_EQ(awarded + plan->carry_over_cents + plan->house_cents, recaudo + carried_in) << "round " << round;
    ASSERT_LE(awarded + plan->carry_over_cents, plan->fondo_cents);
    ASSERT_GE(plan->house_cents, plan->rake_cents);
  }
}

}  // namespace
}  // namespace rifa::settlement
