// @TARGET@: posts each event to a webhook through the host's HTTP, or, without "webhook_url", writes
// it to the host's log. Deliveries are retried by the host, so the same event_id may come again:
// send it again (the receiver deduplicates by event_id) or remember what was sent. What the host
// does with each answer is in the SDK's ABI.md ("Notifier"): ok delivered, declined given up,
// anything else retried (no sooner than {"retry_after_s"}).
#include <string>

#include "rifa/sdk/plugin.hpp"

namespace @NAME@ {
namespace {

using rifa::sdk::Error;

std::string json_string(const std::string& json, const std::string& key) {
  const size_t at = json.find("\"" + key + "\"");
  if (at == std::string::npos) return "";
  const size_t open = json.find('"', json.find(':', at) + 1);
  const size_t close = open == std::string::npos ? open : json.find('"', open + 1);
  return close == std::string::npos ? "" : json.substr(open + 1, close - open - 1);
}

class @CLASS@Notifier final : public rifa::sdk::NotifierPlugin {
 public:
  @CLASS@Notifier(rifa::sdk::Host host, std::string instance_id, std::string config_json)
      : NotifierPlugin(host, std::move(instance_id), std::move(config_json)),
        webhook_url_(json_string(this->config_json(), "webhook_url")) {}

  void deliver(const std::string& event_json) override {
    const std::string event_id = json_string(event_json, "event_id");
    if (event_id.empty()) throw Error(RIFA_ERR_INVALID_ARGUMENT, "the event has no event_id");
    if (webhook_url_.empty()) {
      host().info("event " + event_id + " (" + json_string(event_json, "type") + "): " + event_json);
      return;
    }
    rifa::sdk::HttpRequest request;
    request.method = "POST";
    request.url = webhook_url_;
    request.headers = {{"Content-Type", "application/json"}, {"Idempotency-Key", event_id}};
    request.body = event_json;
    const rifa::sdk::HttpResponse response = host().http(request);  // a transport error propagates: the host retries
    if (response.status >= 200 && response.status <= 299) return;   // delivered
    const std::string why = "POST " + webhook_url_ + ": HTTP " + std::to_string(response.status);
    // 410 Gone: the receiver retired the endpoint. RIFA_ERR_DECLINED tells the host to give up.
    if (response.status == 410) throw Error(RIFA_ERR_DECLINED, why + " (the endpoint is gone)");
    // Anything else may pass later: the host retries, no sooner than a Retry-After in seconds says.
    Error retry(RIFA_ERR_TRANSPORT, why);
    const auto wait = response.header("retry-after");
    if (wait && !wait->empty() && wait->size() < 7 && wait->find_first_not_of("0123456789") == std::string::npos) {
      retry.with_result("{\"retry_after_s\": " + *wait + "}");
    }
    throw retry;
  }

 private:
  std::string webhook_url_;
};

}  // namespace
}  // namespace @NAME@

RIFA_PLUGIN(@NAME@::@CLASS@Notifier, RIFA_KIND_NOTIFIER, "@NAME@", "0.1.0", "@CLASS@ notifications",
            R"json({
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "webhook_url": {"type": "string", "pattern": "^https?://", "description": "Where events are posted; absent: the host's log"}
  }
})json")
