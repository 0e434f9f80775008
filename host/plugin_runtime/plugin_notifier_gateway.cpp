#include "plugin_runtime/plugin_notifier_gateway.hpp"

#include <algorithm>

namespace rifa::plugin_runtime {

Result<void> PluginNotifierGateway::deliver(const std::string& notifier, const std::string& type,
                                            const nlohmann::json& event) {
  auto instance = registry_.find(notifier);
  if (!instance) {
    return make_error(ErrorCode::kConfigInvalid, "notify.deliver: no plugin instance '" + notifier + "' is loaded");
  }
  if (instance->kind() != RIFA_KIND_NOTIFIER) {
    return make_error(ErrorCode::kConfigInvalid,
                      "notify.deliver: plugin instance '" + notifier + "' is not a notifier");
  }
  const auto outcome = instance->deliver(event.dump());
  if (!outcome.ok()) {
    // sdk/ABI.md, "Notifier": declined (the receiver refused it for good) and invalid_argument (the
    // event itself is wrong) are given up (the notify.deliver JobPolicy); anything else is retried,
    // no sooner than the {"retry_after_s"} the answer may carry.
    const ErrorCode code = outcome.status == RIFA_ERR_DECLINED           ? ErrorCode::kPaymentDeclined
                           : outcome.status == RIFA_ERR_INVALID_ARGUMENT ? ErrorCode::kInvalidArgument
                                                                         : ErrorCode::kUnavailable;
    Error error{code, "notifier '" + notifier + "' could not deliver " + type + " (" + status_name(outcome.status) +
                          "): " + outcome.error};
    const auto hint = nlohmann::json::parse(outcome.result.empty() ? "{}" : outcome.result, nullptr, false);
    if (code == ErrorCode::kUnavailable && hint.is_object() && hint.contains("retry_after_s") &&
        hint["retry_after_s"].is_number_integer()) {
      error.retry_after_s = static_cast<int>(std::clamp<int64_t>(hint["retry_after_s"].get<int64_t>(), 0, 86400));
    }
    return error;
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
