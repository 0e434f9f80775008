#include "engine/settlement/prize_rules.hpp"

#include <algorithm>
#include <cctype>

namespace rifa::settlement {
namespace {

using nlohmann::json;

Error invalid(const std::string& path, const std::string& message) {
  return make_field_error(ErrorCode::kInvalidArgument, path, message);
}

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

const std::set<std::string> kRulesKeys = {"tiers", "unsold"};
const std::set<std::string> kTierKeys = {"name", "match", "share_bp", "share_bp_if_alone", "prize"};
const std::set<std::string> kMatchKeys = {"field", "digits", "count", "index"};
const std::set<std::string> kPrizeKeys = {"type", "description", "value_cents"};

std::optional<Error> unknown_keys(const json& object, const std::set<std::string>& allowed, const std::string& path) {
  for (const auto& [key, value] : object.items()) {
    if (!allowed.count(key)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      return invalid(path + "." + key, "unknown key (allowed: " + list + ")");
    }
  }
  return std::nullopt;
}

Result<int> integer_in(const json& object, const std::string& key, const std::string& path, int min, int max) {
  const auto& v = object.at(key);
  if (!v.is_number_integer() || v.get<int64_t>() < min || v.get<int64_t>() > max) {
    return invalid(path + "." + key, "must be an integer " + std::to_string(min) + ".." + std::to_string(max));
  }
  return static_cast<int>(v.get<int64_t>());
}

// The field's digits as drawn; nullopt when the draw lacks the field.
std::optional<std::string> field_value(const Tier& tier, const DrawNumbers& draw) {
  switch (tier.field) {
    case MatchField::kNumero:
      if (draw.numbers.empty()) return std::nullopt;
      return draw.numbers.front();
    case MatchField::kSerie:
      if (draw.series.empty()) return std::nullopt;
      return draw.series;
    case MatchField::kBalota:
      if (tier.index >= static_cast<int>(draw.numbers.size())) return std::nullopt;
      return draw.numbers[static_cast<size_t>(tier.index)];
    case MatchField::kSuperbalota: {
      auto it = draw.extra.find("superbalota");
      if (it == draw.extra.end()) return std::nullopt;
      return it->second;
    }
  }
  return std::nullopt;
}

std::optional<int> winning_number(const Tier& tier, const DrawNumbers& draw, int total_boletas) {
  auto value = field_value(tier, draw);
  if (!value || !all_digits(*value)) return std::nullopt;
  std::string digits = *value;
  if (tier.digits != DigitSelection::kExact) {
    if (static_cast<int>(digits.size()) < tier.count) return std::nullopt;
    digits = tier.digits == DigitSelection::kLast ? digits.substr(digits.size() - static_cast<size_t>(tier.count))
                                                  : digits.substr(0, static_cast<size_t>(tier.count));
  }
  if (static_cast<int>(digits.size()) != ticket_number_width(total_boletas)) return std::nullopt;
  const int n = std::stoi(digits);
  return n < total_boletas ? std::optional<int>(n) : std::nullopt;
}

}  // namespace

int ticket_number_width(int total_boletas) {
  int width = 1;
  for (int top = std::max(0, total_boletas - 1); top >= 10; top /= 10) ++width;
  return width;
}

Result<PrizeRules> parse_prize_rules(const json& reglas, int total_boletas) {
  const std::string root = "reglas";
  if (!reglas.is_object()) return invalid(root, "must be an object");
  if (auto e = unknown_keys(reglas, kRulesKeys, root)) return *e;
  if (!reglas.contains("tiers") || !reglas["tiers"].is_array() || reglas["tiers"].empty()) {
    return invalid(root + ".tiers", "must be a non-empty array of prize tiers");
  }
  if (reglas["tiers"].size() > 20) return invalid(root + ".tiers", "at most 20 tiers");
  PrizeRules rules;
  const std::string unsold = reglas.value("unsold", std::string("house"));
  if (unsold == "house") rules.unsold = UnsoldPolicy::kHouse;
  else if (unsold == "refund") rules.unsold = UnsoldPolicy::kRefund;
  else if (unsold == "carry_over") rules.unsold = UnsoldPolicy::kCarryOver;
  else return invalid(root + ".unsold", "must be house, refund or carry_over");

  const int width = ticket_number_width(total_boletas);
  int total_share = 0;
  for (size_t i = 0; i < reglas["tiers"].size(); ++i) {
    const json& t = reglas["tiers"][i];
    const std::string path = root + ".tiers[" + std::to_string(i) + "]";
    if (!t.is_object()) return invalid(path, "must be an object");
    if (auto e = unknown_keys(t, kTierKeys, path)) return *e;
    Tier tier;
    tier.name = t.value("name", "premio " + std::to_string(i + 1));
    if (!t.contains("match") || !t["match"].is_object()) return invalid(path + ".match", "is required (an object)");
    const json& m = t["match"];
    if (auto e = unknown_keys(m, kMatchKeys, path + ".match")) return *e;
    const std::string field = m.value("field", "");
    if (field == "numero") tier.field = MatchField::kNumero;
    else if (field == "serie") tier.field = MatchField::kSerie;
    else if (field == "balota") tier.field = MatchField::kBalota;
    else if (field == "superbalota") tier.field = MatchField::kSuperbalota;
    else return invalid(path + ".match.field", "must be numero, serie, balota or superbalota");
    if (tier.field == MatchField::kBalota) {
      if (!m.contains("index")) return invalid(path + ".match.index", "is required for balota");
      auto index = integer_in(m, "index", path + ".match", 0, 5);
      if (!index) return index.error();
      tier.index = *index;
    }
    const std::string digits = m.value("digits", "");
    if (digits == "last") tier.digits = DigitSelection::kLast;
    else if (digits == "first") tier.digits = DigitSelection::kFirst;
    else if (digits == "exact") tier.digits = DigitSelection::kExact;
    else return invalid(path + ".match.digits", "must be last, first or exact");
    if (tier.digits != DigitSelection::kExact) {
      if (!m.contains("count")) return invalid(path + ".match.count", "is required for last/first");
      auto count = integer_in(m, "count", path + ".match", 1, 9);
      if (!count) return count.error();
      tier.count = *count;
      if (tier.count != width) {
        return invalid(path + ".match.count", "takes " + std::to_string(tier.count) + " digits but the " +
                                                  std::to_string(total_boletas) + " ticket numbers have " +
                                                  std::to_string(width));
      }
    }

    bool in_kind = false;
    if (t.contains("prize")) {
      const json& p = t["prize"];
      if (!p.is_object()) return invalid(path + ".prize", "must be an object");
      if (auto e = unknown_keys(p, kPrizeKeys, path + ".prize")) return *e;
      const std::string type = p.value("type", "cash");
      if (type == "in_kind") {
        in_kind = true;
        if (!p.contains("description") || !p["description"].is_string() ||
            p["description"].get<std::string>().empty()) {
          return invalid(path + ".prize.description", "is required for a prize in kind");
        }
        if (!p.contains("value_cents") || !p["value_cents"].is_number_integer() ||
            p["value_cents"].get<int64_t>() < 0) {
          return invalid(path + ".prize.value_cents", "must be an integer >= 0 (the commercial value)");
        }
        tier.in_kind_description = p["description"].get<std::string>();
        tier.in_kind_value_cents = p["value_cents"].get<int64_t>();
      } else if (type != "cash") {
        return invalid(path + ".prize.type", "must be cash or in_kind");
      }
    }
    tier.in_kind = in_kind;
    if (in_kind) {
      if (t.contains("share_bp") || t.contains("share_bp_if_alone")) {
        return invalid(path + ".share_bp", "a prize in kind takes no share of the cash fund");
      }
    } else {
      if (!t.contains("share_bp")) return invalid(path + ".share_bp", "is required for a cash prize");
      auto share = integer_in(t, "share_bp", path, 0, 10000);
      if (!share) return share.error();
      tier.share_bp = *share;
      if (t.contains("share_bp_if_alone")) {
        auto alone = integer_in(t, "share_bp_if_alone", path, 0, 10000);
        if (!alone) return alone.error();
        tier.share_bp_if_alone = *alone;
      }
    }
    total_share += tier.share_bp;
    rules.tiers.push_back(std::move(tier));
  }
  if (total_share > 10000) {
    return invalid(root + ".tiers", "shares add up to " + std::to_string(total_share) + " bp, more than 10000");
  }
  return rules;
}

json default_reglas(int total_boletas) {
  return {{"tiers",
           {{{"name", "premio mayor"},
             {"match", {{"field", "numero"}, {"digits", "last"}, {"count", ticket_number_width(total_boletas)}}},
             {"share_bp", 10000}}}},
          {"unsold", "house"}};
}

Result<PrizeRules> effective_prize_rules(const json& reglas, int total_boletas) {
  if (reglas.is_object() && reglas.empty()) return parse_prize_rules(default_reglas(total_boletas), total_boletas);
  return parse_prize_rules(reglas, total_boletas);
}

Result<DrawNumbers> draw_numbers_from_json(const json& result) {
  DrawNumbers draw;
  try {
    for (const auto& n : result.at("numbers")) draw.numbers.push_back(n.get<std::string>());
    if (result.contains("series") && result["series"].is_string()) draw.series = result["series"].get<std::string>();
    if (result.contains("extra") && result["extra"].is_object()) {
      for (const auto& [k, v] : result["extra"].items()) {
        if (v.is_string()) draw.extra[k] = v.get<std::string>();
      }
    }
  } catch (const json::exception& e) {
    return make_error(ErrorCode::kValidation, std::string("draw result: ") + e.what());
  }
  return draw;
}

Result<SettlementPlan> plan_settlement(const PrizeRules& rules, const DrawNumbers& draw, int total_boletas,
                                       const std::set<int>& sold, int64_t recaudo_cents, int rake_bp,
                                       int64_t carried_in_cents) {
  if (recaudo_cents < 0 || rake_bp < 0 || rake_bp > 10000 || carried_in_cents < 0) {
    return make_error(ErrorCode::kInvalidArgument, "recaudo and carried-in must be >= 0 and rake 0..10000 bp");
  }
  SettlementPlan plan;
  plan.recaudo_cents = recaudo_cents;
  // Integer arithmetic only; the fund is floored and the rake takes the rounding.
  plan.fondo_cents = recaudo_cents / 10000 * (10000 - rake_bp) + recaudo_cents % 10000 * (10000 - rake_bp) / 10000;
  plan.rake_cents = recaudo_cents - plan.fondo_cents;
  plan.carried_in_cents = carried_in_cents;
  plan.fondo_cents += carried_in_cents;

  std::vector<bool> has_winner;
  for (const auto& tier : rules.tiers) {
    const auto n = winning_number(tier, draw, total_boletas);
    plan.winning_numbers.push_back(n);
    has_winner.push_back(n && sold.count(*n));
  }
  const bool any_unsold = std::find(has_winner.begin(), has_winner.end(), false) != has_winner.end();
  if (any_unsold && rules.unsold == UnsoldPolicy::kRefund) {
    // The rifa is void: every ticket is refunded, nothing is awarded, the house keeps nothing.
    plan.refund_all = true;
    plan.rake_cents = 0;
    plan.fondo_cents = 0;
    plan.carried_in_cents = 0;  // left in the categoria's fund for the next rifa
    return plan;
  }
  const int winners = static_cast<int>(std::count_if(has_winner.begin(), has_winner.end(), [](bool b) { return b; }));
  int64_t awarded = 0;
  for (size_t i = 0; i < rules.tiers.size(); ++i) {
    const Tier& tier = rules.tiers[i];
    const int share =
        (winners == 1 && has_winner[i] && tier.share_bp_if_alone) ? *tier.share_bp_if_alone : tier.share_bp;
    const int64_t amount = plan.fondo_cents / 10000 * share + plan.fondo_cents % 10000 * share / 10000;
    if (has_winner[i]) {
      const int64_t cash = tier.in_kind ? 0 : amount;
      const int64_t gross = tier.in_kind ? tier.in_kind_value_cents : amount;
      plan.awards.push_back(Award{i, *plan.winning_numbers[i], cash, tier.in_kind, gross, 0, gross});
      awarded += tier.in_kind ? 0 : amount;
    } else if (rules.unsold == UnsoldPolicy::kCarryOver && !tier.in_kind) {
      plan.carry_over_cents += amount;
    }
  }
  // A lone winner's larger share (share_bp_if_alone) comes out of the unsold tiers' shares, so the
  // carry-over is what is left of the fund, never more.
  plan.carry_over_cents = std::min(plan.carry_over_cents, plan.fondo_cents - awarded);
  plan.house_cents = recaudo_cents + carried_in_cents - awarded - plan.carry_over_cents;
  return plan;
}

Result<void> apply_withholding(SettlementPlan& plan, const PrizeRules& rules, const TaxRules& tax, int year) {
  int64_t withheld_total = 0;
  for (auto& award : plan.awards) {
    if (award.tier >= rules.tiers.size()) return make_error(ErrorCode::kInternal, "award of an unknown tier");
    const Tier& tier = rules.tiers[award.tier];
    const int64_t gross = award.in_kind ? tier.in_kind_value_cents : award.amount_cents;
    auto w = withhold(tax, gross, year);
    if (!w) return w.error();
    award.gross_cents = w->gross_cents;
    award.withheld_cents = w->withheld_cents;
    award.net_cents = w->net_cents;
    withheld_total += w->withheld_cents;
  }
  if (tax.enabled) {
    auto rule = withhold(tax, 0, year);
    if (!rule) return rule.error();
    plan.tax_rate_bp = rule->rate_bp;
    plan.tax_threshold_cents = rule->threshold_cents;
  }
  plan.withheld_cents = withheld_total;
  plan.tax_year = tax.enabled ? year : 0;
  return {};
}

std::string plan_invariant_violation(const SettlementPlan& plan) {
  int64_t awarded = 0;
  for (const auto& a : plan.awards) {
    if (a.amount_cents < 0 || a.gross_cents < 0 || a.withheld_cents < 0 || a.net_cents < 0) {
      return "award of tier " + std::to_string(a.tier) + " has a negative amount";
    }
    if (a.gross_cents != a.withheld_cents + a.net_cents) {
      return "award of tier " + std::to_string(a.tier) + ": gross " + std::to_string(a.gross_cents) + " != withheld " +
             std::to_string(a.withheld_cents) + " + net " + std::to_string(a.net_cents);
    }
    if (!a.in_kind && a.gross_cents != a.amount_cents) {
      return "cash award of tier " + std::to_string(a.tier) + ": gross differs from its share of the fund";
    }
    awarded += a.amount_cents;
  }
  if (plan.house_cents < 0 || plan.carry_over_cents < 0) return "negative house or carry-over";
  if (plan.refund_all) return awarded == 0 ? std::string() : "a voided rifa awards nothing";
  if (awarded + plan.house_cents + plan.carry_over_cents != plan.recaudo_cents + plan.carried_in_cents) {
    return "awards + house + carry_over != recaudo + carried_in";
  }
  return {};
}

}  // namespace rifa::settlement
