#include "engine/settlement/verification_check.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include "common/sha256.hpp"
#include "engine/settlement/commitment.hpp"
#include "engine/settlement/prize_rules.hpp"

namespace rifa::settlement {
namespace {

using nlohmann::json;

std::string text_or_empty(const json& doc, const char* key) {
  return doc.contains(key) && doc[key].is_string() ? doc[key].get<std::string>() : std::string();
}

// (tier, numero, amount in cents; -1 when the amount is not compared)
using Prize = std::tuple<int, int, int64_t>;

std::string describe(const Prize& p) {
  std::string s = "tier " + std::to_string(std::get<0>(p)) + " numero " + std::to_string(std::get<1>(p));
  if (std::get<2>(p) >= 0) s += " monto " + std::to_string(std::get<2>(p));
  return s;
}

void check_winners(const Commitment& c, const json& doc, VerificationCheck& out) {
  const json& sorteo = doc["sorteo"];
  if (text_or_empty(sorteo, "fecha_sorteo") != c.draw_date) {
    out.differences.push_back("draw: taken for " + text_or_empty(sorteo, "fecha_sorteo") +
                              " but the commitment names " + c.draw_date);
  } else {
    out.passed.push_back("draw date " + c.draw_date + " is the committed one");
  }
  if (text_or_empty(sorteo, "plugin_instance") != c.lottery_instance) {
    out.differences.push_back("draw: taken from lottery instance '" + text_or_empty(sorteo, "plugin_instance") +
                              "' but the commitment names '" + c.lottery_instance + "'");
  }
  auto rules = parse_prize_rules(c.reglas, c.total_boletas);
  if (!rules) {
    out.differences.push_back("commitment reglas: " + rules.error().message);
    return;
  }
  auto draw = draw_numbers_from_json(sorteo.value("resultado", json::object()));
  if (!draw) {
    out.differences.push_back("draw: " + draw.error().message);
    return;
  }
  std::set<int> sold;
  if (!doc.contains("vendidos") || !doc["vendidos"].is_array()) {
    out.differences.push_back("vendidos: missing: the sold numbers are needed to recompute the winners");
    return;
  }
  for (const auto& n : doc["vendidos"]) {
    if (!n.is_number_integer() || n.get<int64_t>() < 0 || n.get<int64_t>() >= c.total_boletas) {
      out.differences.push_back("vendidos: " + n.dump() + " is not a ticket number of this rifa (0.." +
                                std::to_string(c.total_boletas - 1) + ")");
      return;
    }
    if (!sold.insert(n.get<int>()).second) {
      out.differences.push_back("vendidos: " + n.dump() + " is listed twice");
      return;
    }
  }
  // The fund comes from what the sold tickets paid: the committed price times the count.
  // plus any prize money carried over into it from earlier rifas of the categoria.
  const int64_t recaudo = c.precio_cents * static_cast<int64_t>(sold.size());
  const json& carried = doc.contains("fondo_recibido") ? doc["fondo_recibido"] : json(0);
  if (!carried.is_number_integer() || carried.get<int64_t>() < 0) {
    out.differences.push_back("fondo_recibido: must be a non-negative integer of cents");
    return;
  }
  auto plan = plan_settlement(*rules, *draw, c.total_boletas, sold, recaudo, c.rake_bp, carried.get<int64_t>());
  if (!plan) {
    out.differences.push_back("settlement: " + plan.error().message);
    return;
  }
  std::vector<Prize> expected, published;
  for (const auto& a : plan->awards) {
    // Prizes in kind carry no cash amount in the plan; only who wins them is compared.
    expected.emplace_back(static_cast<int>(a.tier), a.numero, a.in_kind ? -1 : a.amount_cents);
  }
  std::set<int> in_kind_tiers;
  for (size_t i = 0; i < rules->tiers.size(); ++i) {
    if (rules->tiers[i].in_kind) in_kind_tiers.insert(static_cast<int>(i));
  }
  for (const auto& g : doc.value("ganadores", json::array())) {
    const int tier = g.value("tier", -1);
    published.emplace_back(tier, g.value("numero", -1),
                           in_kind_tiers.count(tier) ? -1 : g.value("monto_ganado", int64_t{-1}));
  }
  std::sort(expected.begin(), expected.end());
  std::sort(published.begin(), published.end());
  std::vector<Prize> missing, extra;
  std::set_difference(expected.begin(), expected.end(), published.begin(), published.end(),
                      std::back_inserter(missing));
  std::set_difference(published.begin(), published.end(), expected.begin(), expected.end(), std::back_inserter(extra));
  for (const auto& p : missing) out.differences.push_back("winners: expected " + describe(p) + ", not published");
  for (const auto& p : extra) out.differences.push_back("winners: published " + describe(p) + ", not expected");
  // Retención en la fuente, per ganador (documents from before it was published carry none).
  int taxed = 0;
  bool tax_ok = true;
  for (const auto& g : doc.value("ganadores", json::array())) {
    if (!g.is_object() || !g.contains("monto_bruto")) continue;
    const int tier = g.value("tier", -1);
    const std::string who = "ganador numero " + std::to_string(g.value("numero", -1)) + " tier " + std::to_string(tier);
    const int64_t bruto = g.value("monto_bruto", int64_t{-1});
    const int64_t retencion = g.value("retencion", int64_t{-1});
    const int64_t neto = g.value("monto_neto", int64_t{-1});
    const size_t t = static_cast<size_t>(tier);
    const bool in_kind = tier >= 0 && t < rules->tiers.size() && rules->tiers[t].in_kind;
    const int64_t base = in_kind ? rules->tiers[t].in_kind_value_cents : g.value("monto_ganado", int64_t{-1});
    int64_t due = 0;
    if (g.contains("retencion_regla") && g["retencion_regla"].is_object()) {
      const json& rule = g["retencion_regla"];
      due = withheld_on(bruto, rule.value("umbral_cents", int64_t{0}), rule.value("tarifa_bp", 0));
    }
    if (bruto < 0 || retencion < 0 || neto < 0 || bruto != retencion + neto) {
      out.differences.push_back(who + ": monto_bruto " + std::to_string(bruto) + " != retencion " +
                                std::to_string(retencion) + " + monto_neto " + std::to_string(neto));
      tax_ok = false;
    } else if (bruto != base) {
      out.differences.push_back(who + ": monto_bruto " + std::to_string(bruto) + " is not the prize (" +
                                std::to_string(base) + (in_kind ? " cents of commercial value)" : " cents won)"));
      tax_ok = false;
    } else if (retencion != due) {
      out.differences.push_back(who + ": retencion " + std::to_string(retencion) + ", the published rule gives " +
                                std::to_string(due));
      tax_ok = false;
    } else {
      ++taxed;
    }
  }
  if (tax_ok && taxed > 0) {
    out.passed.push_back("withholding on prizes: " + std::to_string(taxed) +
                         " ganador(es) add up (monto_bruto = retencion + monto_neto, retencion by the published rule)");
  }
  if (missing.empty() && extra.empty()) {
    std::string numbers;
    for (const auto& n : plan->winning_numbers)
      numbers += (numbers.empty() ? "" : ", ") + (n ? std::to_string(*n) : "none");
    out.passed.push_back("winners recomputed from the draw (winning numbers " + numbers + ", " +
                         std::to_string(sold.size()) + " sold, fund " + std::to_string(plan->fondo_cents) +
                         " cents): " + std::to_string(expected.size()) + " prize(s) match" +
                         (plan->refund_all ? "; the rules void the rifa: every ticket is refunded" : ""));
  }
}

}  // namespace

VerificationCheck check_verification(const json& doc) {
  VerificationCheck out;
  if (!doc.is_object()) {
    out.differences.push_back("document: not a JSON object");
    return out;
  }
  if (!doc.contains("commitment") || !doc["commitment"].is_object()) {
    out.differences.push_back("commitment: missing: the rifa was never activated, so nothing was committed");
    return out;
  }
  const json& committed = doc["commitment"];
  // The hash covers the commitment's canonical text: keys sorted, no spaces (nlohmann's dump()).
  const std::string recomputed = sha256_hex(committed.dump());
  const std::string published = text_or_empty(doc, "commitment_hash");
  if (recomputed != published) {
    out.differences.push_back("commitment_hash: published " + (published.empty() ? "(none)" : published) +
                              ", recomputed " + recomputed);
  } else {
    out.passed.push_back("commitment hash " + recomputed);
  }
  auto c = commitment_from_json(committed);
  if (!c) {
    out.differences.push_back(c.error().message);
    return out;
  }
  if (text_or_empty(doc, "rifa_id") != c->rifa_id) {
    out.differences.push_back("commitment: made for rifa " + c->rifa_id + ", published for " +
                              text_or_empty(doc, "rifa_id"));
  }
  const std::string seed = text_or_empty(doc, "assignment_seed");
  if (!c->seed_sha256.empty() && !seed.empty()) {
    if (sha256_hex(seed) != c->seed_sha256) {
      out.differences.push_back("assignment_seed: its SHA-256 is " + sha256_hex(seed) + ", the commitment holds " +
                                c->seed_sha256);
    } else {
      out.passed.push_back("assignment seed matches its committed hash");
    }
  }
  if (doc.contains("sorteo") && doc["sorteo"].is_object()) {
    out.settled = true;
    check_winners(*c, doc, out);
  }
  return out;
}

}  // namespace rifa::settlement
