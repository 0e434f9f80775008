#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/clock.hpp"

namespace rifa::engine {

// transacciones.status. The only moves are pending → succeeded | failed, succeeded → refunded, and
// failed → refunded (money that arrived after the numbers were released, given back)
// (payment_transition_allowed); anything else a provider reports is ignored and logged.
enum class PaymentStatus { kPending, kSucceeded, kFailed, kRefunded };

const char* to_string(PaymentStatus status);
std::optional<PaymentStatus> parse_payment_status(std::string_view text);
bool payment_transition_allowed(PaymentStatus from, PaymentStatus to);

// One charge: a transacciones row.
struct Transaccion {
  std::string id;
  std::string user_id;
  std::string rifa_id;
  int64_t amount = 0;  // integer cents
  std::string currency = "COP";
  std::string provider;  // the payment plugin instance id
  std::optional<std::string> provider_ref;
  PaymentStatus status = PaymentStatus::kPending;
  std::optional<std::string> payment_method;
  std::optional<std::string> failure_reason;
  TimePoint created_at;
  // While pending: what the app must do for the payment to go on, as the plugin said it (JSON text
  // of {"type": "redirect", "url"} / {"type": "client_secret", ...} / {"type": "wait", ...}).
  std::optional<std::string> next_action;
};

// A tickets row as the sales side sees it. estado is the column's text (disponible, reservado,
// vendido, ganador, anulado).
struct Ticket {
  std::string id;
  std::string rifa_id;
  std::optional<std::string> usuario_id;
  int32_t numero = 0;
  std::string estado;
  int64_t precio = 0;
  std::optional<std::string> transaccion_id;
  std::optional<TimePoint> comprado_en;
  std::optional<TimePoint> hold_expires_at;
};

// A transaccion with the tickets that point at it (none once they were released).
struct Sale {
  Transaccion transaccion;
  std::vector<Ticket> tickets;
};

}  // namespace rifa::engine
