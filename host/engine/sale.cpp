#include "engine/sale.hpp"

namespace rifa::engine {

const char* to_string(PaymentStatus status) {
  switch (status) {
    case PaymentStatus::kPending: return "pending";
    case PaymentStatus::kSucceeded: return "succeeded";
    case PaymentStatus::kFailed: return "failed";
    case PaymentStatus::kRefunded: return "refunded";
  }
  return "pending";
}

std::optional<PaymentStatus> parse_payment_status(std::string_view text) {
  for (auto s :
       {PaymentStatus::kPending, PaymentStatus::kSucceeded, PaymentStatus::kFailed, PaymentStatus::kRefunded}) {
    if (text == to_string(s)) return s;
  }
  return std::nullopt;
}

bool payment_transition_allowed(PaymentStatus from, PaymentStatus to) {
  if (from == PaymentStatus::kPending) return to == PaymentStatus::kSucceeded || to == PaymentStatus::kFailed;
  return (from == PaymentStatus::kSucceeded || from == PaymentStatus::kFailed) && to == PaymentStatus::kRefunded;
}

}  // namespace rifa::engine
