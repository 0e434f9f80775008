#pragma once

#include <vector>

#include "common/metrics.hpp"
#include "plugin_runtime/plugin_registry.hpp"
#include "settings/settings.hpp"

namespace rifa::app {

// Turns the config's plugin instances into loaded plugins: resolves each library, gives each
// instance its logger ("plugin.<id>"), the system clock, and the HTTP transport the config's
// plugins.http.mode asks for (live, record into fixtures_dir/<id>, replay from it).
// Returns every failure; the registry holds the instances that did load.
std::vector<Error> load_plugins(const settings::Settings& config, MetricsRegistry& metrics,
                                plugin_runtime::PluginRegistry& registry);

// The two halves of load_plugins, for a config reload (app/config_reload): the instances the config
// names, and how each gets its services (the factory keeps what it needs; `metrics` must outlive it).
std::vector<plugin_runtime::PluginSpec> plugin_specs(const settings::Settings& config);
plugin_runtime::PluginRegistry::ServicesFactory plugin_services(const settings::Settings& config,
                                                                MetricsRegistry& metrics);

}  // namespace rifa::app
