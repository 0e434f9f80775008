#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "engine/actor.hpp"
#include "engine/audit_entry.hpp"
#include "engine/clock.hpp"
#include "engine/settlement/payout.hpp"
#include "engine/settlement/payout_account.hpp"

namespace rifa::settlement {

// kConflict unless the prize may be paid at all: its ticket's purchase went through and was not
// refunded or disputed (the buyer has their money back: paying the prize too would pay out money
// that never came in), and its rifa is resuelta (a cancelled one refunds every ticket instead).
// The payout job's pin and the manual payment ask it inside their transaction.
Result<void> check_payable(const PrizeContext& prize);

// kConflict (field documento_numero) when something is withheld from the prize (above 48 UVT,
// prize_tax.hpp) and the winner has no identity document: the withholding is declared to the DIAN
// per beneficiary document, so it is neither paid nor recorded until the winner adds one (PATCH
// /users/{id} with documento_tipo and documento_numero). The payout job's pin, the manual payment
// and the in-kind withholding record ask it inside their transaction, on the figures they store.
Result<void> check_withholding_beneficiary(const PrizeContext& prize);

// One transaction over a ganador, held open while PayoutClaimService decides (the shape of
// PayoutAttempt): lock_prize locks the ganador's row first, so the payout job's pin, an approval,
// a manual payment and an account change of one ganador run one after another. Nothing is kept
// unless commit() succeeds.
class PayoutClaimTx {
 public:
  virtual ~PayoutClaimTx() = default;

