#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "engine/audit_entry.hpp"
#include "engine/catalog.hpp"
#include "engine/page.hpp"

namespace rifa::engine {

// Storage failures come back as kDatabase; a duplicate unique key as kConflict. Every write
// appends its audit entry in the same transaction.
class CategoriaRepository {
 public:
  virtual ~CategoriaRepository() = default;
  virtual Result<void> insert(const Categoria& categoria, const AuditEntry& audit) = 0;
  virtual Result<std::optional<Categoria>> find(const std::string& id) = 0;
  virtual Result<Page<Categoria>> list(const PageRequest& page) = 0;  // ordered by nombre
};

class LoteriaRepository {
 public:
  virtual ~LoteriaRepository() = default;
  virtual Result<void> insert(const Loteria& loteria, const AuditEntry& audit) = 0;
  virtual Result<std::optional<Loteria>> find(const std::string& id) = 0;
  virtual Result<Page<Loteria>> list(const PageRequest& page) = 0;  // ordered by nombre
  // Writes the loteria. When `draw_fields` (the changed columns that decide a draw) is not empty
  // it fails with kConflict naming the first of them while a rifa that is not final (pendiente,
  // activa, cerrada) uses the loteria — checked in the same transaction as the write, with the
  // loteria row locked, so a rifa cannot start using it in between.
  virtual Result<void> update(const Loteria& loteria, const std::vector<std::string>& draw_fields,
                              const AuditEntry& audit) = 0;
};

// GET /rifas filters. An empty member does not filter. The date window keeps the rifas whose
// [fecha_inicio, fecha_fin] overlaps [desde, hasta]: fecha_fin >= desde and fecha_inicio <= hasta.
struct RifaFilter {
  std::optional<RifaEstado> estado;
  std::optional<std::string> categoria;  // a categoria id or its exact nombre
  std::optional<TimePoint> desde;
  std::optional<TimePoint> hasta;
};

// A change to a rifa as RifaService decided it: which columns change, and what the change implies.
// The repository decides nothing: it checks the facts named here on the locked row, then makes
// exactly these writes, in one transaction, and calls nothing above storage while the row is locked
// (the "rifa_opened" event goes to the repository's event sink, which only queues jobs in the
// same transaction).
struct RifaChange {
  // The rifa as the service read it: compare-and-set, the change is made only while the stored
  // estado is still before.estado, so a close or cancel committed since the read is never undone.
  Rifa before;
  // The rifa as it is to be: the columns in which it differs from `before` are written.
  Rifa after;
  // Made only while no ticket of the rifa is reservado, vendido or ganador (a field that changes
  // the odds or the money is changing).
  bool require_no_tickets_taken = false;
  // The tickets are deleted and re-created (numero 0..after.total_boletas-1) at this price.
  std::optional<int64_t> rebuild_tickets_precio;
  // pendiente → activa: freeze the commitment (hash, activada_en, seed, the "rifa.activated" audit
  // entry) and raise "rifa_opened".
  bool freeze_commitment = false;
  // With freeze_commitment: the payment instance the rifa's sales and payouts go through from now
  // on, whatever a config reload binds later (rifas.payment_instance).
  std::optional<std::string> freeze_payment_instance;
  // → cancelada: queue the refund of every paid ticket (the refund job, engine/settlement/refund_service.hpp).
  bool queue_refunds = false;
  AuditEntry audit;
};

// What RifaRepository::apply found. Anything but kApplied means nothing was written.
struct RifaChangeOutcome {
  enum class Status {
    kApplied,
    kNotFound,
    kEstadoChanged,     // the stored estado is no longer change.before.estado (stored_estado says what it is)
    kTicketsTaken,      // require_no_tickets_taken, and tickets_taken tickets are taken
    kChangedMeanwhile,  // the row changed between the check and the write (not expected under the row lock)
  };
  Status status = Status::kApplied;
  std::string stored_estado;
  long long tickets_taken = 0;
};

class RifaRepository {
 public:
  virtual ~RifaRepository() = default;
  // Inserts the rifa and its total_boletas tickets (numero 0..n-1, estado disponible, precio) in
  // one transaction, with the audit entry.
  virtual Result<void> create(const Rifa& rifa, int64_t precio, const AuditEntry& audit) = 0;
  virtual Result<std::optional<RifaView>> find(const std::string& id) = 0;
  virtual Result<Page<RifaView>> list(const RifaFilter& filter, const PageRequest& page) = 0;

  // Applies a change RifaService decided (see RifaChange) in one transaction, with the rifa row
  // locked: the facts it checks there come back in the outcome, and then nothing was written.
  virtual Result<RifaChangeOutcome> apply(const RifaChange& change) = 0;
};

}  // namespace rifa::engine
