#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "engine/clock.hpp"

// Retención en la fuente on prizes (issue 15, item 1). Prizes of loterías, rifas and similar games
// are *ganancia ocasional*: the payer withholds `rate_bp` (20 %) of the prize at the moment of
// payment when the prize is worth MORE than `threshold_uvt` (48) UVT (Estatuto Tributario arts.
// 304, 306, 317, 402, 404). Pure functions: money in integer cents, no database, no config file.
//
// The rule, per winner's share (one ganador row: a prize split between tiers is judged per tier,
// each ganador on its own amount, never on the rifa's total):
//   threshold = threshold_uvt × UVT(year) pesos × 100 cents
//   gross <= threshold → withheld 0 (exactly 48 UVT withholds nothing)
//   gross >  threshold → withheld = rate_bp × gross / 10000 on the WHOLE gross, rounded half up to
//                        the whole cent (the one rounding rule); net = gross − withheld.
// gross == withheld + net always. Carried-over funds that reached the prize are part of the gross.
// A prize in kind: its commercial value (reglas value_cents) is the gross; the winner owes the
// withholding before delivery (net is what the goods are worth after it).
//
// Which year's UVT: the year of payment, in Bogotá time. Settlement computes the withholding for
// the year it runs in (the payout job normally pays minutes later); when the prize is paid in a
// later year (a rifa settled on 31 December and paid on 2 January) withholding_at_payment decides
// it again with that year's UVT, and the new figures are stored and paid. One rule for every way a
// prize is paid: the payout job before it pins the amount (PayoutService), a manual payment
// (PayoutClaimService), and a prize in kind when its withholding is recorded paid or it is
// delivered (SqlPrizeDeliveryRepository). Once an amount was pinned for the provider or the
// withholding recorded paid, it no longer changes.
namespace rifa::settlement {

struct TaxRules {
  // false: no `tax:` section in the config; prizes are paid gross and nothing is withheld.
  bool enabled = false;
  int rate_bp = 2000;                        // 20 %
  int threshold_uvt = 48;                    // withheld only above this many UVT
  std::map<int, int64_t> uvt_pesos_by_year;  // year → value of one UVT in whole pesos
};

struct Withholding {
  int64_t gross_cents = 0;
  int64_t withheld_cents = 0;
  int64_t net_cents = 0;
  int year = 0;                 // whose UVT was used (0 when tax is disabled)
  int64_t uvt_pesos = 0;        // its value
  int64_t threshold_cents = 0;  // threshold_uvt × uvt in cents
  int rate_bp = 0;              // the rate applied above it (0 when tax is disabled)
};

// The withholding on `gross_cents` given the threshold and rate directly (what withhold() does
// once it knows the year's UVT); for checking a published document without the config.
int64_t withheld_on(int64_t gross_cents, int64_t threshold_cents, int rate_bp);

// The withholding on one winner's `gross_cents` paid in `year`. kConfigInvalid naming the year
// when the rules have no UVT for it; kInvalidArgument for a negative gross.
Result<Withholding> withhold(const TaxRules& rules, int64_t gross_cents, int year);

// The withholding on `gross_cents` as paid at `paid_at`: settlement decided it with the UVT of
// `decided_year` (0: before the withholding existed, or tax disabled then); paid in that same
// Bogotá year it stands (nullopt), paid in another it is decided again with the year of payment's
// UVT. nullopt as well when tax is disabled. kConfigInvalid naming the year when the rules have no
// UVT for it.
Result<std::optional<Withholding>> withholding_at_payment(const TaxRules& rules, int64_t gross_cents, int decided_year,
                                                          engine::TimePoint paid_at);

// The calendar year of `t` in Bogotá (UTC−5, no DST): the year of payment.
int bogota_year(engine::TimePoint t);

}  // namespace rifa::settlement
