#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>

namespace rifa::app {

struct PluginCheckOptions {
  std::filesystem::path library;
  // Instance config to create the plugin with (JSON text); when absent, the schema's defaults.
  std::optional<std::string> config_json;
  // Recorded cases to run (lottery plugins): see fixtures/lotteries/README.md. Only the cases
  // whose "library" names the library under check run; the others are listed as skipped.
  std::optional<std::filesystem::path> fixtures_dir;
  // The kit's clock (Unix ms): the plugin's clock is frozen there for every probe, and the probe
  // dates are picked relative to it. When absent, the system clock when the kit starts.
  std::optional<int64_t> now_unix_ms;
};

// The integrator's conformance kit (sdk/docs/CONFORMANCE.md lists every check): loads the plugin
// as the host would, checks its manifest and config schema, proves an invalid config is refused,
// creates an instance, exercises the error paths of its kind (for a lottery: on dates derived from
// its own schedule(), a source that times out, a day without a draw, a malformed page) and runs
// the recorded cases. Prints one line per check — a failure says what the plugin should have
// done — and returns the number of failed checks.
int run_plugin_check(const PluginCheckOptions& options, std::ostream& out);

}  // namespace rifa::app
