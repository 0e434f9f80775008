// notifier_webhook: posts every event to the configured endpoints, signed per the Standard
// Webhooks specification, so a receiver verifies it with any Standard Webhooks library:
//
//   POST <url>
//   content-type: application/json
//   webhook-id: <event_id>              the same on every retry: receivers drop repeats by it
//   webhook-timestamp: <Unix seconds>   when this attempt was signed (the host's clock)
//   webhook-signature: v1,<base64 HMAC-SHA256(key, id.timestamp.body)> [v1,<...> per extra secret]
//   {"type": "winner", "timestamp": "<occurred_at>", "data": {"event_id", "rifa_id", ...the
//    event's data, "recipient"?}}
//
// Each endpoint has its own secrets (several during a rotation: one signature each) and, if it
// wants, the event types it takes. A 2xx answer delivers; anything else fails the call, and the
// host's job queue retries the event with exponential backoff until it is dead (GET /admin/jobs).
// An endpoint that already took an event is not posted to again when a retry comes for another
// endpoint's sake (remembered in memory, for a bounded number of events).
#include <deque>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "notifier/event.hpp"
#include "rifa/sdk/plugin.hpp"
#include "standard_webhooks.hpp"

namespace rifa::plugins::webhook {
namespace {

using nlohmann::json;
using sdk::Error;

constexpr size_t kRememberedDeliveries = 100000;

struct Endpoint {
  std::string id;
  std::string url;
  std::vector<std::string> keys;
  std::set<std::string> event_types;  // empty: every type
};

class WebhookNotifier final : public sdk::NotifierPlugin {
 public:
  static constexpr uint32_t kPluginFlags = 0;  // thread-safe: the delivered set has its own lock

  WebhookNotifier(sdk::Host host, std::string instance_id, std::string config_json)
      : NotifierPlugin(host, std::move(instance_id), std::move(config_json)) {
    try {
      const json config = json::parse(this->config_json());
      timeout_ms_ = config.value("timeout_ms", 10000u);
      int index = 0;
      for (const auto& e : config.at("endpoints")) {
        Endpoint endpoint;
        endpoint.id = e.value("id", "endpoint-" + std::to_string(index++));
        endpoint.url = e.at("url").get<std::string>();
        for (const auto& secret : e.at("secrets")) endpoint.keys.push_back(secret_key(secret.get<std::string>()));
        if (endpoint.keys.empty()) throw Error(RIFA_ERR_CONFIG, "endpoint " + endpoint.id + " has no secret");
        for (const auto& type : e.value("event_types", json::array())) endpoint.event_types.insert(type.get<std::string>());
        endpoints_.push_back(std::move(endpoint));
      }
    } catch (const json::exception& e) {
      throw Error(RIFA_ERR_CONFIG, std::string("invalid config: ") + e.what());
    }
    if (endpoints_.empty()) throw Error(RIFA_ERR_CONFIG, "no endpoints configured");
  }

  void deliver(const std::string& event_json) override {
    notifier::Event parsed = notifier::parse_event(event_json);
    const json& event = parsed.document;
    const std::string& event_id = parsed.event_id;
    const std::string& type = parsed.type;
    const std::string body = message_body(event);

    std::string failures;
    for (const Endpoint& endpoint : endpoints_) {
      if (!endpoint.event_types.empty() && !endpoint.event_types.count(type)) continue;
      if (delivered(event_id, endpoint.id)) continue;
      const std::string timestamp = std::to_string(host().now_unix_ms() / 1000);
      sdk::HttpRequest request;
      request.method = "POST";
      request.url = endpoint.url;
      request.timeout_ms = timeout_ms_;
      request.body = body;
      request.headers = {{"content-type", "application/json"},
                         {"webhook-id", event_id},
                         {"webhook-timestamp", timestamp},
                         {"webhook-signature", signature_header(endpoint.keys, event_id, timestamp, body)}};
      try {
        const sdk::HttpResponse response = host().http(request);
        if (response.status >= 200 && response.status < 300) {
          remember(event_id, endpoint.id);
          continue;
        }
        failures += (failures.empty() ? "" : "; ") + endpoint.id + " answered HTTP " + std::to_string(response.status);
      } catch (const Error& e) {
        failures += (failures.empty() ? "" : "; ") + endpoint.id + ": " + e.what();
      }
    }
    if (!failures.empty()) throw Error(RIFA_ERR_TRANSPORT, type + " " + event_id + " not delivered: " + failures);
  }

 private:
  // Standard Webhooks' recommended payload: {"type", "timestamp", "data"}.
  static std::string message_body(const json& event) {
    json data = {{"event_id", event["event_id"]}, {"rifa_id", event.value("rifa_id", json())}};
    const json details = event.value("data", json::object());
    if (details.is_object()) {
      for (const auto& [key, value] : details.items()) {
        if (!data.contains(key)) data[key] = value;
      }
    }
    if (event.contains("recipient")) data["recipient"] = event["recipient"];
    return json{{"type", event["type"]}, {"timestamp", event.value("occurred_at", json())}, {"data", data}}.dump();
  }

  bool delivered(const std::string& event_id, const std::string& endpoint) {
    std::lock_guard<std::mutex> lock(mutex_);
    return delivered_.count({event_id, endpoint}) > 0;
  }
  void remember(const std::string& event_id, const std::string& endpoint) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!delivered_.insert({event_id, endpoint}).second) return;
    order_.push_back({event_id, endpoint});
    if (order_.size() > kRememberedDeliveries) {
      delivered_.erase(order_.front());
      order_.pop_front();
    }
  }

  uint32_t timeout_ms_ = 10000;
  std::vector<Endpoint> endpoints_;
  std::mutex mutex_;
  std::set<std::pair<std::string, std::string>> delivered_;
  std::deque<std::pair<std::string, std::string>> order_;
};

}  // namespace
}  // namespace rifa::plugins::webhook

RIFA_PLUGIN(rifa::plugins::webhook::WebhookNotifier, RIFA_KIND_NOTIFIER, "webhook", "1.0.0",
            "Delivers events to HTTP endpoints signed per the Standard Webhooks specification",
            R"json({
  "type": "object",
  "additionalProperties": false,
  "required": ["endpoints"],
  "properties": {
    "endpoints": {
      "type": "array", "minItems": 1, "maxItems": 32,
      "description": "Where events go; each endpoint signs with its own secrets and may filter event types",
      "items": {
        "type": "object",
        "additionalProperties": false,
        "required": ["url", "secrets"],
        "properties": {
          "id": {"type": "string", "pattern": "^[a-z0-9_-]{1,64}$", "description": "A name for logs and errors"},
          "url": {"type": "string", "pattern": "^https?://", "maxLength": 2048},
          "secrets": {"type": "array", "minItems": 1, "maxItems": 4,
                      "description": "whsec_<base64 key>; several during a rotation (one signature each)",
                      "items": {"type": "string", "pattern": "^whsec_[A-Za-z0-9+/]+={0,2}$"}},
          "event_types": {"type": "array", "default": [],
                          "description": "Only these event types (empty: all)",
                          "items": {"type": "string", "enum": ["rifa_opened", "rifa_closed", "ticket_sold", "receipt",
                                                               "result_published", "winner", "payout_sent",
                                                               "payout_failed", "refund"]}}
        }
      }
    },
    "timeout_ms": {"type": "integer", "minimum": 100, "maximum": 60000, "default": 10000},
    "contact": {"type": "array", "default": [], "maxItems": 3,
                "description": "The recipient's contact fields the host adds to events about a player",
                "items": {"type": "string", "enum": ["email", "telefono", "nombre"]}}
  }
})json")
