#pragma once

#include "engine/sales_repository.hpp"
#include "storage/database.hpp"
#include "storage/repositories/domain_event_sink.hpp"

namespace rifa::storage {

// engine::SalesRepository on tickets, transacciones, idempotency_keys and the audit log.
//
// No number is sold twice on either backend: on PostgreSQL the numbers are picked with
// `FOR UPDATE SKIP LOCKED`, so concurrent buyers take different free rows without waiting on each
// other, and the rifa row is held `FOR SHARE` so that closing it waits for purchases in progress;
// on SQLite every write transaction is BEGIN IMMEDIATE, one writer at a time. Payment changes are
// compare-and-set on transacciones.status, so a webhook, the reconciliation job, hold expiry and
// the purchase itself can race and exactly one of them applies each move. A sale is confirmed only
// under the rifa's lock (FOR SHARE) while it is activa and before its fecha_fin, so a rifa being
// closed never gains a sold ticket after its close (SqlSettlementRepository::close releases the
// holds under FOR UPDATE).
class SqlSalesRepository final : public engine::SalesRepository {
 public:
  explicit SqlSalesRepository(Database& db) : db_(db) {}

  // Raises "ticket_sold" (one per ticket, in one call) inside the transaction that confirms a payment.
  void set_event_sink(DomainEventBatchSink sink) { events_ = std::move(sink); }

  Result<std::unique_ptr<engine::PurchaseTransaction>> begin_purchase() override;
  Result<engine::SettleOutcome> settle(const engine::SettlePayment& change) override;
  Result<std::optional<engine::Sale>> find_sale(const std::string& transaccion_id) override;
  Result<std::optional<engine::Transaccion>> find_by_provider_ref(const std::string& provider,
                                                                  const std::string& provider_ref) override;
  Result<std::vector<engine::Transaccion>> list_expired_holds(engine::TimePoint now, int limit) override;
  Result<std::vector<engine::Transaccion>> list_pending_before(engine::TimePoint cutoff, int limit) override;
  Result<std::vector<engine::Transaccion>> list_released_before(engine::TimePoint cutoff, int limit) override;
  Result<void> mark_release_checked(const std::string& transaccion_id) override;
  Result<void> record_audit(const engine::AuditEntry& entry, engine::TimePoint at) override;
  Result<int64_t> purge_expired_keys(engine::TimePoint now) override;
  Result<engine::Page<engine::Ticket>> list_tickets(const engine::TicketFilter& filter,
                                                    const engine::PageRequest& page) override;

 private:
  Database& db_;
  DomainEventBatchSink events_;
};

}  // namespace rifa::storage
