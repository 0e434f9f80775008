#include "settings/settings.hpp"

namespace rifa::settings {

const char* kind_name(PluginKind kind) {
  switch (kind) {
    case PluginKind::kLottery: return "lottery";
    case PluginKind::kPayment: return "payment";
    case PluginKind::kNotifier: return "notifier";
  }
  return "invalid";
}

const char* mode_name(TransportMode mode) {
  switch (mode) {
    case TransportMode::kLive: return "live";
    case TransportMode::kRecord: return "record";
    case TransportMode::kReplay: return "replay";
  }
  return "invalid";
}

const PluginInstanceSettings* Settings::find_instance(std::string_view id) const {
  for (const auto& instance : plugins.instances) {
    if (instance.id == id) return &instance;
  }
  return nullptr;
}

}  // namespace rifa::settings
