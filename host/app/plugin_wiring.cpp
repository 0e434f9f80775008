#include "app/plugin_wiring.hpp"

#include <chrono>

#include "app/logging.hpp"
#include "plugin_runtime/cassette.hpp"
#include "plugin_runtime/curl_transport.hpp"

namespace rifa::app {
namespace {

rifa_plugin_kind to_abi_kind(settings::PluginKind kind) {
  switch (kind) {
    case settings::PluginKind::kLottery: return RIFA_KIND_LOTTERY;
    case settings::PluginKind::kPayment: return RIFA_KIND_PAYMENT;
    case settings::PluginKind::kNotifier: return RIFA_KIND_NOTIFIER;
  }
  return RIFA_KIND_INVALID;
}

int64_t system_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::vector<plugin_runtime::PluginSpec> plugin_specs(const settings::Settings& config) {
  std::vector<plugin_runtime::PluginSpec> specs;
  for (const auto& instance : config.plugins.instances) {
    plugin_runtime::PluginSpec spec;
    spec.id = instance.id;
    spec.library_path = instance.resolved_library_path.empty() ? std::filesystem::path(instance.library)
                                                               : instance.resolved_library_path;
    spec.expected_kind = to_abi_kind(instance.kind);
    spec.config = instance.config;
    specs.push_back(std::move(spec));
  }
  return specs;
}

plugin_runtime::PluginRegistry::ServicesFactory plugin_services(const settings::Settings& config,
                                                                MetricsRegistry& metrics) {
  const auto http = config.plugins.http;
  plugin_runtime::CurlTransportOptions live_options;
  live_options.default_timeout_ms = http.timeout_ms;
  live_options.retries = http.retries;
  live_options.egress_allow = http.egress_allow;
  auto live = std::make_shared<plugin_runtime::CurlTransport>(live_options);
  return [http, live, &metrics](const plugin_runtime::PluginSpec& spec) -> Result<plugin_runtime::HostServices> {
    plugin_runtime::HostServices s;
    s.logger = make_logger("plugin." + spec.id);
    s.now_unix_ms = system_now_ms;
    s.metrics = &metrics;
    const auto cassette_dir = http.fixtures_dir / spec.id;
    switch (http.mode) {
      case settings::TransportMode::kLive: s.transport = live; break;
      case settings::TransportMode::kRecord:
        s.transport = std::make_shared<plugin_runtime::RecordingTransport>(live, cassette_dir);
        break;
      case settings::TransportMode::kReplay: {
        auto cassette = plugin_runtime::Cassette::load(cassette_dir);
        if (!cassette) {
          // A plugin that never talked to the network has nothing recorded: replay answers
          // "not recorded" to every request rather than refusing to start.
          if (cassette.error().code != ErrorCode::kNotFound) {
            return make_error(ErrorCode::kPluginLoad, "plugin '" + spec.id + "': " + cassette.error().message);
          }
          cassette = plugin_runtime::Cassette{};
        }
        s.transport = std::make_shared<plugin_runtime::ReplayTransport>(std::move(*cassette), cassette_dir);
        break;
      }
    }
    return s;
  };
}

std::vector<Error> load_plugins(const settings::Settings& config, MetricsRegistry& metrics,
                                plugin_runtime::PluginRegistry& registry) {
  return registry.load_all(plugin_specs(config), plugin_services(config, metrics));
}

}  // namespace rifa::app
