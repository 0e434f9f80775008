#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/settlement/payout_account.hpp"
#include "engine/settlement/prize_tax.hpp"

// What the payout side knows of a ganador's prize (storage/repositories/payout_records reads it).
namespace rifa::settlement {

// A payouts row: how a ganador's prize is being handed over.
struct PayoutStatus {
  std::string ganador_id;
  std::string tipo;    // cash | in_kind
  std::string estado;  // pendiente | enviado | fallido | entregado
  int64_t monto = 0;   // integer cents (0 for a prize in kind)
  std::string currency;
  std::optional<std::string> provider;  // the payment plugin instance, pinned on the first attempt
  std::string idempotency_key;          // the ganador id
  int intentos = 0;
  std::optional<std::string> referencia;  // the provider's payout_ref
  std::optional<std::string> motivo;      // why the last attempt failed
  std::optional<std::string> entregado_por;
};

// A ganador with its ticket, rifa, categoria and winner.
struct PrizeContext {
  std::string ganador_id;
  int tier = 0;
  std::string tier_name;
  int64_t monto_ganado = 0;
  // Retención en la fuente (prize_tax.hpp): gross (the commercial value in kind) == retencion +
  // neto; uvt_anio is the year whose UVT decided it (0: none). A cash prize is paid neto.
  int64_t bruto_cents = 0;
  int64_t retencion_cents = 0;
  int64_t neto_cents = 0;
  int uvt_anio = 0;
  std::optional<std::string> retencion_pagada_en;  // in kind: the winner paid the withholding
  std::optional<std::string> retencion_referencia;
  std::optional<std::string> referencia_pago;
  std::string ticket_id;
  int numero = 0;
  std::optional<std::string> usuario_id;
  std::string ticket_estado;                      // a refunded (anulado) ticket wins nothing
  std::optional<std::string> transaccion_status;  // of the purchase that paid the ticket
  std::string rifa_id;
  std::string rifa_estado;
  std::string categoria_nombre;
  // The payment instance the rifa froze at activation (rifas.payment_instance): prizes are paid
  // through it on every host. Empty only for rifas activated before migration 0020 and never
  // frozen by a reload; the live bindings answer for those.
  std::optional<std::string> payment_instance;
  bool in_kind = false;  // from the rifa's reglas: the tier's prize is {"type": "in_kind"}
  std::string in_kind_description;
  std::string user_nombre, user_email;
  // The winner has an identity document: the account's, or the one the withholding record kept
  // (ganadores.beneficiario_documento_*, migration 0026) when the account was erased since.
  bool beneficiario_documentado = false;
  std::optional<std::string> user_telefono;
  // Where the winner asked to be paid (migration 0021); whole, for the plugin only.
  std::optional<PayoutAccount> cuenta;
  // An admin's approval of a prize above payouts.approval_threshold_cents (POST /ganadores/{id}/aprobar).
  std::optional<std::string> aprobado_por;
  std::optional<std::string> aprobado_en;  // ISO-8601 UTC
};

// The prize's figures after withholding_at_payment decided them again (prize_tax.hpp).
inline void apply_withholding(PrizeContext& prize, const Withholding& w) {
  prize.bruto_cents = w.gross_cents;
  prize.retencion_cents = w.withheld_cents;
  prize.neto_cents = w.net_cents;
  prize.uvt_anio = w.year;
}

}  // namespace rifa::settlement
