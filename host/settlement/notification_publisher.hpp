#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <soci/soci.h>

#include "common/result.hpp"
#include "engine/clock.hpp"
#include "settings/bindings.hpp"
#include "storage/database.hpp"

namespace rifa::settlement {

// The job kind notify.deliver jobs run under (NotificationService handles it).
inline constexpr const char* kNotifyDeliverJob = "notify.deliver";

// One event for the notifiers of a rifa. `type` is one of the ABI's event types (sdk/ABI.md,
// "Notifier"): rifa_opened, rifa_closed, ticket_sold, result_published, winner, payout_sent,
// payout_failed. `entity_id` names what the event is about (the rifa for opened/closed/result, the
// ticket for ticket_sold, the ganador for winner/payout_*): one event per (type, entity) is ever
// delivered to each notifier, however often it is published.
struct NotificationEvent {
  std::string type;
  std::string rifa_id;
  std::string entity_id;
  nlohmann::json data = nlohmann::json::object();
  engine::TimePoint occurred_at;
};

// Fans an event out to every notifier instance bound to its rifa (resolve_bindings: defaults <
// categoria < rifa): one notify.deliver job per notifier, dedupe key "<type>:<entity_id>:<notifier>".
// Each job retries on its own, so a failing notifier delays nothing else: not settlement, not the
// other notifiers. The job payload, also what NotificationService reads:
//   {"event": type, "event_id": uuid(type:entity_id), "rifa_id", "notifier", "occurred_at", "data"}
// event_id is the same for every notifier and every retry, so notifiers can drop repeats.
class NotificationPublisher {
 public:
  using BindingResolver = std::function<settings::ResolvedBinding(std::string_view rifa_id, std::string_view categoria)>;

  // Resolves against `bindings`, which must outlive the publisher.
  NotificationPublisher(const settings::Bindings& bindings, int max_attempts);
  NotificationPublisher(BindingResolver resolver, int max_attempts);

  // Inside the caller's open transaction, so the events commit with the change they report (the
  // winner written, the payout recorded). Returns how many jobs are queued (0: no notifiers).
  int publish(soci::session& sql, const NotificationEvent& event) const;
  // Several events of ONE rifa (the tickets of a sale): every job in one multi-row statement, and
  // the rifa's categoria looked up once unless the caller gives it.
  int publish(soci::session& sql, const std::vector<NotificationEvent>& events,
              const std::optional<std::string>& categoria = std::nullopt) const;
  // In a transaction of its own, for callers with nothing else to commit.
  Result<int> publish(storage::Database& db, const NotificationEvent& event) const;

 private:
  BindingResolver resolver_;
  int max_attempts_;
};

// "2026-01-22T23:00:00.000Z": the ABI's occurred_at form.
std::string event_time(engine::TimePoint t);
// The event_id of "<type>:<entity_id>": a UUID derived from it, the same every time.
std::string event_uuid(const std::string& type_and_entity);

}  // namespace rifa::settlement
