#pragma once

#include "engine/player_repository.hpp"
#include "storage/database.hpp"

namespace rifa::storage {

// engine::PlayerRepository on users (the protections' columns), autoexclusiones and, for the export
// and the erasure, every table the schema says holds a user's rows.
class SqlPlayerRepository final : public engine::PlayerRepository {
 public:
  SqlPlayerRepository(Database& db, const engine::Clock& clock) : db_(db), clock_(clock) {}

  Result<std::optional<engine::PlayerState>> state(const std::string& user_id) override;
  Result<void> add_exclusion(const engine::Exclusion& exclusion, engine::TimePoint users_until,
                             const engine::AuditEntry& audit) override;
  Result<void> request_lift(const std::string& exclusion_id, const std::string& user_id, engine::TimePoint requested,
                            engine::TimePoint ends, engine::TimePoint indefinite_end,
                            const engine::AuditEntry& audit) override;
  Result<std::vector<engine::Exclusion>> exclusions(const std::optional<std::string>& user_id) override;
  Result<void> set_limits(const std::string& user_id, const std::optional<std::string>& limites,
                          const std::optional<std::string>& pendientes, const engine::AuditEntry& audit) override;
  Result<nlohmann::json> export_data(const std::string& user_id) override;
  Result<bool> erase(const engine::Erasure& erasure) override;
  Result<std::vector<std::string>> inactive_since(engine::TimePoint cutoff, int limit) override;

 private:
  Database& db_;
  const engine::Clock& clock_;  // stamps audit rows
};

// Every table of the schema with a column naming a user (user_id or usuario_id): (table, column).
// The export walks them, and its test compares against the same question asked of the schema.
std::vector<std::pair<std::string, std::string>> tables_with_user_column(soci::session& sql, Backend backend);
// The columns of `table`, in order.
std::vector<std::string> table_columns(soci::session& sql, Backend backend, const std::string& table);

}  // namespace rifa::storage
