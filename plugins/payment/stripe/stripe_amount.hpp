#pragma once
// Our integer cents ↔ the amount Stripe's API expects for a currency (its "minor unit"), exactly.
// Stripe's currency rules (docs.stripe.com/currencies):
//  - two-decimal currencies (USD, EUR, ...): the API amount is cents;
//  - zero-decimal currencies (JPY, CLP, ...): the API amount is whole units, so our cents must be a
//    multiple of 100;
//  - three-decimal currencies (KWD, BHD, ...): the API amount is thousandths, and Stripe requires its
//    last digit to be 0, which is exactly our cents × 10;
//  - special cases that stay two-decimal in the API but only take whole units (ISK, UGX and COP,
//    "zero-decimal in practice"): the API amount is cents, and it must be a multiple of 100.
// An amount that would need rounding is refused (RIFA_ERR_INVALID_ARGUMENT), never rounded.
#include <cstdint>
#include <string>

namespace rifa::plugins::stripe {

// cents → Stripe API amount for `currency` (ISO 4217, any case). Throws sdk::Error
// RIFA_ERR_INVALID_ARGUMENT when the amount cannot be represented exactly.
int64_t to_stripe_amount(int64_t cents, const std::string& currency);

// Stripe API amount → cents (always exact).
int64_t from_stripe_amount(int64_t amount, const std::string& currency);

}  // namespace rifa::plugins::stripe
