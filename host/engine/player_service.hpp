#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "engine/actor.hpp"
#include "engine/clock.hpp"
#include "engine/id_generator.hpp"
#include "engine/player_repository.hpp"
#include "engine/player_rules.hpp"

namespace rifa::engine {

// Personal data policy (Ley 1581 de 2012), from the config (datos_personales:).
struct DataPolicy {
  std::string version = "1";  // of the data policy the registration consents to
  // How long an inactive jugador's personal data is kept; 0 = forever.
  int64_t retention_days = 0;
};

// The limits as the API shows them: in force, and a raise waiting for its time.
struct LimitsView {
  SpendingLimits limites;
  std::optional<PendingLimits> pendientes;
};

// Self-exclusion, spending limits and the data subject's rights (export, erasure, retention).
// The player acts on their own account; an admin may read exclusions and limits, export and erase,
// but no one can lift an exclusion early, nor can an admin or operador request a lift.
class PlayerService {
 public:
  PlayerService(PlayerRepository& players, const Clock& clock, IdGenerator& ids, DataPolicy policy);

  const DataPolicy& policy() const { return policy_; }

  // periodo: 30d, 6m, 1y, indefinida. Effective at once. Only the player themself.
  Result<Exclusion> exclude(const Actor& actor, const std::string& user_id, const std::string& periodo);
  // The player's request to lift their indefinite exclusion: it ends 7 days from now. A fixed-term
  // one cannot be lifted (kConflict); anyone but the player is refused (kPermissionDenied).
  Result<Exclusion> request_lift(const Actor& actor, const std::string& user_id);
  // The player (or staff) reads the player's exclusions; staff list everyone's (user_id empty).
  Result<std::vector<Exclusion>> exclusions(const Actor& actor, const std::optional<std::string>& user_id);
  // The exclusion in force at `now`, if any (for the GET answer).
  Result<std::optional<TimePoint>> excluded_until(const std::string& user_id);

  Result<LimitsView> limits(const Actor& actor, const std::string& user_id);
  // Each of diario/semanal/mensual lowered (or removed: never — removing is raising) takes effect
  // at once; any raise (or removal) waits 24 h as a pending change. Only the player themself.
  Result<LimitsView> set_limits(const Actor& actor, const std::string& user_id, const SpendingLimits& wanted);

  // The player or an admin.
  Result<nlohmann::json> export_data(const Actor& actor, const std::string& user_id);
  Result<void> erase(const Actor& actor, const std::string& user_id);
  // The retention job: erases jugadores inactive for longer than policy.retention_days; how many.
  Result<int> erase_inactive(int batch = 100);

 private:
  Result<PlayerState> load(const std::string& user_id);

  PlayerRepository& players_;
  const Clock& clock_;
  IdGenerator& ids_;
  DataPolicy policy_;
};

}  // namespace rifa::engine
