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

}  // namespace rifa::app
