#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "engine/audit_entry.hpp"
#include "engine/catalog.hpp"
#include "engine/jobs/job_queue.hpp"

namespace rifa::settlement {

// What settlement reads about one rifa: the rifa, its loteria's plugin instance and meta, and the
// categoria's rake.
struct RifaToSettle {
  std::string id;
  engine::RifaEstado estado = engine::RifaEstado::kPendiente;
  std::string categoria_nombre;
  int rake_bp = 0;
  std::string loteria_id;
  std::string lottery_instance;
  nlohmann::json loteria_meta = nlohmann::json::object();
  std::optional<std::string> fecha_sorteo;  // YYYY-MM-DD
  engine::TimePoint fecha_fin;
  nlohmann::json reglas = nlohmann::json::object();
  int total_boletas = 0;
  // Prize money carried over by earlier rifas of the categoria, waiting for the next settlement.
  int64_t categoria_fund_cents = 0;
  // What this rifa took of it when it settled (0 before): recalculating uses the same amount.
  int64_t fondo_recibido_cents = 0;
  // rifas.commitment as stored when the rifa became activa (settlement/commitment.hpp); null for
  // a rifa never activated. Settlement decides on its frozen values, not on the live rows above.
  nlohmann::json commitment;
};

struct SoldTicket {
  std::string id;
  int numero = 0;
  int64_t precio = 0;
  std::optional<std::string> usuario_id;
};

struct StoredDraw {
  std::string plugin_instance;
  std::string fecha_sorteo;
  std::optional<int64_t> sorteo;
  nlohmann::json resultado;
  std::optional<std::string> source_url;
  std::optional<std::string> raw_sha256;
  std::string tomado_en;  // ISO-8601 UTC
};

struct RejectedDraw {
  std::string plugin_instance;
  std::string fecha_sorteo;
  std::string respuesta;
  std::string motivo;
};

struct NewGanador {
  std::string id;
  std::string ticket_id;
  int tier = 0;
  int64_t monto_cents = 0;  // the cash share of the fund (gross); 0 for a prize in kind
  // Retención en la fuente (prize_tax.hpp): gross (the commercial value for a prize in kind) ==
  // retencion + neto; uvt_anio is the year whose UVT was used (0: tax disabled).
  int64_t bruto_cents = 0;
  int64_t retencion_cents = 0;
  int64_t neto_cents = 0;
  int uvt_anio = 0;
  int retencion_tarifa_bp = 0;  // the rule applied (0: none)
  int64_t retencion_umbral_cents = 0;
};

// A ganador as GET /resultados shows it, with what is known of its payout.
struct GanadorView {
  std::string id;
  std::string ticket_id;
  int numero = 0;
  int tier = 0;
  int64_t monto_cents = 0;
  int64_t bruto_cents = 0;      // gross: monto_cents for cash, the commercial value in kind
  int64_t retencion_cents = 0;  // withheld (cash) or owed by the winner before delivery (in kind)
  int64_t neto_cents = 0;       // what is paid (cash)
  int uvt_anio = 0;
  std::optional<std::string> retencion_pagada_en;  // in kind: when the winner's withholding was recorded paid
  std::optional<std::string> retencion_referencia;
  std::optional<std::string> usuario_id;
  std::optional<std::string> fecha_pago;
  std::optional<std::string> referencia_pago;
  std::optional<std::string> payout_estado;      // payouts.estado: pendiente | enviado | fallido | entregado
  std::optional<std::string> payout_motivo;      // why it failed, as the provider said
  std::optional<std::string> payout_job_status;  // of the "payout:<id>" job, when one exists
  std::optional<std::string> payout_last_error;
};

// Everything one settlement writes, in ONE transaction: the draw (absent when recalculating from
// the stored one), the ganadores, the winning tickets marked `ganador`, the rifa's new estado, the
// carry-over added to the categoria's fund, the audit rows and the jobs (payouts, notifications,
// refunds) as an outbox.
struct SettlementWrite {
  std::string rifa_id;
  std::optional<StoredDraw> draw;
  std::vector<NewGanador> ganadores;
  engine::RifaEstado new_estado = engine::RifaEstado::kResuelta;
  int64_t carry_over_cents = 0;
  // Taken from the categoria's carried-over fund into this rifa's prize fund. apply() takes it only
  // if the fund still holds it; otherwise nothing is written and the settlement is planned again.
  int64_t carried_in_cents = 0;
  std::vector<engine::AuditEntry> audit;
  std::vector<jobs::EnqueueRequest> jobs;
};

enum class ApplyOutcome { kApplied, kAlreadySettled };

// Storage of settlement. Storage failures are kDatabase.
class SettlementRepository {
 public:
  virtual ~SettlementRepository() = default;
  virtual Result<std::optional<RifaToSettle>> find_rifa(const std::string& rifa_id) = 0;
  // activa → cerrada with the audit row and the jobs, in one transaction. Returns the estado after
  // the call: when the rifa was not activa nothing is written and its current estado comes back.
  virtual Result<engine::RifaEstado> close(const std::string& rifa_id, const engine::AuditEntry& audit,
                                           const std::vector<jobs::EnqueueRequest>& jobs) = 0;
  // Tickets vendido or ganador, by numero.
  virtual Result<std::vector<SoldTicket>> sold_tickets(const std::string& rifa_id) = 0;
  virtual Result<void> record_rejected(const std::string& rifa_id, const RejectedDraw& draw,
                                       const engine::AuditEntry& audit) = 0;
  virtual Result<int64_t> count_rejected(const std::string& rifa_id) = 0;
  virtual Result<std::optional<StoredDraw>> find_draw(const std::string& rifa_id) = 0;
  virtual Result<std::vector<GanadorView>> ganadores(const std::string& rifa_id) = 0;
  // Applies a settlement if the rifa is still cerrada (checked and locked in the transaction);
  // kAlreadySettled otherwise, writing nothing.
  virtual Result<ApplyOutcome> apply(const SettlementWrite& write) = 0;
  // Replaces the rifa's ganadores with write.ganadores (recalcular). kConflict, writing nothing,
  // once any payout was sent or may be on its way (fecha_pago / referencia_pago set; a payouts row
  // enviado or entregado, or pendiente after an attempt; its payout job running or succeeded).
  // The old ganadores' queued or dead payout jobs and unsent payouts rows are withdrawn.
  virtual Result<void> replace_ganadores(const SettlementWrite& write) = 0;
  // Scheduler queries: activa rifas whose fecha_fin is past; cerrada rifas with no stored draw.
  virtual Result<std::vector<std::string>> due_for_close(engine::TimePoint now, int limit) = 0;
  virtual Result<std::vector<std::string>> awaiting_draw(int limit) = 0;
  // Enqueues one job in a transaction of its own; false when its dedupe key was already there.
  virtual Result<bool> enqueue(const jobs::EnqueueRequest& job) = 0;
  // Deletes succeeded jobs of these kinds older than `before` (periodic jobs would pile up).
  virtual Result<int64_t> prune_succeeded_jobs(const std::vector<std::string>& kinds, engine::TimePoint before) = 0;
};

}  // namespace rifa::settlement
