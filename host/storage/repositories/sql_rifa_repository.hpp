#pragma once

#include "engine/catalog_repository.hpp"
#include "engine/clock.hpp"
#include "storage/database.hpp"
#include "storage/repositories/domain_event_sink.hpp"

namespace rifa::storage {

// engine::RifaRepository on rifas and tickets. The clock stamps audit rows.
//
// The lock rule of update() holds against concurrent purchases: on PostgreSQL it takes FOR UPDATE
// on the rifa's ticket rows before counting the taken ones (a purchase holding a ticket makes it
// wait, then it sees the new estado); on SQLite write transactions are serialised anyway.
class SqlRifaRepository final : public engine::RifaRepository {
 public:
  SqlRifaRepository(Database& db, const engine::Clock& clock) : db_(db), clock_(clock) {}

  // Raises "rifa_opened" inside the transaction that activates a rifa (and freezes its commitment).
  void set_event_sink(DomainEventSink sink) { events_ = std::move(sink); }

  Result<void> create(const engine::Rifa& rifa, int64_t precio, const engine::AuditEntry& audit) override;
  Result<std::optional<engine::RifaView>> find(const std::string& id) override;
  Result<engine::Page<engine::RifaView>> list(const engine::RifaFilter& filter,
                                              const engine::PageRequest& page) override;
  Result<void> update(const engine::Rifa& before, const engine::Rifa& rifa, Lock lock, const std::string& locked_field,
                      std::optional<int64_t> precio, const engine::AuditEntry& audit) override;

 private:
  Database& db_;
  const engine::Clock& clock_;
  DomainEventSink events_;
};

// Inserts tickets numero 0..total-1 (estado disponible) for a rifa: shared with seed-like loaders.
// On PostgreSQL, when they are a tenth or more of the table, it also refreshes the table's planner
// statistics (ANALYZE, allowed in a transaction): autovacuum would do the same, but only up to a
// minute later, and meanwhile the purchase's pick of free numbers was planned on the old counts,
// walking past every sold number (measured: 57 ms a pick instead of under 1 ms, 50,000 numbers).
void insert_tickets(soci::session& sql, Backend backend, const std::string& rifa_id, int32_t total, int64_t precio);

}  // namespace rifa::storage
