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
#include "engine/jobs/job_kinds.hpp"
#include "engine/settlement/notification_event.hpp"
#include "storage/database.hpp"

namespace rifa::settlement {

// One event for the notifiers of a rifa. `type` is one of the ABI's event types (sdk/ABI.md,
// "Notifier"): rifa_opened, rifa_closed, ticket_sold, receipt, result_published, winner,
// payout_sent, payout_failed, refund. `entity_id` names what the event is about (the rifa for
// opened/closed/result, the ticket for ticket_sold, the ganador for winner/payout_*, the
// transaccion for receipt and refund): one event per (type, entity) is ever
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
// The ticket_sold events of one transaccion also make one "receipt" event (entity: the
// transaccion; data: transaccion_id, user_id, numeros, total_cents), published with them.
// Events carry ids, never contact data: NotificationService adds the recipient at delivery.
class NotificationPublisher {
 public:
  // `notifiers` names the notifier instances bound to a rifa (settings::notifier_resolver over the
  // config's bindings; defaults < categoria < rifa).
  NotificationPublisher(NotifierResolver notifiers, int max_attempts);

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
  NotifierResolver resolver_;
  int max_attempts_;
};

}  // namespace rifa::settlement
