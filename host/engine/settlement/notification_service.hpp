#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"
#include "engine/clock.hpp"
#include "engine/jobs/job_queue.hpp"
#include "engine/settlement/delivery_claims.hpp"
#include "engine/settlement/notifier_gateway.hpp"
#include "engine/user_repository.hpp"

namespace rifa::settlement {

// Runs notify.deliver jobs (queued by NotificationPublisher, or by anyone with the same payload):
// hands the event to the notifier instance named in the job, through the NotifierGateway port.
//
// The event the notifier gets (sdk/ABI.md, "Notifier"):
//   {"event_id": "<uuid, the same on every retry>", "type": "winner",
//    "occurred_at": "2026-01-22T23:00:00.000Z", "rifa_id": "<uuid>", "rifa_nombre": "Moto 2027",
//    "data": {...}, "recipient": {"usuario_id", "email"?, "telefono"?, "nombre"?}}
// rifa_nombre is read at delivery (RifaNames), so a message names the rifa as it is called then;
// absent when the event has no rifa or the rifa is gone.
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
//
// Never two deliveries of one event_id through one notifier, whichever host or worker runs the
// job (or a second job carrying the same event): with DeliveryClaims, (event_id, notifier) is
// claimed in the database before the notifier is called (owner: the job id and attempt, for
// claim_ttl, which must outlast a delivery: the job lease), marked delivered after, and dropped
// when the notifier failed. A claim held by another live attempt fails this one (kUnavailable,
// retried with backoff); one delivered already succeeds without calling the notifier.
class NotificationService {
 public:
  struct Stores {
    engine::UserRepository* users = nullptr;  // reads recipients; nullptr: no recipient
    DeliveryClaims* claims = nullptr;         // nullptr: no claim (one worker, tests)
    RifaNames* rifas = nullptr;               // nullptr: no rifa_nombre
    std::chrono::seconds claim_ttl{120};
  };
  // `users` (not owned) reads recipients; nullptr: events go out without a recipient.
  NotificationService(NotifierGateway& notifiers, const engine::Clock& clock, engine::UserRepository* users = nullptr);
  // The stores are not owned and must outlive the service.
  NotificationService(NotifierGateway& notifiers, const engine::Clock& clock, Stores stores);

  Result<void> deliver(const jobs::Job& job);

  // The events the law makes us send whatever the player chose: receipts of money movements
  // (a purchase's receipt, a prize paid, a refund).
  static bool is_money_movement(std::string_view type);

 private:
  NotifierGateway& notifiers_;
  const engine::Clock& clock_;
  engine::UserRepository* users_;
  Stores stores_;
};

}  // namespace rifa::settlement
