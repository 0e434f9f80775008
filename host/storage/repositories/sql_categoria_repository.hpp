#pragma once

#include "engine/catalog_repository.hpp"
#include "storage/database.hpp"

namespace rifa::storage {

// engine::CategoriaRepository on categoria_rifa.
class SqlCategoriaRepository final : public engine::CategoriaRepository {
 public:
  explicit SqlCategoriaRepository(Database& db) : db_(db) {}

  Result<void> insert(const engine::Categoria& categoria) override;
  Result<std::optional<engine::Categoria>> find(const std::string& id) override;
  Result<engine::Page<engine::Categoria>> list(const engine::PageRequest& page) override;

 private:
  Database& db_;
};

}  // namespace rifa::storage
