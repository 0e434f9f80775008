#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "engine/clock.hpp"
#include "storage/database.hpp"

namespace rifa::storage {

// What a config reload (host/app/config_reload) must not move: the plugin instances each rifa past
// pendiente is tied to.
struct BoundRifa {
  std::string id;
  std::string estado;
  std::string categoria;                        // its nombre (bindings resolve by it)
  std::optional<std::string> payment_instance;  // frozen at activation; empty for rifas activated before migration 0020
  std::string lottery_instance;                 // from the frozen commitment, else its loteria's
};

// Every rifa that is activa, cerrada or resuelta: sales, the draw, payouts and refunds still run
// through their instances.
Result<std::vector<BoundRifa>> rifas_past_activation(Database& db);

// Freezes the payment instance of rifas activated before migration 0020, as the bindings give it
// now (only where it is still NULL: a value once written never changes).
Result<void> freeze_payment_instances(Database& db,
                                      const std::vector<std::pair<std::string, std::string>>& rifa_instance);

// The audit entry of one config reload on entity "config", id = the file: "config.reloaded" with
// the diff, or "config.reload_refused" with the reason.
Result<void> record_config_reload(Database& db, const std::string& action, const std::string& actor,
                                  const std::string& config_file, const nlohmann::json& data, engine::TimePoint at);

}  // namespace rifa::storage
