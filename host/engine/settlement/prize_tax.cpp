#include "engine/settlement/prize_tax.hpp"

#include "engine/settlement/draw_timing.hpp"

namespace rifa::settlement {

Result<Withholding> withhold(const TaxRules& rules, int64_t gross_cents, int year) {
  if (gross_cents < 0) return make_error(ErrorCode::kInvalidArgument, "a prize cannot be negative");
  Withholding w;
  w.gross_cents = gross_cents;
  w.net_cents = gross_cents;
  if (!rules.enabled) return w;
  auto uvt = rules.uvt_pesos_by_year.find(year);
  if (uvt == rules.uvt_pesos_by_year.end()) {
    return make_error(ErrorCode::kConfigInvalid,
                      "tax.uvt has no value for " + std::to_string(year) +
                          " (the year of payment): the withholding on prizes cannot be computed; add the year's "
                          "UVT (set by DIAN resolution) to tax.uvt in the config");
  }
  w.year = year;
  w.uvt_pesos = uvt->second;
  w.threshold_cents = static_cast<int64_t>(rules.threshold_uvt) * uvt->second * 100;
  w.rate_bp = rules.rate_bp;
  w.withheld_cents = withheld_on(gross_cents, w.threshold_cents, w.rate_bp);
  w.net_cents = gross_cents - w.withheld_cents;
  return w;
}

int64_t withheld_on(int64_t gross_cents, int64_t threshold_cents, int rate_bp) {
  if (gross_cents <= threshold_cents) return 0;
  // rate × gross / 10000 rounded half up, without overflowing for any int64 gross.
  const int64_t rate = rate_bp;
  return gross_cents / 10000 * rate + (gross_cents % 10000 * rate + 5000) / 10000;
}

Result<std::optional<Withholding>> withholding_at_payment(const TaxRules& rules, int64_t gross_cents, int decided_year,
                                                          engine::TimePoint paid_at) {
  if (!rules.enabled) return std::optional<Withholding>();
  const int year = bogota_year(paid_at);
  if (year == decided_year) return std::optional<Withholding>();
  auto w = withhold(rules, gross_cents, year);
  if (!w) return w.error();
  return std::optional<Withholding>(*w);
}

int bogota_year(engine::TimePoint t) { return std::stoi(bogota_date(t).substr(0, 4)); }

}  // namespace rifa::settlement
