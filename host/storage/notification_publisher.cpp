#include "storage/notification_publisher.hpp"

#include "engine/jobs/job_kinds.hpp"
#include "storage/job_outbox.hpp"

namespace rifa::settlement {

NotificationPublisher::NotificationPublisher(NotifierResolver notifiers, int max_attempts)
    : resolver_(std::move(notifiers)), max_attempts_(max_attempts) {}

int NotificationPublisher::publish(soci::session& sql, const NotificationEvent& event) const {
  return publish(sql, std::vector<NotificationEvent>{event});
}

int NotificationPublisher::publish(soci::session& sql, const std::vector<NotificationEvent>& events,
                                   const std::optional<std::string>& known_categoria) const {
  if (events.empty()) return 0;
  const std::string& rifa_id = events.front().rifa_id;
  // Bindings may override per categoria (by nombre), so the rifa's categoria is looked up here
  // unless the caller read it already.
  std::string categoria;
  if (known_categoria) {
    categoria = *known_categoria;
  } else {
    soci::indicator categoria_ind = soci::i_null;
    sql << "SELECT c.nombre FROM rifas r JOIN categoria_rifa c ON c.id = r.categoria_id WHERE r.id = :id",
        soci::use(rifa_id), soci::into(categoria, categoria_ind);
    if (!sql.got_data() || categoria_ind != soci::i_ok) categoria.clear();
  }
  const std::vector<std::string> notifiers = resolver_ ? resolver_(rifa_id, categoria) : std::vector<std::string>{};

  const storage::Backend backend =
      sql.get_backend_name() == "postgresql" ? storage::Backend::kPostgresql : storage::Backend::kSqlite;
  std::vector<jobs::EnqueueRequest> queued;
  for (const NotificationEvent& event : events) {
    const std::string event_id = event_uuid(event.type + ":" + event.entity_id);
    for (const std::string& notifier : notifiers) {
      jobs::EnqueueRequest job;
      job.kind = jobs::kNotifyDeliver;
      job.payload = {{"event", event.type},           {"event_id", event_id},
                     {"rifa_id", event.rifa_id},       {"notifier", notifier},
                     {"occurred_at", event_time(event.occurred_at)}, {"data", event.data}};
      job.dedupe_key = event.type + ":" + event.entity_id + ":" + notifier;
      job.max_attempts = max_attempts_;
      queued.push_back(std::move(job));
    }
  }
  jobs::enqueue_all_in_transaction(sql, backend, queued, events.front().occurred_at);
  return static_cast<int>(queued.size());
}

Result<int> NotificationPublisher::publish(storage::Database& db, const NotificationEvent& event) const {
  return db.transaction([&](soci::session& sql) { return publish(sql, event); });
}

}  // namespace rifa::settlement
