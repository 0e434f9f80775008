#pragma once

#include "engine/settlement/notifier_gateway.hpp"
#include "plugin_runtime/plugin_registry.hpp"

namespace rifa::plugin_runtime {

// settlement::NotifierGateway over the host's loaded notifier instances.
class PluginNotifierGateway final : public settlement::NotifierGateway {
 public:
  explicit PluginNotifierGateway(const PluginRegistry& registry) : registry_(registry) {}
  Result<void> deliver(const std::string& notifier, const std::string& type, const nlohmann::json& event) override;

 private:
  const PluginRegistry& registry_;
};

}  // namespace rifa::plugin_runtime
