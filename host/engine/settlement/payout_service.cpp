#include "engine/settlement/payout_service.hpp"

#include "engine/settlement/payout_claim_service.hpp"

#include <nlohmann/json.hpp>

#include "common/crash_point.hpp"
#include "engine/catalog.hpp"
#include "engine/sale.hpp"
#include "engine/ticket_estado.hpp"
#include "engine/validation.hpp"

namespace rifa::settlement {
namespace {

using nlohmann::json;

engine::PayoutRequest payout_request(const PrizeContext& prize, const PayoutStatus& pinned) {
  json beneficiary = {
      {"user_id", prize.usuario_id.value_or("")}, {"nombre", prize.user_nombre}, {"email", prize.user_email}};
  if (prize.user_telefono) beneficiary["telefono"] = *prize.user_telefono;
  // Where the winner asked to be paid, whole: the provider needs it (and only the provider gets it).
  if (prize.cuenta) beneficiary["cuenta"] = plugin_json(*prize.cuenta);
  engine::PayoutRequest request;
  request.amount_cents = pinned.monto;
  request.currency = pinned.currency;
  request.idempotency_key = pinned.idempotency_key;
  request.beneficiary = beneficiary;
  request.description = "premio " + (prize.tier_name.empty() ? std::to_string(prize.tier) : prize.tier_name) +
                        ", numero " + std::to_string(prize.numero);
  request.metadata = {{"rifa_id", prize.rifa_id},
                      {"ganador_id", prize.ganador_id},
                      {"ticket_id", prize.ticket_id},
                      {"tier", prize.tier}};
  return request;
}

// The payout_sent / payout_failed notification's data.
json event_data(const PrizeContext& prize, const PayoutStatus& row) {
  json data = {{"ganador_id", prize.ganador_id},
               {"ticket_id", prize.ticket_id},
               {"numero", prize.numero},
               {"tier", prize.tier},
               {"amount_cents", row.monto},
               {"currency", row.currency},
               {"usuario_id", prize.usuario_id.value_or("")}};
  // amount_cents is what was paid: the net, after the withholding on prizes.
  data["monto_bruto"] = prize.bruto_cents;
  data["retencion"] = prize.retencion_cents;
  data["monto_neto"] = prize.neto_cents;
  if (row.referencia) data["payout_ref"] = *row.referencia;
  if (row.motivo) data["reason"] = *row.motivo;
  return data;
}

}  // namespace

struct PayoutService::Pinned {
  PrizeContext prize;
  PayoutStatus row;
  bool send = false;  // false: nothing to send (paid already, or a prize in kind)
};

PayoutService::PayoutService(PayoutRepository& payouts, engine::PaymentGateway& payments, const engine::Clock& clock,
                             TaxRules tax, std::optional<int64_t> approval_threshold_cents)
    : payouts_(payouts),
      payments_(payments),
      clock_(clock),
      tax_(std::move(tax)),
      approval_threshold_cents_(approval_threshold_cents) {}

Result<void> PayoutService::handle(const jobs::Job& job) {
  auto it = job.payload.find("ganador_id");
  if (!job.payload.is_object() || it == job.payload.end() || !it->is_string() || it->get<std::string>().empty()) {
    return make_error(ErrorCode::kInvalidArgument, "payout.send: payload.ganador_id must be a non-empty string");
  }
  auto paid = pay(it->get<std::string>());
  if (!paid && paid.error().code == ErrorCode::kConflict && paid.error().field == "aprobacion") return {};
  if (!paid) return paid.error();
  return {};
}

Result<std::optional<PayoutStatus>> PayoutService::status(const std::string& ganador_id) {
  return payouts_.find(ganador_id);
}

// Step 1, its own transaction: find the prize, decide whether it may be paid, and pin the provider
// and count the attempt before the provider hears of it, so whatever happens next the retry uses
// the same provider and key.
Result<PayoutService::Pinned> PayoutService::pin(const std::string& ganador_id) {
  auto attempt = payouts_.begin_attempt();
  if (!attempt) return attempt.error();
  PayoutAttempt& tx = **attempt;
  const engine::TimePoint now = clock_.now();

  auto prize = tx.load_prize(ganador_id);
  if (!prize) return prize.error();
  if (!*prize) return make_error(ErrorCode::kNotFound, "ganador " + ganador_id + " does not exist");
  Pinned out{**prize, {}, false};
  const PrizeContext& p = out.prize;

  auto reread = [&]() -> Result<PayoutStatus> {
    auto row = tx.payout(ganador_id);
    if (!row) return row.error();
    if (!*row) return make_error(ErrorCode::kDatabase, "payout of ganador " + ganador_id + ": its row vanished");
    return **row;
  };

  if (p.in_kind) {
    if (auto opened = tx.open_in_kind(ganador_id, now); !opened) return opened.error();
    auto row = reread();
    if (!row) return row.error();
    out.row = *row;
    if (auto done = tx.commit(); !done) return done.error();
    return out;
  }
  auto existing = tx.payout(ganador_id);
  if (!existing) return existing.error();
  if (*existing && (*existing)->estado == "enviado") {
    out.row = **existing;
    return out;  // nothing written: the transaction rolls back
  }
  // Inside this transaction, under the ganador's lock (PayoutAttempt::load_prize).
  if (auto payable = check_payable(p); !payable) return payable.error();
  if (needs_approval(p.bruto_cents, approval_threshold_cents_) && !p.aprobado_por) {
    // Checked in this transaction, under the ganador's lock: an approval commits before or after
    // it, never in between.
    return engine::field_error(ErrorCode::kConflict, "aprobacion",
                               "ganador " + ganador_id + ": a prize of " + std::to_string(p.bruto_cents) +
                                   " cents (above payouts.approval_threshold_cents " +
                                   std::to_string(*approval_threshold_cents_) +
                                   ") waits for an admin's approval (POST /ganadores/" + ganador_id + "/aprobar)");
  }
  if (!*existing && p.referencia_pago) {
    return make_error(ErrorCode::kConflict, "ganador " + ganador_id + " already has referencia_pago " +
                                                *p.referencia_pago + " but no payouts row; not paying again");
  }
  if (!p.usuario_id) {
    return make_error(ErrorCode::kInvalidArgument, "ganador " + ganador_id + ": its ticket has no buyer to pay");
  }
  if (!*existing) {
    if (p.monto_ganado <= 0) {
      return make_error(ErrorCode::kInvalidArgument, "ganador " + ganador_id + ": a cash prize of 0 cents");
    }
    // The year of payment picks the UVT: settlement computed the withholding for its own year; a
    // first attempt in another year computes it again, and that is what is stored and paid.
    int64_t neto = p.neto_cents;
    auto w = withholding_at_payment(tax_, p.bruto_cents, p.uvt_anio, now);
    if (!w) return make_error(w.error().code, "payout of ganador " + ganador_id + ": " + w.error().message);
    if (*w) {
      if (auto stored = tx.set_withholding(ganador_id, **w); !stored) return stored.error();
      neto = (*w)->net_cents;
      apply_withholding(out.prize, **w);
    }
    if (neto <= 0) return make_error(ErrorCode::kInvalidArgument, "ganador " + ganador_id + ": nothing left to pay");
    if (auto named = check_withholding_beneficiary(out.prize); !named) return named.error();
    const std::string provider =
        p.payment_instance ? *p.payment_instance : payments_.instance_for(p.rifa_id, p.categoria_nombre);
    if (auto opened = tx.open_cash(ganador_id, neto, "COP", provider, now); !opened) return opened.error();
  } else if ((*existing)->monto != p.neto_cents) {
    // The provider knows this key with the first amount; a new amount would be refused by it,
    // and paying the difference silently is not ours to decide.
    return make_error(ErrorCode::kConflict, "ganador " + ganador_id + ": the net prize changed from " +
                                                std::to_string((*existing)->monto) + " to " +
                                                std::to_string(p.neto_cents) + " after a payout attempt");
  }
  if (auto counted = tx.count_attempt(ganador_id, now); !counted) return counted.error();
  auto row = reread();
  if (!row) return row.error();
  out.row = *row;
  out.send = true;
  if (auto done = tx.commit(); !done) return done.error();
  return out;
}

Result<PayoutStatus> PayoutService::verify(const std::string& actor_id, const std::string& ganador_id) {
  auto row = payouts_.find(ganador_id);
  if (!row) return row.error();
  if (*row && (*row)->estado == "enviado") return **row;
  if (!*row || (*row)->tipo != "cash" || (*row)->estado != "pendiente" || (*row)->intentos == 0 ||
      (*row)->provider == "manual") {
    const std::string state =
        !*row ? std::string("no payout attempt")
              : "its payout " + (*row)->estado + " after " + std::to_string((*row)->intentos) + " attempt(s)";
    return make_error(ErrorCode::kConflict, "ganador " + ganador_id + " has " + state +
                                                "; only an attempt through a payment plugin that got no definite "
                                                "answer can be verified");
  }
  auto paid = pay(ganador_id, actor_id);
  if (paid || paid.error().code != ErrorCode::kPaymentDeclined) return paid;
  auto after = payouts_.find(ganador_id);
  if (!after) return after.error();
  if (!*after) return make_error(ErrorCode::kDatabase, "payout of ganador " + ganador_id + ": its row vanished");
  return **after;
}

Result<PayoutStatus> PayoutService::pay(const std::string& ganador_id, const std::string& actor) {
  auto pinned = pin(ganador_id);
  if (!pinned) return pinned.error();
  if (!pinned->send) return pinned->row;

  const PayoutStatus& row = pinned->row;
  crash_point("payout.before_provider");
  auto outcome = payments_.send_payout(*row.provider, payout_request(pinned->prize, row));
  if (!outcome) {
    return make_error(ErrorCode::kConfigInvalid, "payout of ganador " + ganador_id + ": no payment plugin instance '" +
                                                     *row.provider + "' is loaded");
  }
  crash_point("payout.after_provider");
  return record_outcome(pinned->prize, row, *outcome, actor);
}

Result<PayoutStatus> PayoutService::record_outcome(const PrizeContext& prize, const PayoutStatus& pinned,
                                                   const engine::ProviderOutcome& outcome, const std::string& actor) {
  const engine::TimePoint now = clock_.now();
  const std::string& id = prize.ganador_id;

  if (outcome.delivered) {
    if (outcome.reference.empty() || outcome.status == "failed") {
      // Not an answer we can record as sent; the retry asks again with the same key.
      const std::string reason = "payout of ganador " + id + ": provider '" + *pinned.provider +
                                 "' answered without a payout_ref or with status failed: " + outcome.raw;
      if (auto noted = payouts_.note_reason(id, reason, now); !noted) return noted.error();
      return make_error(ErrorCode::kUnavailable, reason);
    }
    PayoutStatus sent = pinned;
    sent.estado = "enviado";
    sent.referencia = outcome.reference;
    sent.motivo.reset();
    return payouts_.record_sent(PayoutSent{prize.rifa_id, id, outcome.reference, outcome.status,
                                           engine::AuditEntry{actor,
                                                              "payout.sent",
                                                              "ganadores",
                                                              id,
                                                              {{"rifa_id", prize.rifa_id},
                                                               {"amount_cents", pinned.monto},
                                                               {"monto_bruto", prize.bruto_cents},
                                                               {"retencion", prize.retencion_cents},
                                                               {"currency", pinned.currency},
                                                               {"provider", *pinned.provider},
                                                               {"payout_ref", outcome.reference},
                                                               {"provider_status", outcome.status},
                                                               {"intentos", pinned.intentos}}},
                                           "payout_sent", event_data(prize, sent), now});
  }

  const std::string reason = outcome.error.empty() ? outcome.status_name : outcome.error;
  if (outcome.declined) {
    // The first decline is the event (audit + payout_failed); later ones only refresh the reason.
    PayoutStatus failed = pinned;
    failed.estado = "fallido";
    failed.motivo = reason;
    auto noted = payouts_.record_declined(PayoutDeclined{prize.rifa_id, id, reason,
                                                         engine::AuditEntry{actor,
                                                                            "payout.failed",
                                                                            "ganadores",
                                                                            id,
                                                                            {{"rifa_id", prize.rifa_id},
                                                                             {"amount_cents", pinned.monto},
                                                                             {"provider", *pinned.provider},
                                                                             {"reason", reason},
                                                                             {"intentos", pinned.intentos}}},
                                                         "payout_failed", event_data(prize, failed), now});
    if (!noted) return noted.error();
  } else if (auto noted = payouts_.note_reason(id, reason, now); !noted) {
    return noted.error();
  }
  return make_error(
      outcome.declined ? ErrorCode::kPaymentDeclined : ErrorCode::kUnavailable,
      "payout of ganador " + id + " through '" + *pinned.provider + "' (" + outcome.status_name + "): " + reason);
}

}  // namespace rifa::settlement
