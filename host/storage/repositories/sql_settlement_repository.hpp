#pragma once

#include "engine/clock.hpp"
#include "engine/settlement/settlement_repository.hpp"
#include "storage/database.hpp"

namespace rifa::storage {

// settlement::SettlementRepository on rifas, tickets, resultados_sorteo, resultados_rechazados,
// ganadores, jobs (as an outbox) and the audit log. The clock stamps audit rows, draws and jobs.
//
// apply() and replace_ganadores() lock the rifa row first (FOR UPDATE on PostgreSQL; SQLite write
// transactions are serialised), so two workers settling the same rifa at once write it once: the
// second finds it no longer cerrada.
class SqlSettlementRepository final : public settlement::SettlementRepository {
 public:
  SqlSettlementRepository(Database& db, const engine::Clock& clock) : db_(db), clock_(clock) {}

  Result<std::optional<settlement::RifaToSettle>> find_rifa(const std::string& rifa_id) override;
  Result<engine::RifaEstado> close(const std::string& rifa_id, const engine::AuditEntry& audit,
                                   const std::vector<jobs::EnqueueRequest>& jobs) override;
  Result<std::vector<settlement::SoldTicket>> sold_tickets(const std::string& rifa_id) override;
  Result<void> record_rejected(const std::string& rifa_id, const settlement::RejectedDraw& draw,
                               const engine::AuditEntry& audit) override;
  Result<int64_t> count_rejected(const std::string& rifa_id) override;
  Result<std::optional<settlement::StoredDraw>> find_draw(const std::string& rifa_id) override;
  Result<std::vector<settlement::GanadorView>> ganadores(const std::string& rifa_id) override;
  Result<settlement::ApplyOutcome> apply(const settlement::SettlementWrite& write) override;
  Result<void> replace_ganadores(const settlement::SettlementWrite& write) override;
  Result<std::vector<std::string>> due_for_close(engine::TimePoint now, int limit) override;
  Result<std::vector<std::string>> awaiting_draw(int limit) override;
  Result<bool> enqueue(const jobs::EnqueueRequest& job) override;
  Result<int64_t> prune_succeeded_jobs(const std::vector<std::string>& kinds, engine::TimePoint before) override;

 private:
  Database& db_;
  const engine::Clock& clock_;
};

}  // namespace rifa::storage