  // Locks and reads the ganador (with its account and approval); nullopt when unknown.
  virtual Result<std::optional<PrizeContext>> lock_prize(const std::string& ganador_id) = 0;
  virtual Result<std::optional<PayoutStatus>> payout(const std::string& ganador_id) = 0;
  // ganadores.fecha_pago, ISO-8601 UTC.
  virtual Result<std::optional<std::string>> fecha_pago(const std::string& ganador_id) = 0;
  // Inserts or replaces the ganador's cuentas_pago row.
  virtual Result<void> save_account(const std::string& ganador_id, const PayoutAccount& account,
                                    const std::string& actor_id, engine::TimePoint now) = 0;
  virtual Result<void> approve(const std::string& ganador_id, const std::string& actor_id, engine::TimePoint now) = 0;
  // A payout.send job for the ganador, unless one is queued already.
  virtual Result<void> queue_payout(const std::string& ganador_id, int max_attempts, engine::TimePoint now) = 0;
  // The payouts row (opened if none) moves to enviado through provider "manual" with `referencia`
  // and who recorded it; ganadores.fecha_pago / referencia_pago are set.
  virtual Result<void> record_manual(const std::string& ganador_id, int64_t monto, const std::string& referencia,
                                     const std::string& actor_id, engine::TimePoint now) = 0;
  // Whether a payout.send job of the ganador is running (claimed, its lease not run out at `now`):
  // its worker may be calling the provider this very moment.
  virtual Result<bool> payout_job_running(const std::string& ganador_id, engine::TimePoint now) = 0;
  // The ganador's queued payout.send jobs end (dead, `reason` as their last error) and the dedupe
  // keys of its finished ones are freed, so nothing sends the prize until an approval queues a job.
  virtual Result<void> cancel_payout_jobs(const std::string& ganador_id, const std::string& reason,
                                          engine::TimePoint now) = 0;
  // A pendiente payouts row moves to fallido with `motivo`; kConflict when it is no longer pendiente.
  virtual Result<void> declare_failed(const std::string& ganador_id, const std::string& motivo,
                                      engine::TimePoint now) = 0;
  // The admin's approval is voided (ganadores.aprobado_por / aprobado_en back to NULL).
  virtual Result<void> void_approval(const std::string& ganador_id) = 0;
  // The withholding decided again for the year of payment (withholding_at_payment), stored.
  virtual Result<void> set_withholding(const std::string& ganador_id, const Withholding& w) = 0;
  virtual Result<void> audit(const engine::AuditEntry& entry, engine::TimePoint now) = 0;
  // A notification of the rifa's notifiers, committed with the change.
  virtual Result<void> notify(const std::string& type, const std::string& rifa_id, const std::string& entity_id,
                              const nlohmann::json& data, engine::TimePoint now) = 0;
  virtual Result<void> commit() = 0;
};

class PayoutClaimRepository {
 public:
  virtual ~PayoutClaimRepository() = default;
  virtual Result<std::unique_ptr<PayoutClaimTx>> begin() = 0;
};

// A ganador as the payout routes answer it.
struct PayoutClaimView {
  PrizeContext prize;
  std::optional<PayoutStatus> payout;
  std::optional<std::string> fecha_pago;
  bool aprobacion_requerida = false;
};

// What an operator does with a cash prize before and instead of the payout job (issue 13 item 4):
//  * set_account: the winner (the ticket's buyer, nobody else) says where to be paid; refused once
//    the prize was approved or a payout was attempted (what was approved or sent is what is paid);
//  * approve (admin): a prize above the threshold may be paid from now on; needs the account, is
//    audited and queues the payout job in the same transaction; approving again changes nothing;
//  * record_manual_payment (admin): the prize was paid by bank transfer outside the plugins; one
//    transaction records it (payouts row enviado through "manual", ganadores.fecha_pago, audit,
//    payout_sent notification). The same reference again answers the same; refused while a payout
//    attempt through a plugin has no definite answer (the provider may have paid), while a payout
//    job of the ganador is running (it may be paying this moment), and for a refunded or disputed
//    ticket;
//  * declare_failed (admin): the way out of an attempt through a plugin that got no definite
//    answer, once the admin has the provider's word that nothing was paid (PayoutService::verify
//    asks the plugin itself). The row moves to fallido with the admin's reason, the ganador's
//    queued payout jobs are cancelled (nothing sends the same key again behind the admin's back),
//    audited (payout.failure_declared) and the winner told (payout_failed); a payment by hand is
//    allowed from then on, or an admin retries the cancelled job (POST /admin/jobs/{id}/retry) for
//    a new attempt with the same key. Refused while a payout job of the ganador is running;
//  * unlock_account (admin): an approved account that turned out wrong, before any attempt: the
//    approval is voided and the ganador's queued payout jobs cancelled, audited
//    (payout.account_unlocked, with the account as it was, masked); the winner gives the account
//    again (set_account audits old and new, masked) and an admin approves again. Refused once a
//    payout was attempted through a plugin or recorded (what was sent is what is paid).
// Accounts appear masked in every reply and audit row (masked_json).
class PayoutClaimService {
 public:
  // `tax`: a manual payment in another year than the settlement's decides the withholding again
  // with the year of payment's UVT (prize_tax.hpp's withholding_at_payment), like the payout job.
  PayoutClaimService(PayoutClaimRepository& repo, const engine::Clock& clock,
                     std::optional<int64_t> approval_threshold_cents, int job_max_attempts, TaxRules tax = {})
      : repo_(repo),
        clock_(clock),
        threshold_(approval_threshold_cents),
        job_max_attempts_(job_max_attempts),
        tax_(std::move(tax)) {}

  Result<PayoutClaimView> set_account(const engine::Actor& actor, const std::string& ganador_id,
                                      const PayoutAccountInput& input);
  Result<PayoutClaimView> approve(const engine::Actor& actor, const std::string& ganador_id);
  Result<PayoutClaimView> record_manual_payment(const engine::Actor& actor, const std::string& ganador_id,
                                                const std::string& referencia);
  // The ganador as the routes answer it (read under its lock, nothing written).
  Result<PayoutClaimView> view(const std::string& ganador_id);
  Result<PayoutClaimView> declare_failed(const engine::Actor& actor, const std::string& ganador_id,
                                         const std::string& motivo);
  Result<PayoutClaimView> unlock_account(const engine::Actor& actor, const std::string& ganador_id,
                                         const std::string& motivo);

 private:
  Result<PrizeContext> locked_cash_prize(PayoutClaimTx& tx, const std::string& ganador_id);
  Result<PayoutClaimView> finish(PayoutClaimTx& tx, const std::string& ganador_id);
  Result<void> no_job_running(PayoutClaimTx& tx, const std::string& ganador_id, engine::TimePoint now);

  PayoutClaimRepository& repo_;
  const engine::Clock& clock_;
  std::optional<int64_t> threshold_;
  int job_max_attempts_;
  TaxRules tax_;
};

}  // namespace rifa::settlement
