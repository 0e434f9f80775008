#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rifa::plugins::stripe {

struct StripeConfig {
  std::string api_base = "https://api.stripe.com";
  // The secrets themselves never sit in the config: only the names of the environment variables
  // holding them, read once when the instance is created.
  std::string secret_key_env = "STRIPE_SECRET_KEY";
  std::string webhook_secret_env = "STRIPE_WEBHOOK_SECRET";
  std::string secret_key;       // sk_test_… / sk_live_… (or rk_ restricted keys)
  std::string webhook_secret;   // whsec_…
  std::string publishable_key;  // pk_test_… / pk_live_…, handed to the app with the client_secret
  bool live = false;
  int64_t webhook_tolerance_s = 300;
  uint32_t timeout_ms = 15000;
  std::vector<std::string> payment_method_types;  // empty: automatic_payment_methods[enabled]=true
  std::string connected_account;                  // acct_…: default destination of payouts (transfers)
};

// The schema published in the manifest.
extern const char* const kStripeConfigSchema;

// Reads the config (validated against the schema) and the secrets from the environment. Throws
// sdk::Error(RIFA_ERR_CONFIG) naming the variable, never its value.
StripeConfig parse_stripe_config(const std::string& config_json);

}  // namespace rifa::plugins::stripe
