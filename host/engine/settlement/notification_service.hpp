#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"
#include "engine/clock.hpp"
#include "engine/jobs/job_queue.hpp"
#include "engine/settlement/notifier_gateway.hpp"
#include "engine/user_repository.hpp"

namespace rifa::settlement {

// Runs notify.deliver jobs (queued by NotificationPublisher, or by anyone with the same payload):
// hands the event to the notifier instance named in the job, through the NotifierGateway port.
//
// The event the notifier gets (sdk/ABI.md, "Notifier"):
//   {"event_id": "<uuid, the same on every retry>", "type": "winner",
//    "occurred_at": "2026-01-22T23:00:00.000Z", "rifa_id": "<uuid>", "data": {...},
//    "recipient": {"usuario_id", "email"?, "telefono"?, "nombre"?}}
// A payload without event_id (jobs queued by hand or by code not using NotificationPublisher)
// gets event_uuid() (notification_event.hpp) of its dedupe key less ":<notifier>" (else of its job id): the same id on
// every retry and, for "<event>:<entity>:<notifier>" keys, the one the publisher would give.
// Without occurred_at, the time of delivery.
//
// The recipient: an event about one player (data.user_id or data.usuario_id) gets "recipient"
// with the player's id and, read from the users table at delivery time (so the job queue never
// stores an address), only the contact fields the notifier declared (NotifierGateway::profile).
// A player who turned the notifier's channel off (User::notificaciones) gets nothing on it but
// receipts of money movements (is_money_movement): the job succeeds without a delivery.
//
// A failed delivery fails the job: the queue retries it with backoff and, after max_attempts,
// leaves it dead for an admin to see and retry (GET /admin/jobs). Nothing else waits on it.
class NotificationService {
 public:
  // `users` (not owned) reads recipients; nullptr: events go out without a recipient.
  NotificationService(NotifierGateway& notifiers, const engine::Clock& clock, engine::UserRepository* users = nullptr);

  Result<void> deliver(const jobs::Job& job);

  // The events the law makes us send whatever the player chose: receipts of money movements
  // (a purchase's receipt, a prize paid, a refund).
  static bool is_money_movement(std::string_view type);

 private:
  NotifierGateway& notifiers_;
  const engine::Clock& clock_;
  engine::UserRepository* users_;
};

}  // namespace rifa::settlement
