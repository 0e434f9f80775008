#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "engine/settlement/notifier_gateway.hpp"
#include "plugin_runtime/plugin_registry.hpp"
#include "settings/settings.hpp"

namespace rifa::plugin_runtime {

// settlement::NotifierGateway over the host's loaded notifier instances.
class PluginNotifierGateway final : public settlement::NotifierGateway {
 public:
  // `instances` (not owned; nullptr: none): the config's plugin instances, whose notifiers'
  // configs are read for their declared "contact" fields; an instance not listed declares none.
  explicit PluginNotifierGateway(const PluginRegistry& registry,
                                 const std::vector<settings::PluginInstanceSettings>* instances = nullptr)
      : registry_(registry), instances_(instances) {}
  Result<void> deliver(const std::string& notifier, const std::string& type, const nlohmann::json& event) override;
  // channel: the plugin's manifest name ("email", "webhook"); contact_fields: the instance
  // config's "contact" array, only its email / telefono / nombre members (the plugin's config
  // schema decides whether the member is allowed at all).
  settlement::NotifierProfile profile(const std::string& notifier) const override;

 private:
  const PluginRegistry& registry_;
  const std::vector<settings::PluginInstanceSettings>* instances_;
};

}  // namespace rifa::plugin_runtime
