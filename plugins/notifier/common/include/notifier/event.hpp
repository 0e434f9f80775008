#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "rifa/sdk/plugin.hpp"

// The event a notifier's deliver() receives (sdk/ABI.md, "Notifier"), as every notifier reads it.
namespace rifa::plugins::notifier {

struct Event {
  nlohmann::json document;  // the whole event: data, recipient, rifa_id, occurred_at ...
  std::string event_id;
  std::string type;
};

// The event text as an object with string event_id and type; RIFA_ERR_INVALID_ARGUMENT saying
// what is wrong (where the JSON broke, or which member is missing) otherwise.
inline Event parse_event(const std::string& event_json) {
  Event out;
  try {
    out.document = nlohmann::json::parse(event_json);
  } catch (const nlohmann::json::parse_error& e) {
    throw sdk::Error(RIFA_ERR_INVALID_ARGUMENT, std::string("the event is not valid JSON (") + e.what() + ")");
  }
  for (const char* field : {"event_id", "type"}) {
    if (!out.document.is_object() || !out.document.contains(field) || !out.document[field].is_string()) {
      throw sdk::Error(RIFA_ERR_INVALID_ARGUMENT, std::string("the event has no string '") + field + "'");
    }
  }
  out.event_id = out.document["event_id"].get<std::string>();
  out.type = out.document["type"].get<std::string>();
  return out;
}

}  // namespace rifa::plugins::notifier
