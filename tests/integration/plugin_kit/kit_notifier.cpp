// A notifier built for the conformance kit's tests: posts the event as it came to "url" through the
// host's HTTP. Built twice: notifier_kit_ok answers 2xx as delivered and anything else as a
// transport error (the host retries); notifier_kit_lax (KIT_DELIVERED_BELOW_600) takes any answer
// the receiver gives, a 500 included, as delivered — the bug the recorded cases must catch.
#include <string>

#include "rifa/sdk/plugin.hpp"

namespace kit {

using rifa::sdk::Error;

std::string json_string(const std::string& json, const std::string& key) {
  const size_t at = json.find("\"" + key + "\"");
  if (at == std::string::npos) return "";
  const size_t open = json.find('"', json.find(':', at) + 1);
  const size_t close = open == std::string::npos ? open : json.find('"', open + 1);
  return close == std::string::npos ? "" : json.substr(open + 1, close - open - 1);
}

class KitNotifier final : public rifa::sdk::NotifierPlugin {
 public:
  KitNotifier(rifa::sdk::Host host, std::string instance_id, std::string config_json)
      : NotifierPlugin(host, std::move(instance_id), std::move(config_json)),
        url_(json_string(this->config_json(), "url")) {}

  void deliver(const std::string& event_json) override {
    const std::string event_id = json_string(event_json, "event_id");
    if (event_id.empty()) throw Error(RIFA_ERR_INVALID_ARGUMENT, "the event has no event_id");
    rifa::sdk::HttpRequest request;
    request.method = "POST";
    request.url = url_;
    request.headers = {{"content-type", "application/json"}, {"webhook-id", event_id}};
    request.body = event_json;
    const rifa::sdk::HttpResponse response = host().http(request);
#if defined(KIT_DELIVERED_BELOW_600)
    const bool delivered = response.status < 600;
#else
    const bool delivered = response.status >= 200 && response.status < 300;
#endif
    if (!delivered) throw Error(RIFA_ERR_TRANSPORT, "POST " + url_ + ": HTTP " + std::to_string(response.status));
  }

 private:
  std::string url_;
};

}  // namespace kit

RIFA_PLUGIN(kit::KitNotifier, RIFA_KIND_NOTIFIER, "kit_notifier", "0.1.0", "A notifier for the kit's tests",
            R"json({
  "type": "object",
  "additionalProperties": false,
  "properties": {"url": {"type": "string", "pattern": "^https?://", "default": "https://receiver.example/events"}}
})json")
