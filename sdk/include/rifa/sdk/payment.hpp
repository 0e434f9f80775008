#pragma once
/// @file
/// Base class of payment plugins.

#include <string>

#include "rifa/sdk/error.hpp"
#include "rifa/sdk/plugin_base.hpp"

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

namespace rifa::sdk {

/// A payment provider. Requests and results are JSON text of the shapes in abi.h / sdk/ABI.md;
/// amounts are integer cents. Throw rifa::sdk::Error with RIFA_ERR_DECLINED (message for the end
/// user), RIFA_ERR_SIGNATURE (webhook missing/forged/stale signature), RIFA_ERR_NOT_FOUND,
/// RIFA_ERR_INVALID_ARGUMENT (malformed request) or a transport status.
class PaymentPlugin : public PluginBase {
 public:
  static constexpr rifa_plugin_kind kKind = RIFA_KIND_PAYMENT;
  using PluginBase::PluginBase;

  /// {"amount_cents", "currency", "idempotency_key", "description", "metadata"} →
  /// {"provider_ref", "status", "reason"?, "checkout_url"?}.
  virtual std::string create_payment(const std::string& request_json) = 0;
  /// Checks the signature of a webhook and decodes it → {"event_id", "provider_ref", "status", ...}.
  /// `headers` are "name: value" lines (names lower-cased); `body` is byte-exact as received.
  virtual std::string verify_webhook(const std::string& method, const std::string& headers,
                                     const std::string& body) = 0;
  /// → {"provider_ref", "status", "amount_cents", "currency", "reason"?}.
  virtual std::string get_payment(const std::string& provider_ref) = 0;
  /// {"provider_ref", "amount_cents", "idempotency_key"} → {"refund_ref", "status"}. Idempotent per key.
  virtual std::string refund(const std::string& request_json) = 0;
  /// {"amount_cents", "currency", "idempotency_key", "beneficiary"} → {"payout_ref", "status"}.
  /// Must be idempotent per idempotency_key: the same key never pays twice.
  virtual std::string payout(const std::string& request_json) = 0;
};

}  // namespace rifa::sdk

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif
