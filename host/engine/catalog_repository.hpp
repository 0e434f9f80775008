#pragma once

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

class RifaRepository {
 public:
  virtual ~RifaRepository() = default;
  // Inserts the rifa and its total_boletas tickets (numero 0..n-1, estado disponible, precio) in
  // one transaction, with the audit entry.
  virtual Result<void> create(const Rifa& rifa, int64_t precio, const AuditEntry& audit) = 0;
  virtual Result<std::optional<RifaView>> find(const std::string& id) = 0;
  virtual Result<Page<RifaView>> list(const RifaFilter& filter, const PageRequest& page) = 0;

  enum class Lock { kNone, kRequireNoTicketsTaken };
  // Writes the columns in which `rifa` differs from `before` (the rifa as the caller read it), and
  // only while the stored estado is still before.estado: compare-and-set, so a close or cancel
  // that committed since the read is never undone; kConflict naming "estado" otherwise.
  // With kRequireNoTicketsTaken it fails with kConflict (naming
  // `locked_field`) when the stored rifa is no longer pendiente (unless the field is "estado": its
  // commitment was frozen at activation), or when any ticket is reservado, vendido or ganador — checked in the same
  // transaction as the write, so a purchase cannot slip in between. With `precio`, the tickets are
  // rebuilt (all are still disponible then) for the new total_boletas and price.
  // A write that takes the stored rifa from pendiente to activa also freezes its commitment
  // (hash, activada_en, "rifa.activated" audit entry) in the same transaction.
  virtual Result<void> update(const Rifa& before, const Rifa& rifa, Lock lock, const std::string& locked_field,
                              std::optional<int64_t> precio, const AuditEntry& audit) = 0;
};

}  // namespace rifa::engine
