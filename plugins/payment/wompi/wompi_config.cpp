#include "wompi_config.hpp"

#include <cstdlib>

#include <nlohmann/json.hpp>

#include "rifa/sdk/error.hpp"

namespace rifa::plugins::wompi {

const char* const kWompiConfigSchema = R"json({
  "type": "object",
  "additionalProperties": false,
  "required": ["public_key"],
  "properties": {
    "public_key": {"type": "string", "pattern": "^pub_(test|prod)_[A-Za-z0-9]+$",
                   "description": "The merchant's public key; pub_test_ is the sandbox, pub_prod_ production"},
    "private_key_env": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$", "default": "WOMPI_PRIVATE_KEY",
                        "description": "Environment variable holding the private key (prv_test_/prv_prod_)"},
    "events_secret_env": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$", "default": "WOMPI_EVENTS_SECRET",
                          "description": "Environment variable holding the events secret (test_events_/prod_events_)"},
    "integrity_secret_env": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$", "default": "WOMPI_INTEGRITY_SECRET",
                             "description": "Environment variable holding the integrity secret (test_integrity_/prod_integrity_)"},
    "api_base": {"type": "string", "pattern": "^https?://",
                 "description": "Wompi's API root, default by the keys: https://sandbox.wompi.co/v1 or https://production.wompi.co/v1"},
    "checkout_base": {"type": "string", "pattern": "^https?://", "default": "https://checkout.wompi.co/p/"},
    "redirect_url": {"type": "string", "pattern": "^https?://",
                     "description": "Where Wompi sends the buyer back after PSE, Bancolombia or the web checkout"},
    "event_max_age_s": {"type": "integer", "minimum": 60, "maximum": 604800, "default": 90000,
                        "description": "Oldest event timestamp accepted (Wompi retries an event for 24 hours)"},
    "timeout_ms": {"type": "integer", "minimum": 100, "maximum": 120000, "default": 15000},
    "poll_attempts": {"type": "integer", "minimum": 0, "maximum": 30, "default": 5},
    "poll_interval_ms": {"type": "integer", "minimum": 0, "maximum": 10000, "default": 1000},
    "payouts_account_id": {"type": "string", "minLength": 1, "maxLength": 100,
                           "description": "Prizes are paid through Wompi's third-party payments (pagos a terceros) from this origin account (GET /accounts); absent: payout is refused"},
    "payouts_api_key_env": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$", "default": "WOMPI_PAYOUTS_API_KEY",
                            "description": "Environment variable holding the payouts API's x-api-key"},
    "payouts_principal_id_env": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$", "default": "WOMPI_PAYOUTS_PRINCIPAL_ID",
                                 "description": "Environment variable holding the payouts API's user-principal-id"},
    "payouts_api_base": {"type": "string", "pattern": "^https?://",
                         "description": "The payouts API root, default by the keys: https://api.sandbox.payouts.wompi.co/v1 or https://api.payouts.wompi.co/v1"},
    "payouts_payment_type": {"type": "string", "pattern": "^[A-Z_]{1,40}$", "default": "OTHER",
                             "description": "The batch's paymentType (OTHER, PAYROLL, PROVIDERS ...)"},
    "payouts_bank_ids": {"type": "object",
                         "additionalProperties": {"type": "string", "pattern": "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"},
                         "description": "Wompi's bankId (GET /banks) for each of our bank slugs a prize may be paid to, and for 'nequi'"}
  }
})json";

namespace {

[[noreturn]] void refuse(const std::string& message) { throw sdk::Error(RIFA_ERR_CONFIG, message); }

std::string from_environment(const std::string& name, const char* what) {
  const char* value = std::getenv(name.c_str());
  if (!value || !*value)
    refuse(std::string(what) + " is read from the environment variable " + name + ", which is not set");
  return value;
}

// Which environment a key belongs to by its prefix; refuses one that is neither.
bool is_production(const std::string& value, const std::string& test_prefix, const std::string& prod_prefix,
                   const std::string& where) {
  if (value.rfind(prod_prefix, 0) == 0) return true;
  if (value.rfind(test_prefix, 0) == 0) return false;
  refuse(where + " is neither a sandbox (" + test_prefix + ") nor a production (" + prod_prefix + ") Wompi key");
}

}  // namespace

