#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "engine/sale.hpp"

namespace rifa::engine {

struct PaymentRequest {
  int64_t amount_cents = 0;
  std::string currency = "COP";
  // The transaccion id: a repeated create with the same key is the same charge at the provider.
  std::string idempotency_key;
  std::string description;
  nlohmann::json metadata = nlohmann::json::object();
};

// What the provider says about one payment (create and look-up).
struct PaymentAnswer {
  std::string provider_ref;
  PaymentStatus status = PaymentStatus::kPending;
  std::string reason;  // why it failed, when the provider says
  // What the provider says was paid, when it says (sdk/abi.h: optional members of the answer).
  std::optional<int64_t> amount_cents;
  std::optional<std::string> currency;
  // What the app must do next while the payment is pending, in the one shape the purchase reply
  // carries: {"type": "redirect", "url"} (PSE, a hosted checkout), {"type": "client_secret",
  // "value", "publishable_key"?} (Stripe.js), {"type": "wait", "message"} (a Nequi push); null: none.
  nlohmann::json next_action;
};

// A verified webhook, decoded by the plugin.
struct WebhookEvent {
  std::string event_id;
  std::string type;  // e.g. "payment.succeeded"; empty when the plugin does not say
  std::string provider_ref;
  std::string status;  // the provider's word: succeeded, failed, refunded, paid ...
  std::string reason;
  // What the event says was paid, when the plugin reports it; a confirmation whose amount or
  // currency differs from the transaccion's is refused (PaymentService::handle_webhook). When the
  // event does not say, the payment is looked up (get_payment) before it is believed.
  std::optional<int64_t> amount_cents;
  std::optional<std::string> currency;
};

// A prize paid out to a ganador (the payment plugin's payout call).
struct PayoutRequest {
  int64_t amount_cents = 0;
  std::string currency;
  // The ganador id: a repeated payout with the same key is the same payout at the provider.
  std::string idempotency_key;
  nlohmann::json beneficiary = nlohmann::json::object();  // user_id, nombre, email[, telefono]
  std::string description;
  nlohmann::json metadata = nlohmann::json::object();
};

// What the provider said to a payout or a refund, as it said it, for the services that record
// every answer (settlement's PayoutService and RefundService). When the call failed, `delivered`
// is false, `declined` says whether the provider refused it, `error` is the plugin's message and
// `status_name` the call's status ("timeout", "declined" ...). Otherwise `reference` is the
// payout_ref / refund_ref (empty when missing), `status` the provider's word and `raw` the answer.
struct ProviderOutcome {
  bool delivered = false;
  std::string reference;
  std::string status;
  std::string raw;
  bool declined = false;
  std::string error;
  std::string status_name;
};

// The payment providers as the engine sees them: plugin instances by id. The engine never loads
// plugins; host/app adapts the plugin registry and the YAML bindings to this.
class PaymentGateway {
 public:
  virtual ~PaymentGateway() = default;

  // The payment instance the config binds to this rifa (defaults < categoria < rifa).
  virtual std::string instance_for(const std::string& rifa_id, const std::string& categoria_nombre) const = 0;

  // kPaymentDeclined with the provider's reason when declined. kNotFound when no such instance;
  // kInvalidArgument / kUnsupported when the provider refused the request (nothing was charged);
  // kUnavailable / kTimeout / kInternal when the outcome is unknown (ask again later).
  virtual Result<PaymentAnswer> create(const std::string& instance, const PaymentRequest& request) = 0;
  // kSignature when the signature is missing, forged or stale; kNotFound for an unknown instance.
  virtual Result<WebhookEvent> verify_webhook(const std::string& instance, const std::string& method,
                                              const std::string& headers, const std::string& body) = 0;
  // kNotFound when the provider does not know the payment.
  virtual Result<PaymentAnswer> get_payment(const std::string& instance, const std::string& provider_ref) = 0;
  // Gives the whole amount back; idempotent per key at the provider. Returns the refund's reference.
  virtual Result<std::string> refund(const std::string& instance, const std::string& provider_ref, int64_t amount_cents,
                                     const std::string& idempotency_key) = 0;

  // Whether a payment instance of that id is loaded.
  virtual bool has_instance(const std::string& instance) const {
    (void)instance;
    return false;
  }
  // Payouts and refunds with the provider's whole answer (ProviderOutcome). kNotFound when no
  // payment instance `instance` is loaded; kUnsupported from a gateway that does not pay out.
  virtual Result<ProviderOutcome> send_payout(const std::string& instance, const PayoutRequest& request) {
    (void)instance;
    (void)request;
    return make_error(ErrorCode::kUnsupported, "this payment gateway sends no payouts");
  }
  virtual Result<ProviderOutcome> send_refund(const std::string& instance, const std::string& provider_ref,
                                              int64_t amount_cents, const std::string& idempotency_key) {
    (void)instance;
    (void)provider_ref;
    (void)amount_cents;
    (void)idempotency_key;
    return make_error(ErrorCode::kUnsupported, "this payment gateway sends no refunds");
  }
};

}  // namespace rifa::engine
