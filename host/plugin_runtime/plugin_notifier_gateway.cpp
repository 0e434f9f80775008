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
