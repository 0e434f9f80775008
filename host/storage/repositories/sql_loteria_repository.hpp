#pragma once

#include "engine/catalog_repository.hpp"
#include "engine/clock.hpp"
#include "storage/database.hpp"

namespace rifa::storage {

// engine::LoteriaRepository on loterias. The clock stamps audit rows.
class SqlLoteriaRepository final : public engine::LoteriaRepository {
 public:
  SqlLoteriaRepository(Database& db, const engine::Clock& clock) : db_(db), clock_(clock) {}

  Result<void> insert(const engine::Loteria& loteria, const engine::AuditEntry& audit) override;
  Result<std::optional<engine::Loteria>> find(const std::string& id) override;
  Result<engine::Page<engine::Loteria>> list(const engine::PageRequest& page) override;
  Result<void> update(const engine::Loteria& loteria, const std::vector<std::string>& draw_fields,
                      const engine::AuditEntry& audit) override;

 private:
  Database& db_;
  const engine::Clock& clock_;
};

}  // namespace rifa::storage
