#include "storage/notification_publisher.hpp"

#include <map>

#include "engine/jobs/job_kinds.hpp"
#include "storage/job_outbox.hpp"

namespace rifa::settlement {
namespace {

// One receipt per transaccion among the ticket_sold events of a sale: what the buyer paid for, in
// one message (the numbers bought, the total, the transaccion), and the event a player who turned
// a channel off still gets on it (a receipt of a money movement).
std::vector<NotificationEvent> receipts_of(const std::vector<NotificationEvent>& events) {
  std::vector<NotificationEvent> receipts;
  std::map<std::string, size_t> by_transaccion;
  for (const NotificationEvent& event : events) {
    if (event.type != "ticket_sold" || !event.data.is_object()) continue;
    const auto transaccion = event.data.find("transaccion_id");
    if (transaccion == event.data.end() || !transaccion->is_string()) continue;
    const std::string id = transaccion->get<std::string>();
    auto [it, fresh] = by_transaccion.emplace(id, receipts.size());
    if (fresh) {
      NotificationEvent receipt;
      receipt.type = "receipt";
      receipt.rifa_id = event.rifa_id;
      receipt.entity_id = id;
      receipt.occurred_at = event.occurred_at;
      receipt.data = {{"transaccion_id", id},
                      {"user_id", event.data.value("user_id", nlohmann::json())},
                      {"numeros", nlohmann::json::array()},
                      {"total_cents", 0}};
      receipts.push_back(std::move(receipt));
    }
    nlohmann::json& data = receipts[it->second].data;
    data["numeros"].push_back(event.data.value("numero", nlohmann::json()));
    const auto precio = event.data.find("precio");
    if (precio != event.data.end() && precio->is_number_integer()) {
      data["total_cents"] = data["total_cents"].get<int64_t>() + precio->get<int64_t>();
    }
  }
  return receipts;
}

}  // namespace

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
  std::vector<NotificationEvent> all = events;
  for (NotificationEvent& receipt : receipts_of(events)) all.push_back(std::move(receipt));
  std::vector<jobs::EnqueueRequest> queued;
  for (const NotificationEvent& event : all) {
    const std::string event_id = event_uuid(event.type + ":" + event.entity_id);
    for (const std::string& notifier : notifiers) {
      jobs::EnqueueRequest job;
      job.kind = jobs::kNotifyDeliver;
      job.payload = {{"event", event.type},
                     {"event_id", event_id},
                     {"rifa_id", event.rifa_id},
                     {"notifier", notifier},
                     {"occurred_at", event_time(event.occurred_at)},
                     {"data", event.data}};
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
