#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "engine/settlement/prize_tax.hpp"

// Prize rules of a rifa (`rifas.reglas`) and the settlement plan they give for one draw. Pure
// functions: no database, no plugin; money in integer cents, shares in basis points (1/10000).
//
// reglas JSON:
//   {"tiers": [
//      {"name": "primer premio",
//       "match": {"field": "numero", "digits": "last", "count": 2},   // numero|serie|balota|superbalota
//       "share_bp": 7000,               // share of the prize fund when every tier has a winner
//       "share_bp_if_alone": 10000,     // optional: share when this is the only tier with a winner
//       "prize": {"type": "cash"}},     // or {"type": "in_kind", "description": "...", "value_cents": N}
//      {"name": "segundo premio", "match": {"field": "serie", "digits": "exact"}, "share_bp": 3000}],
//    "unsold": "house"}                 // house | refund | carry_over: a winning number nobody bought
//
// `digits`: "last" / "first" take `count` digits of the field, "exact" the whole field; `balota`
// needs an `index` (0-based position in the draw's numbers). The extracted digits must be exactly
// as wide as the rifa's ticket numbers (100 tickets → 2 digits, 00..99), which is checked when the
// rules are parsed, so a rule can never silently match nothing.
namespace rifa::settlement {

enum class MatchField { kNumero, kSerie, kBalota, kSuperbalota };
enum class DigitSelection { kLast, kFirst, kExact };
enum class UnsoldPolicy { kHouse, kRefund, kCarryOver };

struct Tier {
  std::string name;
  MatchField field = MatchField::kNumero;
  int index = 0;  // balota position
  DigitSelection digits = DigitSelection::kLast;
  int count = 0;  // for last/first
  int share_bp = 0;
  std::optional<int> share_bp_if_alone;
  bool in_kind = false;
  std::string in_kind_description;
  int64_t in_kind_value_cents = 0;
};

struct PrizeRules {
  std::vector<Tier> tiers;
  UnsoldPolicy unsold = UnsoldPolicy::kHouse;
};

// Width in digits of ticket numbers 0..total_boletas-1 (at least 1).
int ticket_number_width(int total_boletas);

// Parses and validates reglas for a rifa of `total_boletas` tickets. Errors (kInvalidArgument)
// name the JSON path, e.g. "reglas.tiers[1].match.count: must be 1..9".
Result<PrizeRules> parse_prize_rules(const nlohmann::json& reglas, int total_boletas);

// The rules of a rifa whose reglas is empty ({}): one prize, the last digits of the lottery's
// number (as many as the ticket numbers have) take the whole fund; an unsold number leaves it to
// the house.
nlohmann::json default_reglas(int total_boletas);
// The rules a rifa settles with: parse_prize_rules of its reglas, or of default_reglas when empty.
Result<PrizeRules> effective_prize_rules(const nlohmann::json& reglas, int total_boletas);

// The draw as the lottery plugin reported it (abi.h result shape): numbers, series, extra.
struct DrawNumbers {
  std::vector<std::string> numbers;
  std::string series;
  std::map<std::string, std::string> extra;
};
Result<DrawNumbers> draw_numbers_from_json(const nlohmann::json& result);

struct Award {
  size_t tier = 0;
  int numero = 0;            // the winning ticket number
  int64_t amount_cents = 0;  // cash; 0 for in-kind prizes
  bool in_kind = false;
  // Retención en la fuente (prize_tax.hpp), set by apply_withholding: gross is amount_cents for
  // cash, the commercial value for a prize in kind; gross == withheld + net. Before
  // apply_withholding (or with tax disabled): gross == net, withheld 0.
  int64_t gross_cents = 0;
  int64_t withheld_cents = 0;
  int64_t net_cents = 0;
};

struct SettlementPlan {
  int64_t recaudo_cents = 0;
  int64_t rake_cents = 0;
  int64_t fondo_cents = 0;       // (recaudo - rake) + carried_in
  int64_t carried_in_cents = 0;  // from earlier rifas' carry-over; 0 when the rifa is voided
  std::vector<Award> awards;
  // Per tier: the winning number, or nullopt when the draw gives none inside the rifa's range.
  std::vector<std::optional<int>> winning_numbers;
  int64_t house_cents = 0;       // rake + unawarded shares + rounding remainders
  int64_t carry_over_cents = 0;  // unsold shares under UnsoldPolicy::kCarryOver
  bool refund_all = false;       // UnsoldPolicy::kRefund and some winning number was not sold
  int tax_year = 0;              // whose UVT apply_withholding used (0: not applied or tax disabled)
  int tax_rate_bp = 0;           // and the rule it applied (0 / 0: none)
  int64_t tax_threshold_cents = 0;
  int64_t withheld_cents = 0;  // sum of the awards' withheld_cents (cash and in kind)
};

// Which numbers win, and who gets what. `sold` holds the ticket numbers sold (vendido);
// `carried_in_cents` is prize money carried over by earlier rifas, added to this fund (the rake is
// taken from the recaudo only). Shares are floored to whole cents; every remainder goes to the
// house, so awards + house + carry_over == recaudo + carried_in always holds.
Result<SettlementPlan> plan_settlement(const PrizeRules& rules, const DrawNumbers& draw, int total_boletas,
                                       const std::set<int>& sold, int64_t recaudo_cents, int rake_bp,
                                       int64_t carried_in_cents = 0);

// Applies the withholding on prizes (prize_tax.hpp) to each award of the plan, with the UVT of
// `year` (the year of payment): one award is one winner's share, judged on its own. The cash
// split is untouched (awards' amount_cents are still the gross), so the invariant above holds as
// before; what the winner is paid is net_cents. kConfigInvalid when `year` has no UVT.
Result<void> apply_withholding(SettlementPlan& plan, const PrizeRules& rules, const TaxRules& tax, int year);

// The plan's invariants: awards + house + carry_over == recaudo + carried_in, every part >= 0, and
// for each award gross == withheld + net (gross == amount_cents for cash). An empty string when
// they hold, else which one fails.
std::string plan_invariant_violation(const SettlementPlan& plan);

}  // namespace rifa::settlement
