// notifier_log: the simplest channel. Each event goes to the host log at info and, when `path` is
// set, is appended to that file as one JSON line; `fail_types` makes chosen event types fail so
// that the host's retry path can be exercised.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "notifier/event.hpp"
#include "rifa/sdk/plugin.hpp"

namespace rifa::plugins::log {
namespace {

using nlohmann::json;
using sdk::Error;

class LogNotifier final : public sdk::NotifierPlugin {
 public:
  LogNotifier(sdk::Host host, std::string instance_id, std::string config_json)
      : NotifierPlugin(host, std::move(instance_id), std::move(config_json)) {
    try {
      const json config = json::parse(this->config_json());
      path_ = config.value("path", "");
      for (const auto& type : config.value("fail_types", json::array())) fail_types_.insert(type.get<std::string>());
    } catch (const json::exception& e) { throw Error(RIFA_ERR_CONFIG, std::string("invalid config: ") + e.what()); }
  }

  void deliver(const std::string& event_json) override {
    notifier::Event parsed = notifier::parse_event(event_json);
    const json& event = parsed.document;
    const std::string& event_id = parsed.event_id;
    const std::string& type = parsed.type;
    if (fail_types_.count(type)) {
      throw Error(RIFA_ERR_TRANSPORT, "delivery of '" + type + "' events is configured to fail (fail_types)");
    }
    const std::string line = event.dump();
    host().info("event " + type + " " + event_id + ": " + line);
    if (path_.empty()) return;

    std::lock_guard<std::mutex> lock(mutex_);
    // The host retries failed deliveries, so the same event may come again: write it once.
    if (written_.count(event_id)) return;
    std::ofstream out(path_, std::ios::app);
    if (out) out << line << "\n" << std::flush;
    if (!out) throw Error(RIFA_ERR_TRANSPORT, "cannot append to " + path_ + ": " + std::strerror(errno));
    written_.insert(event_id);
  }

 private:
  std::string path_;
  std::set<std::string> fail_types_;
  std::mutex mutex_;
  std::set<std::string> written_;
};

}  // namespace
}  // namespace rifa::plugins::log

RIFA_PLUGIN(rifa::plugins::log::LogNotifier, RIFA_KIND_NOTIFIER, "log", "1.0.0",
            "Writes events to the host log and optionally to a JSON-lines file",
            R"json({
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "path": {"type": "string", "minLength": 1, "description": "Append each event as one JSON line to this file"},
    "fail_types": {"type": "array", "default": [],
                   "description": "Event types whose delivery fails with a transport error (to test retries)",
                   "items": {"type": "string", "enum": ["rifa_opened", "rifa_closed", "ticket_sold", "result_published",
                                                        "winner", "payout_sent", "payout_failed", "receipt"]}},
    "contact": {"type": "array", "default": [], "maxItems": 3,
                "description": "The recipient's contact fields events about a player carry (read by the host)",
                "items": {"type": "string", "enum": ["email", "telefono", "nombre"]}}
  }
})json")
