#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace rifa::settlement {

// What a notifier instance is to the engine: the channel a player turns on or off (the plugin's
// name: "email", "webhook", "log") and the recipient's contact fields it declared it needs (a
// subset of email, telefono, nombre; its instance config's "contact" member, which the plugin's
// config schema allows or not). An event carries those fields and never more.
struct NotifierProfile {
  std::string channel;
  std::vector<std::string> contact_fields;
};

// What the engine asks of notifier plugins (a port: plugin_runtime/plugin_notifier_gateway adapts
// the loaded instances to it).
class NotifierGateway {
 public:
  virtual ~NotifierGateway() = default;
  // Hands `event` (sdk/ABI.md, "Notifier") to the notifier instance. kConfigInvalid when no such
  // instance is loaded or it is not a notifier; kUnavailable, naming `type`, when it failed.
  virtual Result<void> deliver(const std::string& notifier, const std::string& type, const nlohmann::json& event) = 0;
  // The instance's channel and declared contact needs. The default: the channel is the instance
  // id, and no contact at all.
  virtual NotifierProfile profile(const std::string& notifier) const { return {notifier, {}}; }
};

}  // namespace rifa::settlement
