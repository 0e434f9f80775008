#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/metrics.hpp"
#include "engine/clock.hpp"
#include "plugin_runtime/plugin_registry.hpp"
#include "settings/bindings.hpp"
#include "settings/settings.hpp"
#include "storage/database.hpp"

namespace rifa::app {

// What one reload did, or why it did nothing.
struct ReloadOutcome {
  bool applied = false;
  // Refused: the file's errors (file:line:col each) or the rule the new file breaks. Nothing changed.
  std::string error;
  plugin_runtime::RegistryChanges plugins;
  // The binding slots that changed: {"defaults": {"from", "to"}, "categorias.Oro": …, "rifas.<id>": …}.
  nlohmann::json bindings = nlohmann::json::object();
  // Settings that changed in the file but only take effect at the next start (dotted paths).
  std::vector<std::string> restart_needed;
  // Rifas already activa whose payment instance stayed as frozen although the file binds another.
  std::vector<std::string> kept_frozen;
  // Applied, but its audit entry could not be written (why); empty when it was.
  std::string audit_error;

  nlohmann::json to_json() const;
};

// Re-reads the YAML file a serving host started from and applies what can change live (SIGHUP,
// `rifa-host reload`, POST /api/v1/admin/config/reload):
//   - plugin instances: new and changed ones are created (library loaded, config checked by the
//     plugin) and swapped in; removed ones stop being handed out and are unloaded when their calls
//     in flight return (plugin_runtime::PluginRegistry::reconcile);
//   - bindings: for rifas not yet activa. An activated rifa keeps the payment instance it froze
//     (rifas.payment_instance) and the lottery instance of its commitment: a file that changes or
//     removes the lottery instance deciding a rifa not yet resuelta, or removes a payment instance
//     a rifa froze, is refused whole, saying which rifa;
//   - logging.level.
// plugins.http and plugins.search_path apply to the instances this reload creates (new and changed
// ones); unchanged instances keep what they were created with.
// Anything else that changed is reported as "restart needed", not silently ignored. An invalid
// file changes nothing and says why. Each reload is one audit entry: config.reloaded with the
// diff, or config.reload_refused with the reason.
// Reloads are serialised; purchases and jobs run on through one.
class ConfigReloader {
 public:
  ConfigReloader(std::filesystem::path config_file, settings::Settings running, plugin_runtime::PluginRegistry& plugins,
                 std::shared_ptr<settings::LiveBindings> bindings, storage::Database& db, MetricsRegistry& metrics,
                 const engine::Clock& clock);

  // At start, before serving: the payment instances rifas froze, into the live bindings.
  Result<void> load_frozen_bindings();
  ReloadOutcome reload(const std::string& actor);

 private:
  std::filesystem::path config_file_;
  settings::Settings running_;
  nlohmann::json running_raw_;  // the file as the process started, untyped: what "restart needed" compares
  plugin_runtime::PluginRegistry& plugins_;
  std::shared_ptr<settings::LiveBindings> bindings_;
  storage::Database& db_;
  MetricsRegistry& metrics_;
  const engine::Clock& clock_;
  std::mutex mutex_;
};

// The dotted paths whose values differ between two config documents (leaves; a list compares
// whole), without the ones under `live` prefixes. Exposed for tests.
std::vector<std::string> changed_settings(const nlohmann::json& before, const nlohmann::json& after,
                                          const std::vector<std::string>& live);
// The settings a reload applies (dotted prefixes); every other change is "restart needed".
const std::vector<std::string>& live_settings();

}  // namespace rifa::app
