#pragma once

#include "engine/verification.hpp"
#include "storage/database.hpp"

namespace rifa::storage {

// engine::VerificationRepository over rifas, resultados_sorteo, tickets and ganadores.
class SqlVerificationRepository final : public engine::VerificationRepository {
 public:
  explicit SqlVerificationRepository(Database& db) : db_(db) {}

  Result<std::optional<engine::VerificationData>> load(const std::string& rifa_id) override;

 private:
  Database& db_;
};

}  // namespace rifa::storage
