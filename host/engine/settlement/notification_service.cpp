#include "engine/settlement/notification_service.hpp"

#include "engine/settlement/notification_event.hpp"

namespace rifa::settlement {
namespace {

std::string text_field(const nlohmann::json& payload, const char* name) {
  auto it = payload.find(name);
  return it != payload.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The player an event is about: ticket_sold and receipt name data.user_id, winner and payout_*
// data.usuario_id (empty for an anonymous ticket).
std::string recipient_id(const nlohmann::json& data) {
  if (!data.is_object()) return {};
  std::string id = text_field(data, "user_id");
  return id.empty() ? text_field(data, "usuario_id") : id;
}

}  // namespace

NotificationService::NotificationService(NotifierGateway& notifiers, const engine::Clock& clock,
                                         engine::UserRepository* users)
    : notifiers_(notifiers), clock_(clock), users_(users) {
  stores_.users = users;
}

NotificationService::NotificationService(NotifierGateway& notifiers, const engine::Clock& clock, Stores stores)
    : notifiers_(notifiers), clock_(clock), users_(stores.users), stores_(stores) {}

bool NotificationService::is_money_movement(std::string_view type) {
  return type == "receipt" || type == "payout_sent" || type == "refund";
}

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
  nlohmann::json event = {{"event_id", event_id},
                          {"type", type},
                          {"occurred_at", occurred_at},
                          {"rifa_id", payload.value("rifa_id", nlohmann::json())},
                          {"data", payload.value("data", nlohmann::json::object())}};
  if (const std::string user_id = recipient_id(event["data"]); !user_id.empty() && users_) {
    const NotifierProfile profile = notifiers_.profile(notifier);
    auto found = users_->find_by_id(user_id);
    if (!found) return found.error();  // the database failed: the queue retries
    nlohmann::json recipient = {{"usuario_id", user_id}};
    if (*found) {
      const engine::User& user = **found;
      const auto pref = user.notificaciones.find(profile.channel);
      if (pref != user.notificaciones.end() && !pref->second && !is_money_movement(type)) {
        return {};  // opted out of this channel: nothing to deliver, and nothing to retry
      }
      for (const std::string& field : profile.contact_fields) {
        if (field == "email") recipient["email"] = user.email;
        if (field == "nombre") recipient["nombre"] = user.nombre;
        if (field == "telefono" && user.telefono) recipient["telefono"] = *user.telefono;
      }
    }
    event["recipient"] = std::move(recipient);
  }
  if (const std::string rifa_id = text_field(payload, "rifa_id"); !rifa_id.empty() && stores_.rifas) {
    auto nombre = stores_.rifas->nombre(rifa_id);
    if (!nombre) return nombre.error();
    if (*nombre) event["rifa_nombre"] = **nombre;
  }
  if (!stores_.claims) return notifiers_.deliver(notifier, type, event);

  const std::string owner = job.id + "#" + std::to_string(job.attempts);
  const engine::TimePoint now = clock_.now();
  auto claim = stores_.claims->claim(event_id, notifier, owner, now, now + stores_.claim_ttl);
  if (!claim) return claim.error();
  if (*claim == DeliveryClaim::kAlreadyDelivered) return {};
  if (*claim == DeliveryClaim::kBusy) {
    return make_error(ErrorCode::kUnavailable, type + " " + event_id + " is being delivered to " + notifier +
                                                   " by another worker; this job tries again later");
  }
  auto delivered = notifiers_.deliver(notifier, type, event);
  if (!delivered) {
    (void)stores_.claims->release(event_id, notifier, owner);  // if this fails too, the claim runs out
    return delivered;
  }
  return stores_.claims->delivered(event_id, notifier, clock_.now());
}

}  // namespace rifa::settlement
