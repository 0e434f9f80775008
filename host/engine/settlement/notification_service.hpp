#pragma once

#include "common/result.hpp"
#include "engine/clock.hpp"
#include "engine/jobs/job_queue.hpp"
#include "engine/settlement/notifier_gateway.hpp"

namespace rifa::settlement {

// Runs notify.deliver jobs (queued by NotificationPublisher, or by anyone with the same payload):
// hands the event to the notifier instance named in the job, through the NotifierGateway port.
//
// The event the notifier gets (sdk/ABI.md, "Notifier"):
//   {"event_id": "<uuid, the same on every retry>", "type": "winner",
//    "occurred_at": "2026-01-22T23:00:00.000Z", "rifa_id": "<uuid>", "data": {...}}
// A payload without event_id (jobs queued by hand or by code not using NotificationPublisher)
// gets event_uuid() (notification_event.hpp) of its dedupe key less ":<notifier>" (else of its job id): the same id on
// every retry and, for "<event>:<entity>:<notifier>" keys, the one the publisher would give.
// Without occurred_at, the time of delivery.
//
// A failed delivery fails the job: the queue retries it with backoff and, after max_attempts,
// leaves it dead for an admin to see and retry (GET /admin/jobs). Nothing else waits on it.
class NotificationService {
 public:
  NotificationService(NotifierGateway& notifiers, const engine::Clock& clock);

  Result<void> deliver(const jobs::Job& job);

 private:
  NotifierGateway& notifiers_;
  const engine::Clock& clock_;
};

}  // namespace rifa::settlement
