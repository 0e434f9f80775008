#include "engine/settlement/notification_service.hpp"

#include "engine/settlement/notification_event.hpp"

namespace rifa::settlement {
namespace {

std::string text_field(const nlohmann::json& payload, const char* name) {
  auto it = payload.find(name);
  return it != payload.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

NotificationService::NotificationService(NotifierGateway& notifiers, const engine::Clock& clock)
    : notifiers_(notifiers), clock_(clock) {}

Result<void> NotificationService::deliver(const jobs::Job& job) {
  const nlohmann::json& payload = job.payload;
  if (!payload.is_object()) return make_error(ErrorCode::kInvalidArgument, "notify.deliver: payload is not an object");
  // "event" is the queue's name for it; "type" (the ABI's) is accepted too.
  std::string type = text_field(payload, "event");
  if (type.empty()) type = text_field(payload, "type");
  const std::string notifier = text_field(payload, "notifier");
  if (type.empty()) return make_error(ErrorCode::kInvalidArgument, "notify.deliver: payload.event is required");
  if (notifier.empty()) return make_error(ErrorCode::kInvalidArgument, "notify.deliver: payload.notifier is required");

  std::string event_id = text_field(payload, "event_id");
  if (event_id.empty()) {
    // A dedupe key "<event>:<entity>:<notifier>" less its notifier names the event as
    // NotificationPublisher does, so both give every notifier the same id.
    std::string name = job.dedupe_key.value_or(job.id);
    const std::string suffix = ":" + notifier;
    if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      name.resize(name.size() - suffix.size());
    }
    event_id = event_uuid(name);
  }
  std::string occurred_at = text_field(payload, "occurred_at");
  if (occurred_at.empty()) occurred_at = event_time(clock_.now());
  const nlohmann::json event = {{"event_id", event_id},
                                {"type", type},
                                {"occurred_at", occurred_at},
                                {"rifa_id", payload.value("rifa_id", nlohmann::json())},
                                {"data", payload.value("data", nlohmann::json::object())}};
  return notifiers_.deliver(notifier, type, event);
}

}  // namespace rifa::settlement
