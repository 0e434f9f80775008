// payment_stripe: Stripe PaymentIntents (docs.stripe.com/api/payment_intents) through the host's
// HTTP transport: form-encoded requests, Bearer secret key, Idempotency-Key = our idempotency key
// (the transaccion id), amounts converted from our cents by Stripe's currency rules, refunds,
// transfers for prize payouts, and webhooks verified as Stripe's libraries verify them.
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "payment/request.hpp"
#include "rifa/sdk/plugin.hpp"
#include "stripe_amount.hpp"
#include "stripe_config.hpp"
#include "stripe_signature.hpp"

namespace rifa::plugins::stripe {
namespace {

using nlohmann::json;
using payment::find_header;
using payment::lower;
using payment::parse_request;
using payment::require_amount;
using payment::require_currency;
using payment::require_string;
using sdk::Error;

constexpr const char* kStripeVersion = "2024-06-20";

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return text;
}

// A Stripe object id as it may appear in a URL path: prefix_ and letters/digits only.
bool is_object_id(const std::string& id, const char* prefix) {
  if (id.rfind(prefix, 0) != 0 || id.size() <= std::char_traits<char>::length(prefix) || id.size() > 255) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

// application/x-www-form-urlencoded, in the order given (cassettes match bodies byte for byte).
class Form {
 public:
  Form& add(const std::string& key, const std::string& value) {
    if (!body_.empty()) body_ += '&';
    body_ += key + "=" + payment::percent_encode(value);
    return *this;
  }
  const std::string& body() const { return body_; }

 private:
  std::string body_;
};

std::string scalar_text(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

// The status the host knows, from a PaymentIntent's.
std::string host_status(const std::string& stripe_status) {
  if (stripe_status == "succeeded") return "succeeded";
  if (stripe_status == "canceled") return "failed";
  // requires_payment_method, requires_confirmation, requires_action, processing, requires_capture
  return "pending";
}

class StripePayment final : public sdk::PaymentPlugin {
 public:
  // No state of its own beyond the immutable config: concurrent calls are safe.
  static constexpr uint32_t kPluginFlags = 0;

  StripePayment(sdk::Host host, std::string instance_id, std::string config_json)
      : PaymentPlugin(host, std::move(instance_id), std::move(config_json)),
        config_(parse_stripe_config(this->config_json())) {
    this->host().info(std::string("stripe instance in ") + (config_.live ? "LIVE" : "test") + " mode against " +
                      config_.api_base);
  }

  std::string create_payment(const std::string& request_json) override {
    const json request = parse_request(request_json, "create_payment");
    const int64_t cents = require_amount(request, "create_payment");
    const std::string currency = require_currency(request, "create_payment");
    const std::string key = require_string(request, "idempotency_key", "create_payment");
    const int64_t amount = to_stripe_amount(cents, currency);
    const json metadata = request.value("metadata", json::object());

    Form form;
    form.add("amount", std::to_string(amount)).add("currency", lower(currency));
    if (request.contains("description") && request["description"].is_string()) {
      form.add("description", request["description"].get<std::string>());
    }
    form.add("metadata[idempotency_key]", key);
    std::string payment_method;
    std::string return_url;
    if (metadata.is_object()) {
      for (const auto& [name, value] : metadata.items()) {
        if (name == "payment_method" && value.is_string()) {
          // A PaymentMethod id (pm_…) is confirmed at once; a method name ("card") leaves the
          // choice to Stripe.js with the client_secret.
          if (value.get<std::string>().rfind("pm_", 0) == 0) payment_method = value.get<std::string>();
        } else if (name == "return_url" && value.is_string()) {
          return_url = value.get<std::string>();
        } else if (name == "customer_email" && value.is_string()) {
          form.add("receipt_email", value.get<std::string>());
        } else if (value.is_primitive() && !value.is_null()) {
          form.add("metadata[" + payment::percent_encode(name) + "]", scalar_text(value));
        }
      }
    }
    if (config_.payment_method_types.empty()) {
      form.add("automatic_payment_methods[enabled]", "true");
      if (!payment_method.empty() && return_url.empty())
        form.add("automatic_payment_methods[allow_redirects]", "never");
    } else {
      for (size_t i = 0; i < config_.payment_method_types.size(); ++i) {
        form.add("payment_method_types[" + std::to_string(i) + "]", config_.payment_method_types[i]);
      }
    }
    if (!payment_method.empty()) {
      form.add("payment_method", payment_method).add("confirm", "true");
      if (!return_url.empty()) form.add("return_url", return_url);
    }

    const json intent = call("POST", "/v1/payment_intents", form.body(), key, "create_payment");
    const std::string id = string_member(intent, "id", "create_payment");
    const std::string status = string_member(intent, "status", "create_payment");
    host().info("payment_intent " + id + " of " + std::to_string(cents) + " " + currency + " cents: " + status);

    if (status == "canceled") throw Error(RIFA_ERR_DECLINED, failure_reason(intent, "the payment was canceled"));
    if (status == "requires_payment_method" && intent.contains("last_payment_error") &&
        intent["last_payment_error"].is_object()) {
      throw Error(RIFA_ERR_DECLINED, failure_reason(intent, "the card was declined"));
    }
    json answer = {{"provider_ref", id}, {"status", host_status(status)}};
    if (status != "succeeded") {
      const json action = next_action(intent, status);
      if (!action.is_null()) {
        answer["next_action"] = action;
        if (action["type"] == "redirect") answer["checkout_url"] = action["url"];
      }
    }
    return answer.dump();
  }

  std::string verify_webhook(const std::string& method, const std::string& headers, const std::string& body) override {
    if (method != "POST") throw Error(RIFA_ERR_INVALID_ARGUMENT, "Stripe webhooks are POST requests, got " + method);
    const std::string signature = find_header(headers, kSignatureHeader);
    if (signature.empty()) throw Error(RIFA_ERR_SIGNATURE, "missing Stripe-Signature header");
    verify_stripe_signature(signature, body, config_.webhook_secret, host().now_unix_ms() / 1000,
                            config_.webhook_tolerance_s);

    const json event = json::parse(body, nullptr, false);
    if (event.is_discarded() || !event.is_object()) {
      throw Error(RIFA_ERR_INVALID_ARGUMENT, "the webhook body is not a JSON object");
    }
    const std::string event_id = event.value("id", "");
    const std::string type = event.value("type", "");
    const json object =
        event.contains("data") && event["data"].is_object() ? event["data"].value("object", json()) : json();
    if (event_id.empty() || type.empty() || !object.is_object()) {
      throw Error(RIFA_ERR_INVALID_ARGUMENT, "the webhook body is not a Stripe event (id, type, data.object)");
    }
    json answer = {{"event_id", event_id}, {"provider_event", type}};
    const std::string currency = object.value("currency", "");
    const auto add_amount = [&](const char* field) {
      if (object.contains(field) && object[field].is_number_integer() && !currency.empty()) {
        answer["amount_cents"] = from_stripe_amount(object[field].get<int64_t>(), currency);
        answer["currency"] = upper(currency);
      }
    };
    if (type == "payment_intent.succeeded") {
      answer["type"] = "payment.succeeded";
      answer["provider_ref"] = object.value("id", "");
      answer["status"] = "succeeded";
      add_amount(object.contains("amount_received") ? "amount_received" : "amount");
    } else if (type == "payment_intent.payment_failed") {
      answer["type"] = "payment.failed";
      answer["provider_ref"] = object.value("id", "");
      answer["status"] = "failed";
      answer["reason"] = failure_reason(object, "the payment failed");
    } else if (type == "charge.refunded") {
      const bool full = object.value("refunded", false);
      answer["type"] = full ? "payment.refunded" : "payment.partially_refunded";
      answer["provider_ref"] = object.value("payment_intent", "");
      answer["status"] = full ? "refunded" : "succeeded";
      add_amount("amount");
      if (object.contains("amount_refunded") && object["amount_refunded"].is_number_integer() && !currency.empty()) {
        answer["refunded_cents"] = from_stripe_amount(object["amount_refunded"].get<int64_t>(), currency);
      }
    } else if (type == "charge.dispute.created") {
      answer["type"] = "payment.disputed";
      answer["provider_ref"] = object.value("payment_intent", "");
      answer["status"] = "disputed";
      answer["reason"] = "dispute " + object.value("id", "") + " opened: " + object.value("reason", "unknown reason");
      add_amount("amount");
    } else {
      throw Error(RIFA_ERR_INVALID_ARGUMENT,
                  "Stripe event type '" + type +
                      "' is not handled; subscribe the endpoint to payment_intent.succeeded, "
                      "payment_intent.payment_failed, charge.refunded and charge.dispute.created");
    }
    if (answer["provider_ref"].get<std::string>().empty()) {
      throw Error(RIFA_ERR_INVALID_ARGUMENT, "Stripe event " + event_id + " (" + type + ") names no payment_intent");
    }
    return answer.dump();
  }

  std::string get_payment(const std::string& provider_ref) override {
    const json intent = retrieve(provider_ref, "get_payment");
    const std::string status = string_member(intent, "status", "get_payment");
    const std::string currency = string_member(intent, "currency", "get_payment");
    if (!intent.contains("amount") || !intent["amount"].is_number_integer()) {
      throw Error(RIFA_ERR_PARSE, "get_payment: Stripe's PaymentIntent " + provider_ref + " has no integer amount");
    }
    std::string host = host_status(status);
    const json charge = intent.value("latest_charge", json());
    if (host == "succeeded" && charge.is_object() && charge.value("refunded", false)) host = "refunded";
    json answer = {{"provider_ref", provider_ref},
                   {"status", host},
                   {"amount_cents", from_stripe_amount(intent["amount"].get<int64_t>(), currency)},
                   {"currency", upper(currency)},
                   {"provider_status", status}};
    if (host == "failed" || (intent.contains("last_payment_error") && intent["last_payment_error"].is_object())) {
      answer["reason"] = failure_reason(intent, "the payment was canceled");
    }
    return answer.dump();
  }

  std::string refund(const std::string& request_json) override {
    const json request = parse_request(request_json, "refund");
    const std::string ref = require_string(request, "provider_ref", "refund");
    const int64_t cents = require_amount(request, "refund");
    const std::string key = require_string(request, "idempotency_key", "refund");
    const json intent = retrieve(ref, "refund");
    const std::string currency = string_member(intent, "currency", "refund");
    Form form;
    form.add("payment_intent", ref).add("amount", std::to_string(to_stripe_amount(cents, currency)));
    form.add("metadata[idempotency_key]", key);
    const json refund = call("POST", "/v1/refunds", form.body(), key, "refund");
    const std::string status = string_member(refund, "status", "refund");
    const std::string id = string_member(refund, "id", "refund");
    host().info("refund " + id + " of " + ref + ": " + status);
    if (status == "failed" || status == "canceled") {
      throw Error(RIFA_ERR_DECLINED, "Stripe refused refund " + id + ": " + refund.value("failure_reason", status));
    }
    return json({{"refund_ref", id}, {"status", status == "succeeded" ? "succeeded" : "pending"}}).dump();
  }

  std::string payout(const std::string& request_json) override {
    const json request = parse_request(request_json, "payout");
    const int64_t cents = require_amount(request, "payout");
    const std::string currency = require_currency(request, "payout");
    const std::string key = require_string(request, "idempotency_key", "payout");
    const json beneficiary = request.value("beneficiary", json::object());
    std::string destination = config_.connected_account;
    if (beneficiary.is_object() && beneficiary.contains("stripe_account") &&
        beneficiary["stripe_account"].is_string()) {
      destination = beneficiary["stripe_account"].get<std::string>();
    }
    if (destination.empty()) {
      throw Error(RIFA_ERR_UNSUPPORTED,
                  "payout: no connected account to transfer to (set connected_account, or "
                  "beneficiary.stripe_account); pay this prize by hand");
    }
    if (!is_object_id(destination, "acct_"))
      throw Error(RIFA_ERR_INVALID_ARGUMENT, "payout: the destination is not an acct_ id");
    Form form;
    form.add("amount", std::to_string(to_stripe_amount(cents, currency)))
        .add("currency", lower(currency))
        .add("destination", destination)
        .add("metadata[idempotency_key]", key);
    const json transfer = call("POST", "/v1/transfers", form.body(), key, "payout");
    const std::string id = string_member(transfer, "id", "payout");
    host().info("transfer " + id + " of " + std::to_string(cents) + " " + currency + " cents to " + destination);
    return json({{"payout_ref", id}, {"status", transfer.value("reversed", false) ? "failed" : "paid"}}).dump();
  }

 private:
  json retrieve(const std::string& ref, const char* operation) {
    if (!is_object_id(ref, "pi_")) {
      throw Error(RIFA_ERR_NOT_FOUND, std::string(operation) + ": '" + ref + "' is not a Stripe PaymentIntent id");
    }
    return call("GET", "/v1/payment_intents/" + ref + "?expand%5B%5D=latest_charge", "", "", operation);
  }

  // One exchange with Stripe; the JSON object it answered, or the error its answer means.
  json call(const std::string& method, const std::string& path, const std::string& body, const std::string& key,
            const char* operation) {
    sdk::HttpRequest request;
    request.method = method;
    request.url = config_.api_base + path;
    request.body = body;
    request.timeout_ms = config_.timeout_ms;
    request.headers = {{"Authorization", "Bearer " + config_.secret_key}, {"Stripe-Version", kStripeVersion}};
    if (method == "POST") request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    if (!key.empty()) request.headers.emplace_back("Idempotency-Key", key);
    const sdk::HttpResponse response = host().http(request);

    const std::string where = std::string(operation) + ": Stripe " + method + " " + path.substr(0, path.find('?'));
    const json doc = json::parse(response.body, nullptr, false);
    if (response.status >= 200 && response.status < 300) {
      if (doc.is_discarded() || !doc.is_object()) {
        throw Error(RIFA_ERR_PARSE, where + " answered HTTP " + std::to_string(response.status) +
                                        " with a body that is not a JSON object");
      }
      return doc;
    }
    const json error = !doc.is_discarded() && doc.is_object() && doc.contains("error") && doc["error"].is_object()
                           ? doc["error"]
                           : json::object();
    const std::string message = error.value("message", "");
    const std::string type = error.value("type", "");
    const std::string detail = " (HTTP " + std::to_string(response.status) + (type.empty() ? "" : ", " + type) +
                               (error.contains("code") ? ", " + scalar_text(error["code"]) : "") + ")";
    if (response.status >= 500 || response.status == 429 || response.status == 409) {
      throw Error(RIFA_ERR_TRANSPORT, where + " failed" + detail + "; retry later with the same idempotency key");
    }
    if (response.status == 401 || response.status == 403) {
      // Stripe's message names the key (masked); ours names only the variable.
      throw Error(RIFA_ERR_TRANSPORT, where + " refused the secret key in " + config_.secret_key_env + detail);
    }
    if (type == "card_error" || response.status == 402) {
      std::string reason = message.empty() ? "the card was declined" : message;
      if (error.contains("decline_code") && error["decline_code"].is_string()) {
        reason += " (" + error["decline_code"].get<std::string>() + ")";
      }
      throw Error(RIFA_ERR_DECLINED, reason);
    }
    if (response.status == 404)
      throw Error(RIFA_ERR_NOT_FOUND, where + ": " + (message.empty() ? "not found" : message));
    throw Error(RIFA_ERR_INVALID_ARGUMENT,
                where + " refused the request" + detail + (message.empty() ? "" : ": " + message));
  }

  static std::string string_member(const json& doc, const char* field, const char* operation) {
    if (!doc.contains(field) || !doc[field].is_string() || doc[field].get<std::string>().empty()) {
      throw Error(RIFA_ERR_PARSE, std::string(operation) + ": Stripe's answer has no '" + field + "'");
    }
    return doc[field].get<std::string>();
  }

  static std::string failure_reason(const json& intent, const std::string& fallback) {
    if (intent.contains("last_payment_error") && intent["last_payment_error"].is_object()) {
      const json& e = intent["last_payment_error"];
      std::string reason = e.value("message", fallback);
      if (e.contains("decline_code") && e["decline_code"].is_string())
        reason += " (" + e["decline_code"].get<std::string>() + ")";
      return reason;
    }
    if (intent.contains("cancellation_reason") && intent["cancellation_reason"].is_string()) {
      return fallback + " (" + intent["cancellation_reason"].get<std::string>() + ")";
    }
    return fallback;
  }

  // What the app must do next for a PaymentIntent that is not settled yet.
  json next_action(const json& intent, const std::string& status) const {
    if (status == "processing") {
      return {{"type", "wait"}, {"message", "The payment is being processed; it settles without any further step."}};
    }
    const json action = intent.value("next_action", json());
    if (action.is_object() && action.value("type", "") == "redirect_to_url" && action.contains("redirect_to_url") &&
        action["redirect_to_url"].is_object() && action["redirect_to_url"].value("url", "") != "") {
      return {{"type", "redirect"}, {"url", action["redirect_to_url"]["url"]}};
    }
    const std::string secret = intent.value("client_secret", "");
    if (secret.empty()) return json();
    json out = {{"type", "client_secret"}, {"value", secret}};
    if (!config_.publishable_key.empty()) out["publishable_key"] = config_.publishable_key;
    return out;
  }

  StripeConfig config_;
};

}  // namespace
}  // namespace rifa::plugins::stripe

RIFA_PLUGIN(rifa::plugins::stripe::StripePayment, RIFA_KIND_PAYMENT, "stripe", "1.0.0",
            "Stripe PaymentIntents, refunds, transfers and signed webhooks (secret keys from the environment)",
            rifa::plugins::stripe::kStripeConfigSchema)
