#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace rifa::plugins::wompi {

struct WompiConfig {
  bool production = false;  // told by the keys' prefixes (pub_prod_/prv_prod_/prod_events_/prod_integrity_)
  std::string api_base;     // default: https://sandbox.wompi.co/v1 or https://production.wompi.co/v1
  std::string checkout_base = "https://checkout.wompi.co/p/";
  std::string public_key;  // pub_test_… / pub_prod_… (not a secret)
  std::string private_key_env = "WOMPI_PRIVATE_KEY";
  std::string events_secret_env = "WOMPI_EVENTS_SECRET";
  std::string integrity_secret_env = "WOMPI_INTEGRITY_SECRET";
  std::string private_key;
  std::string events_secret;
  std::string integrity_secret;
  std::string redirect_url;  // where Wompi sends the buyer back after PSE / checkout
  int64_t event_max_age_s = 90000;
  uint32_t timeout_ms = 15000;
  int poll_attempts = 5;  // long polling for PSE's / Bancolombia's async_payment_url
  int64_t poll_interval_ms = 1000;

  // Third-party payments (pagos a terceros, docs.wompi.co "crea-tu-primer-lote"): on when
  // payouts_account_id is set. The bank of an account is mapped by configuration, never guessed
  // from GET /banks' names: a wrong guess would send a prize to another bank.
  std::string payouts_account_id;  // the origin account (GET /accounts)
  std::string payouts_api_base;    // default by `production`: api.sandbox.payouts / api.payouts
  std::string payouts_api_key_env = "WOMPI_PAYOUTS_API_KEY";
  std::string payouts_principal_id_env = "WOMPI_PAYOUTS_PRINCIPAL_ID";
  std::string payouts_api_key;       // x-api-key
  std::string payouts_principal_id;  // user-principal-id
  std::string payouts_payment_type = "OTHER";
  std::map<std::string, std::string> payouts_bank_ids;  // our bank slug (or "nequi") -> Wompi's bankId
};

extern const char* const kWompiConfigSchema;

// Reads the config and the secrets from the environment; refuses a mix of sandbox and production
// keys. Throws sdk::Error(RIFA_ERR_CONFIG) naming variables, never values.
WompiConfig parse_wompi_config(const std::string& config_json);

}  // namespace rifa::plugins::wompi