WompiConfig parse_wompi_config(const std::string& config_json) {
  WompiConfig config;
  try {
    const nlohmann::json doc = nlohmann::json::parse(config_json);
    config.public_key = doc.at("public_key").get<std::string>();
    config.private_key_env = doc.value("private_key_env", config.private_key_env);
    config.events_secret_env = doc.value("events_secret_env", config.events_secret_env);
    config.integrity_secret_env = doc.value("integrity_secret_env", config.integrity_secret_env);
    config.api_base = doc.value("api_base", "");
    config.checkout_base = doc.value("checkout_base", config.checkout_base);
    config.redirect_url = doc.value("redirect_url", "");
    config.event_max_age_s = doc.value("event_max_age_s", config.event_max_age_s);
    config.timeout_ms = doc.value("timeout_ms", config.timeout_ms);
    config.poll_attempts = doc.value("poll_attempts", config.poll_attempts);
    config.poll_interval_ms = doc.value("poll_interval_ms", config.poll_interval_ms);
    config.payouts_account_id = doc.value("payouts_account_id", "");
    config.payouts_api_key_env = doc.value("payouts_api_key_env", config.payouts_api_key_env);
    config.payouts_principal_id_env = doc.value("payouts_principal_id_env", config.payouts_principal_id_env);
    config.payouts_api_base = doc.value("payouts_api_base", "");
    config.payouts_payment_type = doc.value("payouts_payment_type", config.payouts_payment_type);
    const nlohmann::json bank_ids = doc.value("payouts_bank_ids", nlohmann::json::object());
    for (const auto& [slug, id] : bank_ids.items()) { config.payouts_bank_ids[slug] = id.get<std::string>(); }
  } catch (const nlohmann::json::exception& e) { refuse(std::string("invalid config: ") + e.what()); }
  config.private_key = from_environment(config.private_key_env, "the Wompi private key");
  config.events_secret = from_environment(config.events_secret_env, "the Wompi events secret");
  config.integrity_secret = from_environment(config.integrity_secret_env, "the Wompi integrity secret");

  config.production = is_production(config.public_key, "pub_test_", "pub_prod_", "public_key");
  const struct {
    bool production;
    std::string where;
  } others[] = {
      {is_production(config.private_key, "prv_test_", "prv_prod_", "the value of " + config.private_key_env),
       config.private_key_env},
      {is_production(config.events_secret, "test_events_", "prod_events_", "the value of " + config.events_secret_env),
       config.events_secret_env},
      {is_production(config.integrity_secret, "test_integrity_", "prod_integrity_",
                     "the value of " + config.integrity_secret_env),
       config.integrity_secret_env},
  };
  for (const auto& other : others) {
    if (other.production != config.production) {
      refuse("public_key is a " + std::string(config.production ? "production" : "sandbox") + " key but " +
             other.where + " holds a " + (other.production ? "production" : "sandbox") +
             " one: refusing a mix of environments");
    }
  }
  if (config.api_base.empty()) {
    config.api_base = config.production ? "https://production.wompi.co/v1" : "https://sandbox.wompi.co/v1";
  }
  while (!config.api_base.empty() && config.api_base.back() == '/') config.api_base.pop_back();

  // Payouts are optional: an instance that only charges needs none of their secrets. The payouts
  // API's keys carry no environment prefix, so its base follows the environment the other keys
  // decided (a sandbox instance never pays through production).
  if (!config.payouts_account_id.empty()) {
    config.payouts_api_key = from_environment(config.payouts_api_key_env, "the Wompi payouts API key");
    config.payouts_principal_id = from_environment(config.payouts_principal_id_env, "the Wompi payouts principal id");
    if (config.payouts_api_base.empty()) {
      config.payouts_api_base =
          config.production ? "https://api.payouts.wompi.co/v1" : "https://api.sandbox.payouts.wompi.co/v1";
    }
    while (config.payouts_api_base.back() == '/') config.payouts_api_base.pop_back();
  }
  return config;
}

}  // namespace rifa::plugins::wompi
