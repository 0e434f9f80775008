#include "plugin_runtime/plugin_notifier_gateway.hpp"

namespace rifa::plugin_runtime {

Result<void> PluginNotifierGateway::deliver(const std::string& notifier, const std::string& type,
                                            const nlohmann::json& event) {
  PluginInstance* instance = registry_.find(notifier);
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
  if (PluginInstance* instance = registry_.find(notifier)) profile.channel = instance->library().info().name;
  if (!instances_) return profile;
  const nlohmann::json* config = nullptr;
  for (const auto& instance : *instances_) {
    if (instance.id == notifier && instance.kind == settings::PluginKind::kNotifier) config = &instance.config;
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
