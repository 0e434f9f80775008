#pragma once

#include "engine/catalog_repository.hpp"
#include "engine/clock.hpp"
#include "storage/database.hpp"
#include "storage/repositories/domain_event_sink.hpp"

namespace rifa::storage {

// engine::RifaRepository on rifas and tickets. The clock stamps audit rows.
//
// apply() locks the rifa row first (FOR UPDATE on PostgreSQL; SQLite serialises write
// transactions anyway). A purchase holds the same row FOR SHARE while it reserves or confirms
// numbers (sql_sales_repository.cpp), so with it locked no ticket becomes taken until this
// transaction ends, and the tickets-taken check needs no lock on the (maybe a million) ticket rows.
class SqlRifaRepository final : public engine::RifaRepository {
 public:
  SqlRifaRepository(Database& db, const engine::Clock& clock) : db_(db), clock_(clock) {}

  // Raises "rifa_opened" inside the transaction that activates a rifa (and freezes its commitment).
  void set_event_sink(DomainEventSink sink) { events_ = std::move(sink); }

  Result<void> create(const engine::Rifa& rifa, int64_t precio, const engine::AuditEntry& audit) override;
  Result<std::optional<engine::RifaView>> find(const std::string& id) override;
  Result<engine::Page<engine::RifaView>> list(const engine::RifaFilter& filter,
                                              const engine::PageRequest& page) override;
  Result<engine::RifaChangeOutcome> apply(const engine::RifaChange& change) override;

 private:
  Database& db_;
  const engine::Clock& clock_;
  DomainEventSink events_;
};

// Inserts tickets numero 0..total-1 (estado disponible) for a rifa in one statement, set-wise
// (generate_series on PostgreSQL, a recursive CTE on SQLite): shared with seed-like loaders.
// Ticket ids are UUIDs (version 8) made of a prefix derived from the rifa id and a fresh salt
// (ticket_id_prefix) followed by the numero in 8 hex digits, so SQL can make them, a rebuilt rifa
// never reuses its old ids, and one rifa's ids sort as its numeros do.
// On PostgreSQL, when they are a tenth or more of the table, it also refreshes the table's planner
// statistics (ANALYZE, allowed in a transaction): autovacuum would do the same, but only up to a
// minute later, and meanwhile the purchase's pick of free numbers was planned on the old counts,
// walking past every sold number (measured: 57 ms a pick instead of under 1 ms, 50,000 numbers).
void insert_tickets(soci::session& sql, Backend backend, const std::string& rifa_id, int32_t total, int64_t precio);

// The first 28 characters of the ids of one generation of a rifa's tickets ("xxxxxxxx-xxxx-8xxx-
// yxxx-xxxx"): append the numero as 8 lower-case hex digits for a ticket's id.
std::string ticket_id_prefix(const std::string& rifa_id, const std::string& salt);

// SQL for a ticket id from a prefix (a bound parameter or a column) and a numero expression.
std::string ticket_id_sql(Backend backend, const std::string& prefix_expr, const std::string& numero_expr);

}  // namespace rifa::storage
