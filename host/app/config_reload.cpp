#include "app/config_reload.hpp"

#include <algorithm>
#include <set>

#include <spdlog/spdlog.h>
#include <yaml-cpp/yaml.h>

#include "app/plugin_wiring.hpp"
#include "settings/config_error.hpp"
#include "settings/environment.hpp"
#include "settings/yaml_json.hpp"
#include "storage/repositories/frozen_bindings.hpp"

namespace rifa::app {
namespace {

namespace fs = std::filesystem;

// What changes live; every other key is compared for "restart needed". plugins.http and
// plugins.search_path are read by the instances a reload creates (plugin_specs, plugin_services).
const std::vector<std::string> kLiveSettings = {"plugins.instances", "plugins.http", "plugins.search_path", "bindings",
                                                "logging.level"};

// The file as YAML gives it, ${ENV} references unexpanded (a changed variable is not seen: the
// process environment cannot change under a running host anyway). Null when it does not parse;
// load_settings_file has said why by then.
nlohmann::json raw_config(const fs::path& file) {
  try {
    const YAML::Node root = YAML::LoadFile(file.string());
    settings::YamlToJsonHooks hooks;
    hooks.scalar_text = [](const YAML::Node& scalar, const std::string&) -> std::optional<std::string> {
      return scalar.Scalar();
    };
    hooks.error = [](const YAML::Node&, const std::string&, const std::string&) {};
    return settings::yaml_to_json(root, "", hooks).value_or(nlohmann::json());
  } catch (const YAML::Exception&) { return nullptr; }
}

void collect_changes(const nlohmann::json& a, const nlohmann::json& b, const std::string& path,
                     const std::vector<std::string>& live, std::vector<std::string>& out) {
  const auto is_live = [&](const std::string& p) {
    return std::any_of(live.begin(), live.end(), [&](const std::string& l) {
      return p == l || (p.size() > l.size() && p.compare(0, l.size(), l) == 0 && p[l.size()] == '.');
    });
  };
  if (!path.empty() && is_live(path)) return;
  if (a.is_object() && b.is_object()) {
    std::set<std::string> keys;
    for (const auto& [k, _] : a.items()) keys.insert(k);
    for (const auto& [k, _] : b.items()) keys.insert(k);
    for (const auto& k : keys) {
      static const nlohmann::json absent;
      collect_changes(a.contains(k) ? a.at(k) : absent, b.contains(k) ? b.at(k) : absent,
                      path.empty() ? k : path + "." + k, live, out);
    }
    return;
  }
  if (a != b) out.push_back(path.empty() ? "(whole file)" : path);
}

// The `lottery` slot is left out: nothing resolves a rifa's lottery through the bindings (it is
// its loteria's plugin_instance, frozen in the commitment at activation), so a change of it
// changes nothing and a diff naming it would tell the operator something moved when nothing did.
nlohmann::json binding_json(const settings::ResolvedBinding& b) {
  return {{"payment", b.payment}, {"notifiers", b.notifiers}};
}

nlohmann::json override_json(const settings::BindingOverride& o) {
  nlohmann::json j = nlohmann::json::object();
  if (o.payment) j["payment"] = *o.payment;
  if (o.notifiers) j["notifiers"] = *o.notifiers;
  return j;
}

// The YAML side of the bindings, flattened to "defaults", "categorias.<nombre>", "rifas.<id>".
std::map<std::string, nlohmann::json> flat_bindings(const settings::Bindings& b) {
  std::map<std::string, nlohmann::json> out{{"defaults", binding_json(b.defaults)}};
  for (const auto& [nombre, o] : b.categorias) out["categorias." + nombre] = override_json(o);
  for (const auto& [id, o] : b.rifas) out["rifas." + id] = override_json(o);
  return out;
}

nlohmann::json bindings_diff(const settings::Bindings& before, const settings::Bindings& after) {
  const auto a = flat_bindings(before), b = flat_bindings(after);
  nlohmann::json diff = nlohmann::json::object();
  std::set<std::string> keys;
  for (const auto& [k, _] : a) keys.insert(k);
  for (const auto& [k, _] : b) keys.insert(k);
  for (const auto& k : keys) {
    const auto from = a.count(k) ? a.at(k) : nlohmann::json(nullptr);
    const auto to = b.count(k) ? b.at(k) : nlohmann::json(nullptr);
    if (from != to) diff[k] = {{"from", from}, {"to", to}};
  }
  return diff;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

std::vector<std::string> changed_settings(const nlohmann::json& before, const nlohmann::json& after,
                                          const std::vector<std::string>& live) {
  std::vector<std::string> out;
  collect_changes(before, after, "", live, out);
  return out;
}

const std::vector<std::string>& live_settings() { return kLiveSettings; }

nlohmann::json ReloadOutcome::to_json() const {
  nlohmann::json j = {
      {"applied", applied},
      {"plugins", {{"added", plugins.added}, {"changed", plugins.changed}, {"removed", plugins.removed}}},
      {"bindings", bindings},
      {"restart_needed", restart_needed},
      {"kept_frozen", kept_frozen}};
  if (!error.empty()) j["error"] = error;
  if (!audit_error.empty()) j["audit_error"] = audit_error;
  return j;
}

ConfigReloader::ConfigReloader(fs::path config_file, settings::Settings running,
                               plugin_runtime::PluginRegistry& plugins,
                               std::shared_ptr<settings::LiveBindings> bindings, storage::Database& db,
                               MetricsRegistry& metrics, const engine::Clock& clock)
    : config_file_(std::move(config_file)),
      running_(std::move(running)),
      running_raw_(raw_config(config_file_)),
      plugins_(plugins),
      bindings_(std::move(bindings)),
      db_(db),
      metrics_(metrics),
      clock_(clock) {}

Result<void> ConfigReloader::load_frozen_bindings() {
  std::lock_guard lock(mutex_);
  auto bound = storage::rifas_past_activation(db_);
  if (!bound) return bound.error();
  settings::Bindings next = running_.bindings;
  for (const auto& r : *bound) {
    if (r.payment_instance) next.frozen_payment[r.id] = *r.payment_instance;
  }
  bindings_->replace(std::move(next));
  return {};
}

ReloadOutcome ConfigReloader::reload(const std::string& actor) {
  std::lock_guard lock(mutex_);
  ReloadOutcome outcome;
  auto refuse = [&](std::string why) {
    outcome.error = std::move(why);
    spdlog::error("config reload of {} refused, nothing changed: {}", config_file_.string(), outcome.error);
    // Refusals are audited too: who asked, and why nothing changed. A database that is down (one
    // reason a reload is refused) cannot take the entry: the log line above stays the record.
    if (auto recorded = storage::record_config_reload(db_, "config.reload_refused", actor, config_file_.string(),
                                                      {{"error", outcome.error}}, clock_.now());
        !recorded) {
      spdlog::error("config reload refused and its audit entry failed: {}", recorded.error().message);
    }
    return outcome;
  };

  auto loaded = settings::load_settings_file(config_file_, settings::process_environment());
  if (!loaded.ok()) return refuse(settings::format_errors(loaded.errors()));
  settings::Settings next = std::move(loaded.settings());
  const nlohmann::json next_raw = raw_config(config_file_);
  outcome.restart_needed = changed_settings(running_raw_, next_raw, kLiveSettings);

  auto bound = storage::rifas_past_activation(db_);
  if (!bound) return refuse("cannot read the rifas the reload must not move: " + bound.error().message);
  const auto specs = plugin_specs(next);
  const auto changes = plugins_.diff(specs);

  // What activated rifas are tied to must stay: the lottery instance deciding a rifa not yet
  // resuelta (its config, e.g. the page it reads, is part of what was promised), and every payment
  // instance a rifa froze (its sales, payouts and refunds go there).
  const auto current = bindings_->current();
  settings::Bindings next_bindings = next.bindings;
  std::vector<std::pair<std::string, std::string>> to_freeze;
  std::vector<std::string> conflicts;
  for (const auto& r : *bound) {
    if (r.estado != "resuelta" && !r.lottery_instance.empty() &&
        (contains(changes.changed, r.lottery_instance) || contains(changes.removed, r.lottery_instance))) {
      conflicts.push_back("plugin instance '" + r.lottery_instance + "' decides the draw of rifa " + r.id + " (" +
                          r.estado +
                          "), frozen in its commitment: leave it as it is and add a new instance id for "
                          "new rifas");
    }
    const std::string payment =
        r.payment_instance.value_or(settings::resolve_bindings(*current, r.id, r.categoria).payment);
    if (contains(changes.removed, payment)) {
      conflicts.push_back(
          "payment instance '" + payment + "' is the one rifa " + r.id + " (" + r.estado +
          ") was activated with: its sales, payouts and refunds go through it, so it cannot be removed");
    }
    if (!r.payment_instance) to_freeze.emplace_back(r.id, payment);
    next_bindings.frozen_payment[r.id] = payment;
    if (settings::resolve_bindings(next.bindings, r.id, r.categoria).payment != payment) {
      outcome.kept_frozen.push_back("rifa " + r.id + " (" + r.estado + ") keeps payment instance '" + payment +
                                    "' (frozen at activation)");
    }
  }
  if (!conflicts.empty()) {
    std::string why = config_file_.string() + ": ";
    for (size_t i = 0; i < conflicts.size(); ++i) why += (i ? "; " : "") + conflicts[i];
    return refuse(why);
  }

  // Rifas activated before migration 0020 freeze what they use now, before anything can move them.
  if (auto frozen = storage::freeze_payment_instances(db_, to_freeze); !frozen) {
    return refuse("cannot record the payment instances of activated rifas: " + frozen.error().message);
  }
  // 1. New and changed instances in, the removed ones kept for now (bindings still name them).
  auto keep = specs;
  for (const auto& old : plugin_specs(running_)) {
    if (contains(changes.removed, old.id)) keep.push_back(old);
  }
  const auto services = plugin_services(next, metrics_);
  std::vector<Error> failures;
  auto swapped = plugins_.reconcile(keep, services, &failures);
  if (!swapped) {
    std::string why;
    for (const auto& f : failures) why += (why.empty() ? "" : "; ") + f.message;
    return refuse(config_file_.string() + ": " + (why.empty() ? swapped.error().message : why));
  }
  // 2. The new bindings (every instance they name is loaded now).
  outcome.bindings = bindings_diff(*current, next_bindings);
  bindings_->replace(next_bindings);
  // 3. The removed instances out: unloaded once their calls in flight return.
  if (!changes.removed.empty()) {
    std::vector<Error> ignored;
    if (auto dropped = plugins_.reconcile(specs, services, &ignored); !dropped) {
      spdlog::error("config reload: could not unload {}: {}", changes.removed.front(), dropped.error().message);
    }
  }
  outcome.plugins = changes;
  if (next.logging.level != running_.logging.level) { spdlog::set_level(spdlog::level::from_str(next.logging.level)); }
  outcome.applied = true;
  running_ = std::move(next);
  // running_raw_ stays the file as the process started: restart_needed compares with what it runs
  // on, so a value moved back to the started one needs no restart, and one still pending is named
  // again by the next reload.

  nlohmann::json audit = outcome.to_json();
  audit.erase("applied");
  if (auto recorded =
          storage::record_config_reload(db_, "config.reloaded", actor, config_file_.string(), audit, clock_.now());
      !recorded) {
    // Applied all the same (the instances are swapped in): the reply and the log say the record is missing.
    outcome.audit_error =
        "the reload was applied but its audit entry could not be written: " + recorded.error().message;
    spdlog::error("config reload: {}", outcome.audit_error);
  }
  spdlog::info("config reloaded from {}: {}", config_file_.string(), outcome.to_json().dump());
  for (const auto& key : outcome.restart_needed) {
    spdlog::warn("config reload: '{}' changed in {} but takes effect only at the next start (restart needed)", key,
                 config_file_.string());
  }
  return outcome;
}

}  // namespace rifa::app
