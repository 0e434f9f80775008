#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <spdlog/logger.h>

#include "common/metrics.hpp"
#include "common/result.hpp"
#include "engine/actor.hpp"
#include "engine/clock.hpp"
#include "engine/jobs/job_kinds.hpp"
#include "engine/jobs/job_queue.hpp"
#include "engine/settlement/lottery_gateway.hpp"
#include "engine/settlement/notification_event.hpp"
#include "engine/settlement/prize_rules.hpp"
#include "engine/settlement/settlement_repository.hpp"

namespace rifa::settlement {

struct SettlementOptions {
  int job_max_attempts = 8;  // payout and notification jobs
  // A draw not out yet (or refused) is asked for again with the queue's backoff, capped at one
  // hour: 2,000 attempts keep a settlement job alive for about 80 days, never dead in a hurry.
  int settle_max_attempts = 2000;
  // Retención en la fuente on prizes (prize_tax.hpp), computed for the year settlement runs in.
  TaxRules tax;
};

enum class SettleStatus { kSettled, kVoided, kAlreadySettled, kNotPublished, kRejected };
const char* to_string(SettleStatus status);

struct SettleOutcome {
  SettleStatus status = SettleStatus::kNotPublished;
  std::string message;
};

// GET /rifas/{id}/resultados.
struct ResultsView {
  std::string rifa_id;
  engine::RifaEstado estado = engine::RifaEstado::kPendiente;
  std::optional<std::string> fecha_sorteo;
  std::optional<StoredDraw> draw;
  std::vector<GanadorView> ganadores;
  std::vector<std::string> tier_names;  // by tier index, from reglas
  std::vector<bool> tier_in_kind;       // by tier index
  std::vector<std::string> tier_in_kind_description;
  std::vector<int64_t> tier_in_kind_value_cents;
  int64_t rejected_draws = 0;
};

// Closing rifas and settling them from their lottery's draw.
//
// close(): activa → cerrada (sales stop: purchases require activa), audit "rifa.closed", and in
// the same transaction the "rifa.settle" job for when the draw should be out.
// settle(): asks the loteria's plugin instance for the draw of fecha_sorteo. Not published → the
// rifa keeps waiting (kNotPublished). A draw that fails validate_draw() is stored in
// resultados_rechazados, logged, counted and audited ("draw.rejected"), never used (kRejected).
// A good draw is applied in ONE transaction: resultados_sorteo, ganadores (plan_settlement over
// the tickets sold), tickets → ganador, estado → resuelta (or cancelada when the rules void the
// rifa), audit "draw.taken" and "winner", and the payout / notification / refund jobs. Running it
// again after a crash at any point writes nothing twice: the estado check and the unique keys
// (resultados_sorteo.rifa_id, ganadores (ticket_id, tier), jobs.dedupe_key) are in that transaction.
class SettlementService {
 public:
  SettlementService(SettlementRepository& repo, LotteryGateway* lotteries, NotifierResolver notifiers,
                    const engine::Clock& clock, std::shared_ptr<spdlog::logger> logger, MetricsRegistry* metrics,
                    SettlementOptions options = {});

  // POST /cerrar (operador/admin). Idempotent: a closed or settled rifa answers its estado.
  Result<engine::RifaEstado> close(const engine::Actor& actor, const std::string& rifa_id);
  // The "rifa.close" job: the same, acting as the scheduler.
  Result<engine::RifaEstado> close_due(const std::string& rifa_id);
  Result<SettleOutcome> settle(const std::string& rifa_id);
  Result<ResultsView> results(const std::string& rifa_id);
  // POST /recalcular (admin): prizes recomputed from the stored draw and the tickets sold now.
  Result<ResultsView> recalculate(const engine::Actor& actor, const std::string& rifa_id);

  // The draw date of a rifa: its fecha_sorteo, or for rifas made before it existed, the first
  // draw of its lottery after fecha_fin (the Bogota date of fecha_fin without a schedule).
  std::string draw_date_of(const RifaToSettle& rifa);
  // When to ask for the draw of that date: its expected publication, or now without a schedule.
  engine::TimePoint settle_run_at(const std::string& lottery_instance, const std::string& draw_date);

 private:
  // The rifa with what decides its winners taken from its frozen commitment (lottery instance,
  // draw date, reglas, total_boletas, rake): a loteria re-pointed or a categoria edited after
  // activation changes nothing. Rifas without a commitment (never activated) keep the live rows.
  Result<std::optional<RifaToSettle>> load(const std::string& rifa_id);
  Result<engine::RifaEstado> close_as(const std::string& actor_id, const std::string& rifa_id);
  Result<SettlementWrite> plan_write(const RifaToSettle& rifa, const PrizeRules& rules, const DrawNumbers& numbers,
                                     const std::string& actor_id, const nlohmann::json& draw_summary);
  void notify(std::vector<jobs::EnqueueRequest>& jobs, const RifaToSettle& rifa, const std::string& event,
              const std::string& entity_id, const nlohmann::json& data) const;
  void count(const std::string& outcome);

  SettlementRepository& repo_;
  LotteryGateway* lotteries_;
  NotifierResolver notifiers_;
  const engine::Clock& clock_;
  std::shared_ptr<spdlog::logger> logger_;
  MetricsRegistry* metrics_;
  SettlementOptions options_;
};

// A deterministic ganador id for (ticket, tier): a recalculation that finds the same winners
// keeps the same ids, so their payout and notification jobs stay deduplicated.
std::string ganador_id(const std::string& ticket_id, int tier);

}  // namespace rifa::settlement
