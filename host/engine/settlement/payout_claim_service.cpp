#include "engine/settlement/payout_claim_service.hpp"

#include "engine/catalog.hpp"
#include "engine/sale.hpp"
#include "engine/ticket_estado.hpp"
#include "engine/validation.hpp"

namespace rifa::settlement {

Result<void> check_payable(const PrizeContext& p) {
  if (p.ticket_estado == engine::to_string(engine::TicketEstado::kAnulado) ||
      (p.transaccion_status && *p.transaccion_status != engine::to_string(engine::PaymentStatus::kSucceeded))) {
    return make_error(ErrorCode::kConflict, "ganador " + p.ganador_id + ": its ticket is " + p.ticket_estado +
                                                " and its purchase " + p.transaccion_status.value_or("unknown") +
                                                "; no prize is paid for a refunded ticket");
  }
  if (p.rifa_estado != engine::to_string(engine::RifaEstado::kResuelta)) {
    return make_error(ErrorCode::kConflict, "ganador " + p.ganador_id + ": its rifa is " + p.rifa_estado +
                                                "; prizes are paid only for a resuelta rifa");
  }
  return {};
}

Result<void> check_withholding_beneficiary(const PrizeContext& p) {
  if (p.retencion_cents <= 0 || p.beneficiario_documentado) return {};
  return engine::field_error(
      ErrorCode::kConflict, "documento_numero",
      "ganador " + p.ganador_id + ": " + std::to_string(p.retencion_cents) + " cents are withheld from this prize of " +
          std::to_string(p.bruto_cents) +
          " cents and the withholding must name the winner's identity document, which the account " +
          p.usuario_id.value_or("(none)") +
          " has not given: the winner adds documento_tipo and documento_numero (PATCH /api/v1/users/" +
          p.usuario_id.value_or("{id}") + "), then the prize is paid");
}

Result<PrizeContext> PayoutClaimService::locked_cash_prize(PayoutClaimTx& tx, const std::string& ganador_id) {
  auto prize = tx.lock_prize(ganador_id);
  if (!prize) return prize.error();
  if (!*prize) return make_error(ErrorCode::kNotFound, "ganador " + ganador_id + " does not exist");
  if ((*prize)->in_kind) {
    return make_error(ErrorCode::kConflict, "ganador " + ganador_id +
                                                " won a prize in kind: it is delivered (POST /ganadores/" + ganador_id +
                                                "/entregado), not paid");
  }
  return **prize;
}

Result<PayoutClaimView> PayoutClaimService::finish(PayoutClaimTx& tx, const std::string& ganador_id) {
  auto prize = tx.lock_prize(ganador_id);
  if (!prize) return prize.error();
  auto row = tx.payout(ganador_id);
  if (!row) return row.error();
  auto fecha = tx.fecha_pago(ganador_id);
  if (!fecha) return fecha.error();
  if (auto done = tx.commit(); !done) return done.error();
  return PayoutClaimView{**prize, *row, *fecha, needs_approval((*prize)->bruto_cents, threshold_)};
}

Result<void> PayoutClaimService::no_job_running(PayoutClaimTx& tx, const std::string& ganador_id,
                                                engine::TimePoint now) {
  auto running = tx.payout_job_running(ganador_id, now);
  if (!running) return running.error();
  if (*running) {
    return make_error(ErrorCode::kConflict, "ganador " + ganador_id +
                                                ": a payout job is calling the payment provider right now; try "
                                                "again once it has ended");
  }
  return {};
}

Result<PayoutClaimView> PayoutClaimService::set_account(const engine::Actor& actor, const std::string& ganador_id,
                                                        const PayoutAccountInput& input) {
  auto checked = check_payout_account(input);
  if (!checked) return checked.error();
  auto tx = repo_.begin();
  if (!tx) return tx.error();
  auto prize = locked_cash_prize(**tx, ganador_id);
  if (!prize) return prize.error();
  if (!prize->usuario_id || *prize->usuario_id != actor.user_id) {
    return make_error(ErrorCode::kPermissionDenied, "only the winner (the ticket's buyer) says where a prize is paid");
  }
  if (prize->aprobado_por) {
    return engine::field_error(ErrorCode::kConflict, "cuenta",
                               "the payout of ganador " + ganador_id +
                                   " was approved with the account on record; it can no longer be changed");
  }
  auto row = (*tx)->payout(ganador_id);
  if (!row) return row.error();
  if (*row && ((*row)->estado == "enviado" || (*row)->intentos > 0)) {
    return engine::field_error(ErrorCode::kConflict, "cuenta",
                               "the payout of ganador " + ganador_id + " is " + (*row)->estado +
                                   " after an attempt; the account it was sent to can no longer be changed");
  }
  const engine::TimePoint now = clock_.now();
  if (auto saved = (*tx)->save_account(ganador_id, *checked, actor.user_id, now); !saved) return saved.error();
  nlohmann::json audit = {{"rifa_id", prize->rifa_id}, {"cuenta", masked_json(*checked)}};
  if (prize->cuenta) audit["cuenta_anterior"] = masked_json(*prize->cuenta);
  if (auto logged = (*tx)->audit({actor.user_id, "payout.account_set", "ganadores", ganador_id, audit}, now); !logged) {
    return logged.error();
  }
  return finish(**tx, ganador_id);
}

Result<PayoutClaimView> PayoutClaimService::approve(const engine::Actor& actor, const std::string& ganador_id) {
  if (!actor.is_admin()) return make_error(ErrorCode::kPermissionDenied, "approving a payout requires the admin role");
  auto tx = repo_.begin();
  if (!tx) return tx.error();
  auto prize = locked_cash_prize(**tx, ganador_id);
  if (!prize) return prize.error();
  if (prize->aprobado_por) return finish(**tx, ganador_id);  // approved already: nothing changes
  if (auto payable = check_payable(*prize); !payable) return payable.error();
  auto row = (*tx)->payout(ganador_id);
  if (!row) return row.error();
  if (*row && (*row)->estado == "enviado") {
    return make_error(ErrorCode::kConflict, "ganador " + ganador_id + " was paid already (" +
                                                (*row)->referencia.value_or("") + "); there is nothing to approve");
  }
  if (!prize->cuenta) {
    return engine::field_error(ErrorCode::kConflict, "cuenta",
                               "ganador " + ganador_id + " has not said where to be paid (PUT /ganadores/" +
                                   ganador_id + "/cuenta): the approval checks the account's holder");
  }
  const engine::TimePoint now = clock_.now();
  if (auto done = (*tx)->approve(ganador_id, actor.user_id, now); !done) return done.error();
  if (auto logged = (*tx)->audit({actor.user_id,
                                  "payout.approved",
                                  "ganadores",
                                  ganador_id,
                                  {{"rifa_id", prize->rifa_id},
                                   {"monto_bruto", prize->bruto_cents},
                                   {"monto_neto", prize->neto_cents},
                                   {"umbral", threshold_ ? nlohmann::json(*threshold_) : nlohmann::json()},
                                   {"cuenta", masked_json(*prize->cuenta)}}},
                                 now);
      !logged) {
    return logged.error();
  }
  if (auto queued = (*tx)->queue_payout(ganador_id, job_max_attempts_, now); !queued) return queued.error();
  return finish(**tx, ganador_id);
}

Result<PayoutClaimView> PayoutClaimService::record_manual_payment(const engine::Actor& actor,
                                                                  const std::string& ganador_id,
                                                                  const std::string& referencia) {
  if (!actor.is_admin()) {
    return make_error(ErrorCode::kPermissionDenied, "recording a payment by hand requires the admin role");
  }
  auto tx = repo_.begin();
  if (!tx) return tx.error();
  auto prize = locked_cash_prize(**tx, ganador_id);
  if (!prize) return prize.error();
  auto row = (*tx)->payout(ganador_id);
  if (!row) return row.error();
  if (*row && (*row)->estado == "enviado") {
    if ((*row)->provider == "manual" && (*row)->referencia == referencia) return finish(**tx, ganador_id);
    return make_error(ErrorCode::kConflict, "ganador " + ganador_id + " was paid already through '" +
                                                (*row)->provider.value_or("") + "' (" +
                                                (*row)->referencia.value_or("") + ")");
  }
  if (auto payable = check_payable(*prize); !payable) return payable.error();
  const engine::TimePoint now = clock_.now();
  if (!*row) {
    // Nothing pinned for a provider yet: the year of payment decides the withholding, as in the
    // payout job.
    auto w = withholding_at_payment(tax_, prize->bruto_cents, prize->uvt_anio, now);
    if (!w) return make_error(w.error().code, "payment of ganador " + ganador_id + ": " + w.error().message);
    if (*w) {
      if (auto stored = (*tx)->set_withholding(ganador_id, **w); !stored) return stored.error();
      apply_withholding(*prize, **w);
    }
  }
  if (auto named = check_withholding_beneficiary(*prize); !named) return named.error();
  if (needs_approval(prize->bruto_cents, threshold_) && !prize->aprobado_por) {
    return engine::field_error(ErrorCode::kConflict, "aprobacion",
                               "ganador " + ganador_id + ": a prize of " + std::to_string(prize->bruto_cents) +
                                   " cents is paid only after an admin's approval (POST /ganadores/" + ganador_id +
                                   "/aprobar)");
  }
  if (*row && (*row)->estado == "pendiente" && (*row)->intentos > 0) {
    // The payout job counted an attempt before calling the provider: it may be paying right now,
    // or may have paid with no answer recorded. Paying by hand as well could pay twice.
    return make_error(ErrorCode::kConflict, "ganador " + ganador_id + ": a payout through '" +
                                                (*row)->provider.value_or("") + "' was attempted " +
                                                std::to_string((*row)->intentos) +
                                                " time(s) without a definite answer; ask the provider before paying "
                                                "by hand");
  }
  // A failed attempt is retried by its job with the same key: while that job runs, the provider
  // may be paying.
  if (auto idle = no_job_running(**tx, ganador_id, now); !idle) return idle.error();
  const int64_t monto = *row ? (*row)->monto : prize->neto_cents;
  if (monto <= 0) return make_error(ErrorCode::kConflict, "ganador " + ganador_id + ": nothing to pay");
  if (auto done = (*tx)->record_manual(ganador_id, monto, referencia, actor.user_id, now); !done) return done.error();
  nlohmann::json audit = {{"rifa_id", prize->rifa_id},
                          {"amount_cents", monto},
                          {"monto_bruto", prize->bruto_cents},
                          {"retencion", prize->retencion_cents},
                          {"currency", "COP"},
                          {"provider", "manual"},
                          {"payout_ref", referencia}};
  if (prize->cuenta) audit["cuenta"] = masked_json(*prize->cuenta);
  if (*row) audit["provider_before"] = (*row)->provider.value_or("");
  if (auto logged = (*tx)->audit({actor.user_id, "payout.manual", "ganadores", ganador_id, audit}, now); !logged) {
    return logged.error();
  }
  nlohmann::json event = {{"ganador_id", ganador_id},
                          {"ticket_id", prize->ticket_id},
                          {"numero", prize->numero},
                          {"tier", prize->tier},
                          {"amount_cents", monto},
                          {"currency", "COP"},
                          {"usuario_id", prize->usuario_id.value_or("")},
                          {"monto_bruto", prize->bruto_cents},
                          {"retencion", prize->retencion_cents},
                          {"monto_neto", prize->neto_cents},
                          {"payout_ref", referencia}};
  if (auto told = (*tx)->notify("payout_sent", prize->rifa_id, ganador_id, event, now); !told) return told.error();
  return finish(**tx, ganador_id);
}

Result<PayoutClaimView> PayoutClaimService::view(const std::string& ganador_id) {
  auto tx = repo_.begin();
  if (!tx) return tx.error();
  auto prize = locked_cash_prize(**tx, ganador_id);
  if (!prize) return prize.error();
  return finish(**tx, ganador_id);
}

Result<PayoutClaimView> PayoutClaimService::declare_failed(const engine::Actor& actor, const std::string& ganador_id,
                                                           const std::string& motivo) {
  if (!actor.is_admin()) {
    return make_error(ErrorCode::kPermissionDenied, "declaring a payout failed requires the admin role");
  }
  auto tx = repo_.begin();
  if (!tx) return tx.error();
  auto prize = locked_cash_prize(**tx, ganador_id);
  if (!prize) return prize.error();
  auto row = (*tx)->payout(ganador_id);
  if (!row) return row.error();
  if (!*row || (*row)->estado != "pendiente" || (*row)->intentos == 0 || (*row)->provider == "manual") {
    const std::string state =
        !*row ? std::string("no payout attempt")
              : "its payout " + (*row)->estado + " after " + std::to_string((*row)->intentos) + " attempt(s)";
    return make_error(ErrorCode::kConflict, "ganador " + ganador_id + " has " + state +
                                                "; only an attempt through a payment plugin that got no definite "
                                                "answer can be declared failed");
  }
  const engine::TimePoint now = clock_.now();
  if (auto idle = no_job_running(**tx, ganador_id, now); !idle) return idle.error();
  const PayoutStatus& before = **row;
  const std::string reason = "declared failed by an admin: " + motivo;
  if (auto done = (*tx)->declare_failed(ganador_id, reason, now); !done) return done.error();
  if (auto cancelled = (*tx)->cancel_payout_jobs(ganador_id, "cancelled: " + reason, now); !cancelled) {
    return cancelled.error();
  }
  if (auto logged =
          (*tx)->audit({actor.user_id,
                        "payout.failure_declared",
                        "ganadores",
                        ganador_id,
                        {{"rifa_id", prize->rifa_id},
                         {"amount_cents", before.monto},
                         {"provider", before.provider.value_or("")},
                         {"intentos", before.intentos},
                         {"motivo_anterior", before.motivo ? nlohmann::json(*before.motivo) : nlohmann::json()},
                         {"motivo", motivo}}},
                       now);
      !logged) {
    return logged.error();
  }
  nlohmann::json event = {{"ganador_id", ganador_id},
                          {"ticket_id", prize->ticket_id},
                          {"numero", prize->numero},
                          {"tier", prize->tier},
                          {"amount_cents", before.monto},
                          {"currency", before.currency},
                          {"usuario_id", prize->usuario_id.value_or("")},
                          {"monto_bruto", prize->bruto_cents},
                          {"retencion", prize->retencion_cents},
                          {"monto_neto", prize->neto_cents},
                          {"reason", reason}};
  if (auto told = (*tx)->notify("payout_failed", prize->rifa_id, ganador_id, event, now); !told) return told.error();
  return finish(**tx, ganador_id);
}

Result<PayoutClaimView> PayoutClaimService::unlock_account(const engine::Actor& actor, const std::string& ganador_id,
                                                           const std::string& motivo) {
  if (!actor.is_admin()) {
    return make_error(ErrorCode::kPermissionDenied, "unlocking a payout account requires the admin role");
  }
  auto tx = repo_.begin();
  if (!tx) return tx.error();
  auto prize = locked_cash_prize(**tx, ganador_id);
  if (!prize) return prize.error();
  auto row = (*tx)->payout(ganador_id);
  if (!row) return row.error();
  if (*row && ((*row)->estado == "enviado" || (*row)->intentos > 0 || (*row)->provider == "manual")) {
    return engine::field_error(ErrorCode::kConflict, "cuenta",
                               "the payout of ganador " + ganador_id + " is " + (*row)->estado + " after " +
                                   std::to_string((*row)->intentos) +
                                   " attempt(s); the account it was sent to can no longer be changed");
  }
  if (!prize->aprobado_por) {
    return engine::field_error(ErrorCode::kConflict, "aprobacion",
                               "ganador " + ganador_id +
                                   " is not approved: its account is not locked (the winner changes it with PUT "
                                   "/ganadores/" +
                                   ganador_id + "/cuenta)");
  }
  const engine::TimePoint now = clock_.now();
  if (auto idle = no_job_running(**tx, ganador_id, now); !idle) return idle.error();
  if (auto voided = (*tx)->void_approval(ganador_id); !voided) return voided.error();
  if (auto cancelled = (*tx)->cancel_payout_jobs(ganador_id, "cancelled: the account was unlocked: " + motivo, now);
      !cancelled) {
    return cancelled.error();
  }
  nlohmann::json audit = {{"rifa_id", prize->rifa_id},
                          {"aprobado_por", *prize->aprobado_por},
                          {"aprobado_en", prize->aprobado_en ? nlohmann::json(*prize->aprobado_en) : nlohmann::json()},
                          {"motivo", motivo}};
  if (prize->cuenta) audit["cuenta"] = masked_json(*prize->cuenta);
  if (auto logged = (*tx)->audit({actor.user_id, "payout.account_unlocked", "ganadores", ganador_id, audit}, now);
      !logged) {
    return logged.error();
  }
  return finish(**tx, ganador_id);
}

}  // namespace rifa::settlement
