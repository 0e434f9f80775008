#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>

namespace rifa::app {

struct PluginCheckOptions {
  std::filesystem::path library;
  // Instance config to create the plugin with (JSON text); when absent, the schema's defaults.
  std::optional<std::string> config_json;
  // Recorded cases to run (lottery plugins): see fixtures/lotteries/README.md.
  std::optional<std::filesystem::path> fixtures_dir;
};

// The integrator's conformance kit: loads the plugin as the host would, checks its manifest and
// config schema, proves an invalid config is refused, creates an instance, exercises the error
// paths (a transport that times out, a malformed page) and runs the recorded fixtures. Prints one
// line per check and returns the number of failed checks.
int run_plugin_check(const PluginCheckOptions& options, std::ostream& out);

}  // namespace rifa::app
