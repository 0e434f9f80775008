#pragma once

#include <string>
#include <vector>

#include "settings/settings.hpp"

namespace rifa::app {

// What `check-config` adds to the YAML checks: each instance's library is loaded (manifest only,
// no instance is created) and its config is validated against the plugin's own schema, so a
// misspelled plugin key is caught before deployment rather than at start-up. Each problem is one
// line in the settings' format: FILE:LINE:COL: error: plugins.instances.ID.config: MESSAGE.
std::vector<std::string> check_plugin_configs(const settings::Settings& config);

}  // namespace rifa::app
