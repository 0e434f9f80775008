#pragma once

#include "engine/catalog_repository.hpp"
#include "engine/clock.hpp"
#include "storage/database.hpp"

namespace rifa::storage {

// engine::CategoriaRepository on categoria_rifa. The clock stamps audit rows.
class SqlCategoriaRepository final : public engine::CategoriaRepository {
 public:
  SqlCategoriaRepository(Database& db, const engine::Clock& clock) : db_(db), clock_(clock) {}

  Result<void> insert(const engine::Categoria& categoria, const engine::AuditEntry& audit) override;
  Result<std::optional<engine::Categoria>> find(const std::string& id) override;
  Result<engine::Page<engine::Categoria>> list(const engine::PageRequest& page) override;

 private:
  Database& db_;
  const engine::Clock& clock_;
};

}  // namespace rifa::storage
