#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace rifa::settlement {

// What the engine asks of notifier plugins (a port: plugin_runtime/plugin_notifier_gateway adapts
// the loaded instances to it).
class NotifierGateway {
 public:
  virtual ~NotifierGateway() = default;
  // Hands `event` (sdk/ABI.md, "Notifier") to the notifier instance. kConfigInvalid when no such
  // instance is loaded or it is not a notifier; kUnavailable, naming `type`, when it failed.
  virtual Result<void> deliver(const std::string& notifier, const std::string& type, const nlohmann::json& event) = 0;
};

}  // namespace rifa::settlement
