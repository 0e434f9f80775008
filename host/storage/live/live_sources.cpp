#include "storage/live/live_sources.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "storage/one_time_statement.hpp"

namespace rifa::storage {

using engine::live::Change;
using engine::live::ChangeKind;

std::optional<Change> parse_live_payload(const std::string& payload) {
  auto j = nlohmann::json::parse(payload, nullptr, false);
  if (!j.is_object() || !j.contains("k") || !j["k"].is_string() || !j.contains("r") || !j["r"].is_string()) {
    return std::nullopt;
  }
  try {
    Change c;
    c.rifa_id = j["r"].get<std::string>();
    const std::string k = j["k"].get<std::string>();
    if (j.contains("ts") && j["ts"].is_number()) c.committed_ms = j["ts"].get<double>();
    if (k == "t") {
      c.kind = ChangeKind::kTickets;
      c.estado = j.value("e", "");
      if (j.contains("u") && j["u"].is_string()) c.usuario_id = j["u"].get<std::string>();
      for (const auto& n : j.value("n", nlohmann::json::array())) c.numeros.push_back(n.get<int64_t>());
    } else if (k == "r") {
      c.kind = ChangeKind::kRifa;
      c.estado = j.value("e", "");
    } else if (k == "d") {
      c.kind = ChangeKind::kResultado;
      c.resultado_json = j.contains("v") ? j["v"].dump() : "null";
    } else if (k == "g") {
      c.kind = ChangeKind::kGanadores;
      for (const auto& w : j.value("w", nlohmann::json::array())) {
        engine::live::Winner win;
        win.numero = w.value("n", int64_t{0});
        if (w.contains("u") && w["u"].is_string()) win.usuario_id = w["u"].get<std::string>();
        win.tier = w.value("tier", int64_t{0});
        win.monto = w.value("m", int64_t{0});
        c.winners.push_back(std::move(win));
      }
    } else {
      c.kind = ChangeKind::kResync;
    }
    return c;
  } catch (const nlohmann::json::exception&) { return std::nullopt; }
}

// ChangeQueue

void ChangeQueue::start(std::function<void(std::vector<Change>)> sink) {
  sink_ = std::move(sink);
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    for (;;) {
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      // Everything waiting goes as one batch, in order: a burst of commits costs one pass.
      std::vector<Change> batch;
      while (!queue_.empty()) {
        auto& front = queue_.front();
        batch.insert(batch.end(), std::make_move_iterator(front.begin()), std::make_move_iterator(front.end()));
        queue_.pop_front();
      }
      lock.unlock();
      sink_(std::move(batch));
      lock.lock();
    }
  });
}

void ChangeQueue::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    queue_.clear();
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ChangeQueue::push(std::vector<Change> batch) {
  if (batch.empty()) return;
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || !sink_) return;
    queue_.push_back(std::move(batch));
  }
  cv_.notify_one();
}

// PgLiveListener

PgLiveListener::PgLiveListener(std::string conninfo) : conninfo_(std::move(conninfo)) {
  if (::pipe2(wake_, O_NONBLOCK | O_CLOEXEC) != 0) wake_[0] = wake_[1] = -1;
}

PgLiveListener::~PgLiveListener() {
  stop();
  for (int fd : wake_) {
    if (fd >= 0) ::close(fd);
  }
}

void PgLiveListener::start(std::function<void(std::vector<Change>)> sink) {
  queue_.start(std::move(sink));
  thread_ = std::thread([this] { run(); });
}

void PgLiveListener::stop() {
  if (stopping_.exchange(true)) return;
  if (wake_[1] >= 0) {
    const char b = 1;
    [[maybe_unused]] auto n = ::write(wake_[1], &b, 1);
  }
  if (thread_.joinable()) thread_.join();
  queue_.stop();
}

