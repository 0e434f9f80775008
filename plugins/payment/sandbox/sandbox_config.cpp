#include "sandbox_config.hpp"

#include <nlohmann/json.hpp>

#include "rifa/sdk/error.hpp"

namespace rifa::plugins::sandbox {

const char* const kSandboxConfigSchema = R"json({
  "type": "object",
  "additionalProperties": false,
  "required": ["webhook_secret"],
  "properties": {
    "webhook_secret": {"type": "string", "minLength": 16,
                       "description": "HMAC-SHA256 key of the rifa-sandbox-signature header"},
    "confirm": {"type": "string", "enum": ["immediate", "delayed", "manual"], "default": "immediate",
                "description": "immediate: succeeded at once; delayed: pending, then a signed webhook after confirm_delay_ms; manual: pending until a webhook arrives"},
    "confirm_delay_ms": {"type": "integer", "minimum": 0, "maximum": 86400000, "default": 2000},
    "webhook_url": {"type": "string", "pattern": "^https?://", "description": "Where delayed confirmations are POSTed"},
    "webhook_tolerance_s": {"type": "integer", "minimum": 1, "maximum": 86400, "default": 300},
    "decline_amounts_cents": {"type": "array", "items": {"type": "integer", "minimum": 1}, "default": []},
    "state_file": {"type": "string", "minLength": 1,
                   "description": "JSON-lines file that keeps payments, refunds and payouts across restarts"},
    "development": {"type": "boolean", "default": false,
                    "description": "Development mode: accept the shipped example webhook_secret (dev-only-sandbox-secret); never in production"},
    "answer_delay_ms": {"type": "integer", "minimum": 0, "maximum": 600000, "default": 0,
                        "description": "Tests and development only: create_payment waits this long before answering (a slow provider)"}
  }
})json";

SandboxConfig parse_sandbox_config(const std::string& config_json) {
  SandboxConfig config;
  try {
    const nlohmann::json doc = nlohmann::json::parse(config_json);
    config.webhook_secret = doc.at("webhook_secret").get<std::string>();
    const std::string confirm = doc.value("confirm", "immediate");
    config.confirm = confirm == "delayed"  ? ConfirmMode::kDelayed
                     : confirm == "manual" ? ConfirmMode::kManual
                                           : ConfirmMode::kImmediate;
    config.confirm_delay_ms = doc.value("confirm_delay_ms", config.confirm_delay_ms);
    config.webhook_url = doc.value("webhook_url", "");
    config.webhook_tolerance_s = doc.value("webhook_tolerance_s", config.webhook_tolerance_s);
    for (const auto& amount : doc.value("decline_amounts_cents", nlohmann::json::array())) {
      config.decline_amounts_cents.insert(amount.get<int64_t>());
    }
    config.state_file = doc.value("state_file", "");
    config.development = doc.value("development", false);
    config.answer_delay_ms = doc.value("answer_delay_ms", int64_t{0});
  } catch (const nlohmann::json::exception& e) {
    // The host validates against the schema first; this only catches a host that did not.
    throw sdk::Error(RIFA_ERR_CONFIG, std::string("invalid config: ") + e.what());
  }
  if (config.webhook_secret.size() < 16)
    throw sdk::Error(RIFA_ERR_CONFIG, "webhook_secret must have at least 16 characters");
  if (config.webhook_secret == kShippedWebhookSecret && !config.development) {
    throw sdk::Error(RIFA_ERR_CONFIG, std::string("webhook_secret is the shipped example secret '") +
                                          kShippedWebhookSecret +
                                          "': anyone could sign confirmations with it; set a secret of your own "
                                          "(e.g. from RIFA_SANDBOX_WEBHOOK_SECRET), or development: true on a "
                                          "development machine");
  }
  if (config.confirm == ConfirmMode::kDelayed && config.webhook_url.empty()) {
    throw sdk::Error(RIFA_ERR_CONFIG, "webhook_url is required when confirm is 'delayed'");
  }
  return config;
}

}  // namespace rifa::plugins::sandbox
