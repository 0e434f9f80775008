#include "plugin_runtime/plugin_notifier_gateway.hpp"

namespace rifa::plugin_runtime {

Result<void> PluginNotifierGateway::deliver(const std::string& notifier, const std::string& type,
                                            const nlohmann::json& event) {
  auto instance = registry_.find(notifier);
  if (!instance) {
    return make_error(ErrorCode::kConfigInvalid, "notify.deliver: no plugin instance '" + notifier + "' is loaded");
  }
  if (instance->kind() != RIFA_KIND_NOTIFIER) {
    return make_error(ErrorCode::kConfigInvalid, "notify.deliver: plugin instance '" + notifier + "' is not a notifier");
  }
  const auto outcome = instance->deliver(event.dump());
  if (!outcome.ok()) {
    return make_error(ErrorCode::kUnavailable, "notifier '" + notifier + "' could not deliver " + type + " (" +
                                                   status_name(outcome.status) + "): " + outcome.error);
  }
  return {};
}

}  // namespace rifa::plugin_runtime

namespace rifa::plugin_runtime {

settlement::NotifierProfile PluginNotifierGateway::profile(const std::string& notifier) const {
  settlement::NotifierProfile profile{notifier, {}};
  if (auto instance = registry_.find(notifier)) profile.channel = instance->library().info().name;
  // The config the live instance was made with (a reload may have changed it since start); the
  // settings' copy for a registry that was not told (tests that add instances by hand).
  std::optional<nlohmann::json> live = registry_.config_of(notifier);
  const nlohmann::json* config = live ? &*live : nullptr;
  if (!config && instances_) {
    for (const auto& instance : *instances_) {
      if (instance.id == notifier && instance.kind == settings::PluginKind::kNotifier) config = &instance.config;
    }
  }
  if (!config || !config->is_object()) return profile;
  const auto contact = config->find("contact");
  if (contact == config->end() || !contact->is_array()) return profile;
  for (const auto& field : *contact) {
    if (!field.is_string()) continue;
    const std::string name = field.get<std::string>();
    if (name == "email" || name == "telefono" || name == "nombre") profile.contact_fields.push_back(name);
  }
  return profile;
}

}  // namespace rifa::plugin_runtime
