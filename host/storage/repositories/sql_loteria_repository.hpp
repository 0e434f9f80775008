#pragma once

#include "engine/catalog_repository.hpp"
#include "storage/database.hpp"

namespace rifa::storage {

// engine::LoteriaRepository on loterias.
class SqlLoteriaRepository final : public engine::LoteriaRepository {
 public:
  explicit SqlLoteriaRepository(Database& db) : db_(db) {}

  Result<void> insert(const engine::Loteria& loteria) override;
  Result<std::optional<engine::Loteria>> find(const std::string& id) override;
  Result<engine::Page<engine::Loteria>> list(const engine::PageRequest& page) override;
  Result<void> update(const engine::Loteria& loteria) override;

 private:
  Database& db_;
};

}  // namespace rifa::storage
