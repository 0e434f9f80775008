// Retención en la fuente on prizes (issue 15 item 1): the threshold of 48 UVT to the cent, the
// rounding rule, the year of payment, and the settlement plan with the withholding applied (split
// prizes judged per share, carried-over funds, prizes in kind), its invariant holding throughout.
#include <gtest/gtest.h>

#include <chrono>
#include <set>

#include "engine/iso_time.hpp"
#include "engine/settlement/prize_rules.hpp"
#include "engine/settlement/prize_tax.hpp"

namespace rifa::settlement {
namespace {

using nlohmann::json;

// The official values: UVT 2025 = $49.799 (Resolución DIAN 000193 de 2024), UVT 2026 = $52.374
// (Resolución DIAN 000238 de 2025).
TaxRules colombia() {
  TaxRules t;
  t.enabled = true;
  t.rate_bp = 2000;
  t.threshold_uvt = 48;
  t.uvt_pesos_by_year = {{2025, 49'799}, {2026, 52'374}};
  return t;
}

// 48 × 49.799 = 2.390.352 pesos; 48 × 52.374 = 2.513.952 pesos.
constexpr int64_t kThreshold2025 = 239'035'200;
constexpr int64_t kThreshold2026 = 251'395'200;

struct Case {
  const char* name;
  int64_t gross;
  int year;
  int64_t withheld;
};

TEST(PrizeTax, TheThresholdToTheCent) {
  const Case cases[] = {
      {"one cent below 48 UVT", kThreshold2025 - 1, 2025, 0},
      {"exactly 48 UVT withholds nothing", kThreshold2025, 2025, 0},
      // 20 % of the WHOLE prize, not of what is above the threshold: 47.807.040,2 → ,2 rounds down
      {"one cent above 48 UVT", kThreshold2025 + 1, 2025, 47'807'040},
      {"rounding: ,6 rounds up", kThreshold2025 + 3, 2025, 47'807'041},
      {"rounding: ,8 rounds up", kThreshold2025 + 4, 2025, 47'807'041},
      {"rounding: ,4 rounds down", kThreshold2025 + 2, 2025, 47'807'040},
      {"exactly 48 UVT of 2026", kThreshold2026, 2026, 0},
      {"one cent above 48 UVT of 2026", kThreshold2026 + 1, 2026, 50'279'040},
      {"zero", 0, 2025, 0},
      {"a big prize", 100'000'000'000, 2026, 20'000'000'000},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto w = withhold(colombia(), c.gross, c.year);
    ASSERT_TRUE(w.ok()) << w.error().message;
    EXPECT_EQ(w->gross_cents, c.gross);
    EXPECT_EQ(w->withheld_cents, c.withheld);
    EXPECT_EQ(w->net_cents, c.gross - c.withheld);
    EXPECT_EQ(w->gross_cents, w->withheld_cents + w->net_cents);
    EXPECT_EQ(w->year, c.year);
  }
}

TEST(PrizeTax, HalfACentRoundsUp) {
  TaxRules t = colombia();
  t.rate_bp = 2500;               // a quarter: 2 cents → 0,5 cent
  t.uvt_pesos_by_year[2025] = 0;  // threshold 0
  auto w = withhold(t, 2, 2025);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->withheld_cents, 1);
  EXPECT_EQ(w->net_cents, 1);
  auto w6 = withhold(t, 6, 2025);  // 1,5 → 2
  ASSERT_TRUE(w6.ok());
  EXPECT_EQ(w6->withheld_cents, 2);
}

TEST(PrizeTax, TheYearOfPaymentPicksTheUvt) {
  const int64_t gross = 240'000'000;  // 2.400.000 pesos: above 48 UVT of 2025, below 48 UVT of 2026
  auto in2025 = withhold(colombia(), gross, 2025);
  auto in2026 = withhold(colombia(), gross, 2026);
  ASSERT_TRUE(in2025.ok() && in2026.ok());
  EXPECT_EQ(in2025->withheld_cents, 48'000'000);
  EXPECT_EQ(in2025->uvt_pesos, 49'799);
  EXPECT_EQ(in2025->threshold_cents, kThreshold2025);
  EXPECT_EQ(in2026->withheld_cents, 0);
  EXPECT_EQ(in2026->uvt_pesos, 52'374);

  auto missing = withhold(colombia(), gross, 2031);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kConfigInvalid);
  EXPECT_NE(missing.error().message.find("2031"), std::string::npos) << missing.error().message;

  // The year in Bogotá (UTC−5): 04:59:59 UTC on 1 January is still the old year there.
  EXPECT_EQ(bogota_year(*engine::parse_iso_time("2026-01-01T04:59:59Z", "t")), 2025);
  EXPECT_EQ(bogota_year(*engine::parse_iso_time("2026-01-01T05:00:00Z", "t")), 2026);
}

TEST(PrizeTax, DisabledWithholdsNothing) {
  TaxRules off;  // no tax: section
  auto w = withhold(off, 900'000'000'000, 2040);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->withheld_cents, 0);
  EXPECT_EQ(w->net_cents, 900'000'000'000);
}

PrizeRules rules(const json& reglas) {
  auto parsed = parse_prize_rules(reglas, 100);
  EXPECT_TRUE(parsed.ok()) << parsed.error().message;
  return parsed.ok() ? *parsed : PrizeRules{};
}

json two_tiers(int first_bp, int second_bp) {
  return {
      {"tiers",
       {{{"name", "mayor"}, {"match", {{"field", "numero"}, {"digits", "last"}, {"count", 2}}}, {"share_bp", first_bp}},
        {{"name", "seco"},
         {"match", {{"field", "numero"}, {"digits", "first"}, {"count", 2}}},
         {"share_bp", second_bp}}}},
      {"unsold", "house"}};
}

const DrawNumbers kDraw{{"7280"}, "045", {}};  // last two 80, first two 72
const std::set<int> kSold = {72, 80};

SettlementPlan taxed(const PrizeRules& r, int64_t recaudo, int64_t carried_in = 0, int year = 2025) {
  auto plan = plan_settlement(r, kDraw, 100, kSold, recaudo, 0, carried_in);
  EXPECT_TRUE(plan.ok()) << plan.error().message;
  if (!plan.ok()) return {};
  auto applied = apply_withholding(*plan, r, colombia(), year);
  EXPECT_TRUE(applied.ok()) << applied.error().message;
  EXPECT_EQ(plan_invariant_violation(*plan), "");
  return *plan;
}

TEST(PrizeTax, ASplitPrizeIsJudgedPerShare) {
  struct SplitCase {
    const char* name;
    int64_t fund;
    int first_bp, second_bp;
    int64_t first_withheld, second_withheld;
  };
  const SplitCase cases[] = {
      // 280.000.000 above, 120.000.000 below: only the first share is taxed
      {"shares on both sides", 400'000'000, 7000, 3000, 56'000'000, 0},
      // 300.000.000 in all, above 48 UVT, but each share of 150.000.000 is below it
      {"the total above, each share below", 300'000'000, 5000, 5000, 0, 0},
      // 239.035.200 exactly (nothing withheld) and 239.130.833 (20 %)
      {"one share exactly at 48 UVT, one above", 478'166'034, 4999, 5001, 0, 47'826'167},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const SettlementPlan plan = taxed(rules(two_tiers(c.first_bp, c.second_bp)), c.fund);
    ASSERT_EQ(plan.awards.size(), 2u);
    EXPECT_EQ(plan.awards[0].withheld_cents, c.first_withheld);
    EXPECT_EQ(plan.awards[1].withheld_cents, c.second_withheld);
    EXPECT_EQ(plan.withheld_cents, c.first_withheld + c.second_withheld);
    EXPECT_EQ(plan.tax_year, 2025);
    for (const auto& a : plan.awards) {
      EXPECT_EQ(a.gross_cents, a.amount_cents);
      EXPECT_EQ(a.net_cents, a.gross_cents - a.withheld_cents);
    }
  }
}

TEST(PrizeTax, CarriedOverFundsArePartOfThePrize) {
  const json one = {
      {"tiers",
       {{{"name", "mayor"}, {"match", {{"field", "numero"}, {"digits", "last"}, {"count", 2}}}, {"share_bp", 10000}}}},
      {"unsold", "carry_over"}};
  // 200.000.000 of sales alone is below 48 UVT; with 50.000.000 carried in it is above.
  const SettlementPlan alone = taxed(rules(one), 200'000'000);
  ASSERT_EQ(alone.awards.size(), 1u);
  EXPECT_EQ(alone.awards[0].withheld_cents, 0);
  const SettlementPlan carried = taxed(rules(one), 200'000'000, 50'000'000);
  ASSERT_EQ(carried.awards.size(), 1u);
  EXPECT_EQ(carried.awards[0].gross_cents, 250'000'000);
  EXPECT_EQ(carried.awards[0].withheld_cents, 50'000'000);
  EXPECT_EQ(carried.awards[0].net_cents, 200'000'000);
}

TEST(PrizeTax, APrizeInKindIsTaxedOnItsCommercialValue) {
  auto in_kind = [](int64_t value) {
    return json{{"tiers",
                 {{{"name", "moto"},
                   {"match", {{"field", "numero"}, {"digits", "last"}, {"count", 2}}},
                   {"prize", {{"type", "in_kind"}, {"description", "Moto AKT 125"}, {"value_cents", value}}}},
                  {{"name", "seco"},
                   {"match", {{"field", "numero"}, {"digits", "first"}, {"count", 2}}},
                   {"share_bp", 10000}}}},
                {"unsold", "house"}};
  };
  const SettlementPlan moto = taxed(rules(in_kind(650'000'000)), 1'000'000);
  ASSERT_EQ(moto.awards.size(), 2u);
  EXPECT_TRUE(moto.awards[0].in_kind);
  EXPECT_EQ(moto.awards[0].amount_cents, 0);  // no cash leaves the fund for it
  EXPECT_EQ(moto.awards[0].gross_cents, 650'000'000);
  EXPECT_EQ(moto.awards[0].withheld_cents, 130'000'000);  // owed by the winner before delivery
  EXPECT_EQ(moto.awards[0].net_cents, 520'000'000);
  EXPECT_EQ(moto.awards[1].withheld_cents, 0);
  const SettlementPlan small = taxed(rules(in_kind(kThreshold2025)), 1'000'000);
  EXPECT_EQ(small.awards[0].withheld_cents, 0);
}

TEST(PrizeTax, TheYearChoiceInThePlan) {
  const PrizeRules r = rules(two_tiers(10000, 0));
  EXPECT_EQ(taxed(r, 240'000'000, 0, 2025).awards[0].withheld_cents, 48'000'000);
  EXPECT_EQ(taxed(r, 240'000'000, 0, 2026).awards[0].withheld_cents, 0);
  auto plan = plan_settlement(r, kDraw, 100, kSold, 240'000'000, 0, 0);
  ASSERT_TRUE(plan.ok());
  auto missing = apply_withholding(*plan, r, colombia(), 2027);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("2027"), std::string::npos);
}

TEST(PrizeTax, TheInvariantCatchesAnAwardThatDoesNotAddUp) {
  SettlementPlan plan = taxed(rules(two_tiers(7000, 3000)), 400'000'000);
  plan.awards[0].net_cents += 1;
  EXPECT_NE(plan_invariant_violation(plan), "");
}

}  // namespace
}  // namespace rifa::settlement
