// @TARGET@: a payment provider reached through the host's HTTP (recorded and replayed by it).
// Replace the provider's API (<base_url>/payments, /refunds, /payouts) and the webhook signature
// with your provider's. Every request and answer is documented in the SDK's ABI.md ("Payment").
#include <string>

#include "rifa/sdk/plugin.hpp"

namespace @NAME@ {
namespace {

using rifa::sdk::Error;

// The string value of "key" in a flat JSON object, or "" (use a JSON library in a real plugin).
std::string json_string(const std::string& json, const std::string& key) {
  const size_t at = json.find("\"" + key + "\"");
  if (at == std::string::npos) return "";
  const size_t colon = json.find(':', at);
  const size_t open = json.find('"', colon);
  if (colon == std::string::npos || open == std::string::npos) return "";
  const size_t close = json.find('"', open + 1);
  return close == std::string::npos ? "" : json.substr(open + 1, close - open - 1);
}

bool looks_like_object(const std::string& json) {
  const size_t first = json.find_first_not_of(" \t\r\n");
  const size_t last = json.find_last_not_of(" \t\r\n");
  return first != std::string::npos && json[first] == '{' && json[last] == '}';
}

// The value of header `name` (lower-case) in "name: value" lines, or "".
std::string header(const std::string& headers, const std::string& name) {
  const std::string marker = name + ": ";
  for (size_t line = 0; line < headers.size();) {
    size_t end = headers.find('\n', line);
    if (end == std::string::npos) end = headers.size();
    if (headers.compare(line, marker.size(), marker) == 0) return headers.substr(line + marker.size(), end - line - marker.size());
    line = end + 1;
  }
  return "";
}

class @CLASS@Payment final : public rifa::sdk::PaymentPlugin {
 public:
  @CLASS@Payment(rifa::sdk::Host host, std::string instance_id, std::string config_json)
      : PaymentPlugin(host, std::move(instance_id), std::move(config_json)) {
    base_url_ = json_string(this->config_json(), "base_url");
    if (base_url_.empty()) base_url_ = "https://api.example.com/@NAME@";
    webhook_secret_ = json_string(this->config_json(), "webhook_secret");
  }

  std::string create_payment(const std::string& request_json) override {
    require_object(request_json, "create_payment");
    return post("/payments", request_json);
  }

  // Signature: "x-signature: sha256(webhook_secret + body)" in hex. Use your provider's scheme
  // (usually an HMAC with a timestamp); refuse anything unsigned, forged or stale.
  std::string verify_webhook(const std::string& method, const std::string& headers, const std::string& body) override {
    if (method != "POST") throw Error(RIFA_ERR_SIGNATURE, "webhooks arrive by POST, got " + method);
    const std::string signature = header(headers, "x-signature");
    if (signature.empty()) throw Error(RIFA_ERR_SIGNATURE, "the webhook carries no x-signature header");
    if (webhook_secret_.empty() || signature != rifa::sdk::sha256_hex(webhook_secret_ + body)) {
      throw Error(RIFA_ERR_SIGNATURE, "the webhook's x-signature does not match its body");
    }
    return body;  // {"event_id", "provider_ref", "status", ...} as the provider sent it
  }

  std::string get_payment(const std::string& provider_ref) override {
    if (provider_ref.empty()) throw Error(RIFA_ERR_INVALID_ARGUMENT, "empty provider_ref");
    rifa::sdk::HttpRequest request;
    request.url = base_url_ + "/payments/" + provider_ref;
    return answer(host().http(request), request);
  }

  std::string refund(const std::string& request_json) override {
    require_object(request_json, "refund");
    return post("/refunds", request_json);
  }

  std::string payout(const std::string& request_json) override {
    require_object(request_json, "payout");
    return post("/payouts", request_json);
  }

 private:
  static void require_object(const std::string& json, const char* call) {
    if (!looks_like_object(json) || json.find("\"idempotency_key\"") == std::string::npos) {
      throw Error(RIFA_ERR_INVALID_ARGUMENT, std::string(call) + ": the request must be a JSON object with idempotency_key");
    }
  }

  std::string post(const std::string& path, const std::string& body) {
    rifa::sdk::HttpRequest request;
    request.method = "POST";
    request.url = base_url_ + path;
    request.headers = {{"Content-Type", "application/json"},
                       {"Idempotency-Key", json_string(body, "idempotency_key")}};
    request.body = body;
    return answer(host().http(request), request);
  }

  static std::string answer(const rifa::sdk::HttpResponse& response, const rifa::sdk::HttpRequest& request) {
    if (response.status == 402) throw Error(RIFA_ERR_DECLINED, json_string(response.body, "reason"));
    if (response.status == 404) throw Error(RIFA_ERR_NOT_FOUND, request.method + " " + request.url + ": not found");
    if (response.status < 200 || response.status > 299) {
      throw Error(RIFA_ERR_TRANSPORT, request.method + " " + request.url + ": HTTP " + std::to_string(response.status));
    }
    if (!looks_like_object(response.body)) throw Error(RIFA_ERR_PARSE, request.url + ": the answer is not a JSON object");
    return response.body;
  }

  std::string base_url_;
  std::string webhook_secret_;
};

}  // namespace
}  // namespace @NAME@

RIFA_PLUGIN(@NAME@::@CLASS@Payment, RIFA_KIND_PAYMENT, "@NAME@", "0.1.0", "@CLASS@ payments",
            R"json({
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "base_url": {"type": "string", "pattern": "^https?://", "default": "https://api.example.com/@NAME@"},
    "webhook_secret": {"type": "string", "default": "", "description": "Shared secret of the webhook signature"}
  }
})json")
