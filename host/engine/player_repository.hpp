#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "engine/audit_entry.hpp"
#include "engine/clock.hpp"

namespace rifa::engine {

// One self-exclusion as recorded (table autoexclusiones). hasta is empty for an indefinite one
// until its lift is requested; then levantamiento_* say when it was asked and when it ends.
struct Exclusion {
  std::string id;
  std::string usuario_id;
  std::string periodo;  // 30d, 6m, 1y, indefinida
  TimePoint desde;
  std::optional<TimePoint> hasta;
  std::optional<TimePoint> levantamiento_solicitado_en;
};

// What the player rules need of an account (users row).
struct PlayerState {
  std::optional<TimePoint> autoexcluido_hasta;    // excluded while now < it
  std::optional<std::string> limites;             // JSON (player_rules.hpp SpendingLimits)
  std::optional<std::string> limites_pendientes;  // JSON (PendingLimits)
  std::optional<TimePoint> anonimizado_en;
};

// Personal fields of an account blanked by erasure (Ley 1581 de 2012): the row stays, under its id
// (a random id, the pseudonym the financial records keep pointing to).
struct Erasure {
  std::string user_id;
  std::string pseudonym_email;  // unique, says nothing about the person
  TimePoint at;
  AuditEntry audit;
};

// Persistence of the player protections and the data subject's rights. Storage failures are
// kDatabase; each write is one transaction with its audit row.
class PlayerRepository {
 public:
  virtual ~PlayerRepository() = default;
  virtual Result<std::optional<PlayerState>> state(const std::string& user_id) = 0;
  // Inserts the exclusion and moves users.autoexcluido_hasta to `users_until` when that is later.
  virtual Result<void> add_exclusion(const Exclusion& exclusion, TimePoint users_until, const AuditEntry& audit) = 0;
  // The indefinite exclusion `exclusion_id` ends at `ends`: users.autoexcluido_hasta becomes `ends`
  // only while it is still `indefinite_end` (so a later, longer exclusion is not shortened).
  virtual Result<void> request_lift(const std::string& exclusion_id, const std::string& user_id, TimePoint requested,
                                    TimePoint ends, TimePoint indefinite_end, const AuditEntry& audit) = 0;
  // Newest first; every player's when user_id is empty.
  virtual Result<std::vector<Exclusion>> exclusions(const std::optional<std::string>& user_id) = 0;
  virtual Result<void> set_limits(const std::string& user_id, const std::optional<std::string>& limites,
                                  const std::optional<std::string>& pendientes, const AuditEntry& audit) = 0;
  // Everything stored about the player: {"tables": {table: [row, ...]}} with every column as text
  // (the password hash left out). Tables are found from the schema: every table with a user_id or
  // usuario_id column, plus the rows reached through them (ganadores, payouts, reembolsos), the
  // audit rows about or by the player and their log-in throttle entry.
  virtual Result<nlohmann::json> export_data(const std::string& user_id) = 0;
  // False when the user does not exist.
  virtual Result<bool> erase(const Erasure& erasure) = 0;
  // Jugadores not erased whose last sign of life (creation, log-in, purchase) is before `cutoff`.
  virtual Result<std::vector<std::string>> inactive_since(TimePoint cutoff, int limit) = 0;
};

}  // namespace rifa::engine
