#include "stripe_config.hpp"

#include <cstdlib>

#include <nlohmann/json.hpp>

#include "rifa/sdk/error.hpp"

namespace rifa::plugins::stripe {

const char* const kStripeConfigSchema = R"json({
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "api_base": {"type": "string", "pattern": "^https?://[^/]+$", "default": "https://api.stripe.com",
                 "description": "Stripe's API origin (tests point it at a loopback fake)"},
    "secret_key_env": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$", "default": "STRIPE_SECRET_KEY",
                       "description": "Name of the environment variable holding the secret key (sk_test_/sk_live_); the key itself never goes in the config"},
    "webhook_secret_env": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$", "default": "STRIPE_WEBHOOK_SECRET",
                           "description": "Name of the environment variable holding the endpoint's signing secret (whsec_)"},
    "publishable_key": {"type": "string", "pattern": "^pk_(test|live)_[A-Za-z0-9]+$",
                        "description": "Publishable key handed to the app with the PaymentIntent's client_secret (Stripe.js)"},
    "live": {"type": "boolean", "default": false,
             "description": "Take real money: required for an sk_live_ key, refused with a test key"},
    "webhook_tolerance_s": {"type": "integer", "minimum": 1, "maximum": 3600, "default": 300},
    "timeout_ms": {"type": "integer", "minimum": 100, "maximum": 120000, "default": 15000},
    "payment_method_types": {"type": "array", "items": {"type": "string", "pattern": "^[a-z_]+$"}, "maxItems": 16,
                             "description": "PaymentIntent payment_method_types; absent: automatic payment methods"},
    "connected_account": {"type": "string", "pattern": "^acct_[A-Za-z0-9]+$",
                          "description": "Default destination of prize payouts (a transfer to a connected account)"}
  }
})json";

namespace {

[[noreturn]] void refuse(const std::string& message) { throw sdk::Error(RIFA_ERR_CONFIG, message); }

std::string from_environment(const std::string& name, const char* what) {
  const char* value = std::getenv(name.c_str());
  if (!value || !*value) {
    refuse(std::string(what) + " is read from the environment variable " + name + ", which is not set");
  }
  return value;
}

bool starts_with(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

}  // namespace

StripeConfig parse_stripe_config(const std::string& config_json) {
  StripeConfig config;
  try {
    const nlohmann::json doc = nlohmann::json::parse(config_json);
    config.api_base = doc.value("api_base", config.api_base);
    config.secret_key_env = doc.value("secret_key_env", config.secret_key_env);
    config.webhook_secret_env = doc.value("webhook_secret_env", config.webhook_secret_env);
    config.publishable_key = doc.value("publishable_key", "");
    config.live = doc.value("live", false);
    config.webhook_tolerance_s = doc.value("webhook_tolerance_s", config.webhook_tolerance_s);
    config.timeout_ms = doc.value("timeout_ms", config.timeout_ms);
    for (const auto& type : doc.value("payment_method_types", nlohmann::json::array())) {
      config.payment_method_types.push_back(type.get<std::string>());
    }
    config.connected_account = doc.value("connected_account", "");
  } catch (const nlohmann::json::exception& e) { refuse(std::string("invalid config: ") + e.what()); }

  config.secret_key = from_environment(config.secret_key_env, "the Stripe secret key");
  const bool live_key = starts_with(config.secret_key, "sk_live_") || starts_with(config.secret_key, "rk_live_");
  const bool test_key = starts_with(config.secret_key, "sk_test_") || starts_with(config.secret_key, "rk_test_");
  if (!live_key && !test_key) {
    refuse("the value of " + config.secret_key_env +
           " is not a Stripe secret key (expected sk_test_/sk_live_ or rk_test_/rk_live_)");
  }
  if (live_key && !config.live) {
    refuse(config.secret_key_env + " holds a live key (sk_live_): it takes real money; set live: true to use it");
  }
  if (test_key && config.live) {
    refuse("live: true but " + config.secret_key_env + " holds a test key (sk_test_): refusing a mix of modes");
  }
  if (!config.publishable_key.empty() && starts_with(config.publishable_key, "pk_live_") != config.live) {
    refuse("publishable_key is a " + std::string(config.live ? "test" : "live") + " key but the instance is " +
           (config.live ? "live" : "in test mode") + ": refusing a mix of modes");
  }
  config.webhook_secret = from_environment(config.webhook_secret_env, "the webhook signing secret");
  if (!starts_with(config.webhook_secret, "whsec_")) {
    refuse("the value of " + config.webhook_secret_env +
           " is not a Stripe webhook signing secret (expected whsec_...)");
  }
  return config;
}

}  // namespace rifa::plugins::stripe
