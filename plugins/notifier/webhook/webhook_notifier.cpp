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
// wants, the event types it takes. A 2xx answer delivers. 410 Gone retires the endpoint for that
// event: when every failure is of that kind the call answers RIFA_ERR_DECLINED (permanent: the
// host stops retrying). Anything else — a 3xx (never followed), 429, 5xx, a timeout or a transport
// failure — answers RIFA_ERR_TRANSPORT (RIFA_ERR_TIMEOUT when every such failure timed out), with
// {"retry_after_s"} when a 429 or 503 said Retry-After, and the host's job queue retries the event
// with backoff until it is dead (GET /admin/jobs).
// An endpoint that already took an event (or answered 410 to it) is not posted to again when a
// retry comes for another endpoint's sake (remembered in memory, for a bounded number of events).
#include <algorithm>
#include <ctime>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
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
constexpr int64_t kMaxRetryAfterS = 86400;

struct Endpoint {
  std::string id;
  std::string url;
  std::vector<std::string> keys;
  std::set<std::string> event_types;  // empty: every type
};

// What one delivery did not do, endpoint by endpoint, and how the host should take it: retry later
// (with the longest wait a receiver asked for), or give up (every failure was permanent).
class Failures {
 public:
  void retry(const std::string& why, std::optional<int64_t> wait_s, bool timed_out) {
    add(why);
    ++retryable_;
    timeouts_ += timed_out ? 1 : 0;
    if (wait_s && (!wait_s_ || *wait_s > *wait_s_)) wait_s_ = wait_s;
  }
  void permanent(const std::string& why) { add(why); }

  // Throws when anything failed: RIFA_ERR_DECLINED when no endpoint may take the event later,
  // else RIFA_ERR_TIMEOUT (every retryable failure timed out) or RIFA_ERR_TRANSPORT, with
  // {"retry_after_s"} when a receiver said how long to wait.
  void raise(const std::string& what) const {
    if (text_.empty()) return;
    if (retryable_ == 0) throw Error(RIFA_ERR_DECLINED, what + " refused for good: " + text_);
    Error error(timeouts_ == retryable_ ? RIFA_ERR_TIMEOUT : RIFA_ERR_TRANSPORT, what + " not delivered: " + text_);
    if (wait_s_) error.with_result(json{{"retry_after_s", *wait_s_}}.dump());
    throw error;
  }

 private:
  void add(const std::string& why) { text_ += (text_.empty() ? "" : "; ") + why; }
  std::string text_;
  int retryable_ = 0;
  int timeouts_ = 0;
  std::optional<int64_t> wait_s_;
};

// What became of an event at one endpoint: it took it, or it is gone (410) for it.
enum class Settled { kDelivered, kGone };

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
        for (const auto& type : e.value("event_types", json::array()))
          endpoint.event_types.insert(type.get<std::string>());
        endpoints_.push_back(std::move(endpoint));
      }
    } catch (const json::exception& e) { throw Error(RIFA_ERR_CONFIG, std::string("invalid config: ") + e.what()); }
    if (endpoints_.empty()) throw Error(RIFA_ERR_CONFIG, "no endpoints configured");
  }

  void deliver(const std::string& event_json) override {
    notifier::Event parsed = notifier::parse_event(event_json);
    const json& event = parsed.document;
    const std::string& event_id = parsed.event_id;
    const std::string& type = parsed.type;
    const std::string body = message_body(event);

    Failures failures;
    for (const Endpoint& endpoint : endpoints_) {
      if (!endpoint.event_types.empty() && !endpoint.event_types.count(type)) continue;
      if (const auto settled = settled_as(event_id, endpoint.id)) {
        if (*settled == Settled::kGone) failures.permanent(endpoint.id + " answered 410 Gone to this event before");
        continue;
      }
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
        const int status = response.status;
        if (status >= 200 && status < 300) {
          remember(event_id, endpoint.id, Settled::kDelivered);
        } else if (status == 410) {
          // Gone: the receiver retired the endpoint. Never post this event there again.
          remember(event_id, endpoint.id, Settled::kGone);
          failures.permanent(endpoint.id +
                             " answered HTTP 410 Gone: the endpoint is retired; remove it from the config");
        } else {
          // 3xx (never followed: the signed body goes only where it was configured to), 429, 5xx
          // and any other answer: the receiver may take it later.
          std::string why = endpoint.id + " answered HTTP " + std::to_string(status);
          if (status >= 300 && status < 400) {
            why += " (a redirect" + (response.header("location") ? " to " + *response.header("location") : "") +
                   ", not followed: point the endpoint's url at where it redirects)";
          }
          std::optional<int64_t> wait_s;
          if (status == 429 || status == 503) wait_s = retry_after_s(response.header("retry-after"));
          if (wait_s) why += ", Retry-After " + std::to_string(*wait_s) + " s";
          failures.retry(why, wait_s, false);
        }
      } catch (const Error& e) {
        failures.retry(endpoint.id + ": " + e.what(), std::nullopt, e.status() == RIFA_ERR_TIMEOUT);
      }
    }
    failures.raise(type + " " + event_id);
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

  // Retry-After (RFC 9110): delta-seconds, or an HTTP-date read against the host's clock. At most
  // a day; nullopt when absent or unreadable (the host's own backoff applies).
  std::optional<int64_t> retry_after_s(const std::optional<std::string>& value) const {
    if (!value || value->empty()) return std::nullopt;
    int64_t seconds = 0;
    if (value->find_first_not_of("0123456789") == std::string::npos) {
      if (value->size() > 9) return kMaxRetryAfterS;
      seconds = std::stoll(*value);
    } else {
      std::tm tm{};
      const char* end = strptime(value->c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
      if (!end || *end != '\0') return std::nullopt;
      seconds = static_cast<int64_t>(timegm(&tm)) - host().now_unix_ms() / 1000;
    }
    return std::clamp<int64_t>(seconds, 0, kMaxRetryAfterS);
  }

  std::optional<Settled> settled_as(const std::string& event_id, const std::string& endpoint) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = settled_.find({event_id, endpoint});
    if (it == settled_.end()) return std::nullopt;
    return it->second;
  }
  void remember(const std::string& event_id, const std::string& endpoint, Settled how) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!settled_.emplace(std::make_pair(event_id, endpoint), how).second) return;
    order_.push_back({event_id, endpoint});
    if (order_.size() > kRememberedDeliveries) {
      settled_.erase(order_.front());
      order_.pop_front();
    }
  }

  uint32_t timeout_ms_ = 10000;
  std::vector<Endpoint> endpoints_;
  std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, Settled> settled_;  // (event_id, endpoint)
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