void PgLiveListener::run() {
  bool first = true;
  int backoff_ms = 100;
  while (!stopping_) {
    PGconn* conn = PQconnectdb(conninfo_.c_str());
    PGresult* listen = nullptr;
    if (PQstatus(conn) == CONNECTION_OK) listen = PQexec(conn, "LISTEN rifa_live");
    if (!listen || PQresultStatus(listen) != PGRES_COMMAND_OK) {
      spdlog::warn("live feed: cannot LISTEN on the database ({}); retrying in {} ms", PQerrorMessage(conn),
                   backoff_ms);
      if (listen) PQclear(listen);
      PQfinish(conn);
      pollfd wait{wake_[0], POLLIN, 0};
      ::poll(&wait, 1, backoff_ms);
      backoff_ms = std::min(backoff_ms * 2, 5000);
      continue;
    }
    PQclear(listen);
    backoff_ms = 100;
    // After a reconnect notifications may have been missed: every followed rifa is read again.
    if (!first) queue_.push({Change{ChangeKind::kResync}});
    first = false;
    const int sock = PQsocket(conn);
    while (!stopping_) {
      pollfd fds[2] = {{sock, POLLIN, 0}, {wake_[0], POLLIN, 0}};
      const int ready = ::poll(fds, 2, 30000);
      if (ready < 0 && errno != EINTR) break;
      if (fds[1].revents) break;
      if (ready == 0) {
        // An idle connection: check it is alive (a dead one only shows when used).
        PGresult* r = PQexec(conn, "SELECT 1");
        const bool ok = r && PQresultStatus(r) == PGRES_TUPLES_OK;
        if (r) PQclear(r);
        if (!ok) break;
      }
      if (PQconsumeInput(conn) == 0) break;
      std::vector<Change> batch;
      while (PGnotify* n = PQnotifies(conn)) {
        if (auto c = parse_live_payload(n->extra)) batch.push_back(std::move(*c));
        PQfreemem(n);
      }
      queue_.push(std::move(batch));
    }
    if (!stopping_) spdlog::warn("live feed: the LISTEN connection was lost ({}); reconnecting", PQerrorMessage(conn));
    PQfinish(conn);
  }
}

// SqlLiveSnapshotReader

Result<std::optional<engine::live::RifaState>> SqlLiveSnapshotReader::load(const std::string& rifa_id) {
  return db_.transaction(
      [&](soci::session& sql) -> std::optional<engine::live::RifaState> {
        engine::live::RifaState s;
        long long total = 0;
        soci::indicator found = soci::i_null;
        sql << "SELECT estado, CAST(total_boletas AS BIGINT) FROM rifas WHERE id = :id", soci::into(s.estado, found),
            soci::into(total), soci::use(rifa_id);
        if (!sql.got_data()) return std::nullopt;
        s.total = total;
        {
          long long numero = 0;
          std::string estado, usuario;
          soci::indicator usuario_ind = soci::i_null;
          auto st = one_time_statement(sql,
                                       "SELECT CAST(numero AS BIGINT), estado, usuario_id FROM tickets "
                                       "WHERE rifa_id = :id AND estado <> 'disponible'",
                                       soci::into(numero), soci::into(estado), soci::into(usuario, usuario_ind),
                                       soci::use(rifa_id));
          for_each_row(st, [&] {
            s.taken.push_back({numero, estado, usuario_ind == soci::i_ok ? usuario : std::string()});
          });
        }
        {
          long long numero = 0, tier = 0, monto = 0;
          std::string usuario;
          soci::indicator usuario_ind = soci::i_null;
          auto st = one_time_statement(sql,
                                       "SELECT CAST(t.numero AS BIGINT), t.usuario_id, CAST(g.tier AS BIGINT), "
                                       "CAST(g.monto_ganado AS BIGINT) FROM ganadores g JOIN tickets t ON "
                                       "t.id = g.ticket_id WHERE t.rifa_id = :id",
                                       soci::into(numero), soci::into(usuario, usuario_ind), soci::into(tier),
                                       soci::into(monto), soci::use(rifa_id));
          for_each_row(st, [&] {
            s.winners.push_back({numero, usuario_ind == soci::i_ok ? usuario : std::string(), tier, monto});
          });
        }
        {
          std::string resultado;
          soci::indicator ind = soci::i_null;
          sql << "SELECT CAST(resultado AS TEXT) FROM resultados_sorteo WHERE rifa_id = :id",
              soci::into(resultado, ind), soci::use(rifa_id);
          if (sql.got_data() && ind == soci::i_ok) s.resultado_json = resultado;
        }
        return s;
      },
      TransactionMode::kRead);
}

std::unique_ptr<engine::live::ChangeSource> make_live_change_source(Database& db) {
  if (db.backend() == Backend::kPostgresql) {
    std::string conninfo = db.url().connect_string;
    const std::string prefix = "postgresql://";
    if (conninfo.rfind(prefix, 0) == 0) conninfo.erase(0, prefix.size());
    return std::make_unique<PgLiveListener>(std::move(conninfo));
  }
  return std::make_unique<SqliteLiveCapture>(db);
}

}  // namespace rifa::storage
