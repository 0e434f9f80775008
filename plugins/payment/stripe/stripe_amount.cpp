#include "stripe_amount.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>
#include <string_view>

#include "rifa/sdk/error.hpp"

namespace rifa::plugins::stripe {
namespace {

enum class Kind { kTwoDecimal, kZeroDecimal, kThreeDecimal, kWholeUnitsInCents };

constexpr std::array<std::string_view, 15> kZeroDecimal = {"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA",
                                                           "PYG", "RWF", "VND", "VUV", "XAF", "XOF", "XPF"};
constexpr std::array<std::string_view, 5> kThreeDecimal = {"BHD", "JOD", "KWD", "OMR", "TND"};
constexpr std::array<std::string_view, 3> kWholeUnitsInCents = {"COP", "ISK", "UGX"};

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

template <size_t N>
bool in(const std::array<std::string_view, N>& list, const std::string& code) {
  return std::find(list.begin(), list.end(), code) != list.end();
}

Kind kind_of(const std::string& code) {
  if (in(kZeroDecimal, code)) return Kind::kZeroDecimal;
  if (in(kThreeDecimal, code)) return Kind::kThreeDecimal;
  if (in(kWholeUnitsInCents, code)) return Kind::kWholeUnitsInCents;
  return Kind::kTwoDecimal;
}

[[noreturn]] void unrepresentable(int64_t cents, const std::string& code, const std::string& why) {
  throw sdk::Error(RIFA_ERR_INVALID_ARGUMENT, "amount_cents " + std::to_string(cents) + " " + code +
                                                  " cannot be represented in Stripe's minor unit: " + why +
                                                  " (refused rather than rounded)");
}

}  // namespace

int64_t to_stripe_amount(int64_t cents, const std::string& currency) {
  const std::string code = upper(currency);
  if (cents <= 0) unrepresentable(cents, code, "it must be positive");
  switch (kind_of(code)) {
    case Kind::kZeroDecimal:
      if (cents % 100 != 0) unrepresentable(cents, code, code + " is a zero-decimal currency: whole units only");
      return cents / 100;
    case Kind::kWholeUnitsInCents:
      if (cents % 100 != 0) {
        unrepresentable(cents, code, code + " takes whole units only (two decimals in the API, divisible by 100)");
      }
      return cents;
    case Kind::kThreeDecimal:
      if (cents > std::numeric_limits<int64_t>::max() / 10) unrepresentable(cents, code, "too large");
      return cents * 10;
    case Kind::kTwoDecimal: break;
  }
  return cents;
}

int64_t from_stripe_amount(int64_t amount, const std::string& currency) {
  switch (kind_of(upper(currency))) {
    case Kind::kZeroDecimal: return amount * 100;
    case Kind::kThreeDecimal: return amount / 10;
    case Kind::kWholeUnitsInCents:
    case Kind::kTwoDecimal: break;
  }
  return amount;
}

}  // namespace rifa::plugins::stripe
