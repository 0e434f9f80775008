// The SQLite side of the live feed (live_sources.hpp). Kept in its own file: SOCI's SQLite header
// declares the sqlite3 API inside namespace sqlite_api.
#include <chrono>
#include <mutex>

#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include "storage/live/live_sources.hpp"

namespace rifa::storage {

using engine::live::Change;
using engine::live::ChangeKind;
namespace sq = ::sqlite_api;

namespace {

// More numbers than this in one transaction's change of one rifa: the feed reads the rifa again.
constexpr size_t kMaxListed = 5000;

// SQLite calls a WAL hook after each commit; the default one checkpoints past 1000 pages and is
// replaced by ours, which does the same.
constexpr int kAutoCheckpointPages = 1000;

const char* kTriggers = R"sql(
CREATE TEMP TRIGGER IF NOT EXISTS rifa_live_tickets AFTER UPDATE OF estado, usuario_id ON main.tickets
  WHEN OLD.estado IS NOT NEW.estado OR OLD.usuario_id IS NOT NEW.usuario_id
  BEGIN SELECT rifa_live_ticket(NEW.rifa_id, NEW.numero, NEW.estado, COALESCE(NEW.usuario_id, OLD.usuario_id)); END;
CREATE TEMP TRIGGER IF NOT EXISTS rifa_live_rifas AFTER UPDATE OF estado ON main.rifas
  WHEN OLD.estado IS NOT NEW.estado
  BEGIN SELECT rifa_live_rifa(NEW.id, NEW.estado); END;
CREATE TEMP TRIGGER IF NOT EXISTS rifa_live_resultado_ins AFTER INSERT ON main.resultados_sorteo
  BEGIN SELECT rifa_live_resultado(NEW.rifa_id, NEW.resultado); END;
CREATE TEMP TRIGGER IF NOT EXISTS rifa_live_resultado_upd AFTER UPDATE OF resultado ON main.resultados_sorteo
  BEGIN SELECT rifa_live_resultado(NEW.rifa_id, NEW.resultado); END;
CREATE TEMP TRIGGER IF NOT EXISTS rifa_live_ganadores AFTER INSERT ON main.ganadores
  BEGIN SELECT rifa_live_ganador(t.rifa_id, t.numero, t.usuario_id, NEW.tier, NEW.monto_ganado)
    FROM main.tickets t WHERE t.id = NEW.ticket_id; END;
CREATE TEMP TRIGGER IF NOT EXISTS rifa_live_ganadores_del AFTER DELETE ON main.ganadores
  BEGIN SELECT rifa_live_resync(t.rifa_id) FROM main.tickets t WHERE t.id = OLD.ticket_id; END;
)sql";

std::string text(sq::sqlite3_value* v) {
  const auto* p = sq::sqlite3_value_text(v);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(sq::sqlite3_value_bytes(v)))
           : std::string();
}

// Guards Connection::owner: a connection outlives the capture (its hooks stay installed on the
// session), so the capture's destructor only detaches it.
std::mutex g_owner_mutex;

double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

// One pooled connection's changes of its open transaction.
struct SqliteLiveCapture::Connection {
  SqliteLiveCapture* owner = nullptr;
  std::vector<Change> pending;

  Change& last(ChangeKind kind, const std::string& rifa, const std::string& estado, const std::string& usuario) {
    if (!pending.empty()) {
      auto& c = pending.back();
      if (c.kind == kind && c.rifa_id == rifa && c.estado == estado && c.usuario_id == usuario) return c;
    }
    Change c;
    c.kind = kind;
    c.rifa_id = rifa;
    c.estado = estado;
    c.usuario_id = usuario;
    pending.push_back(std::move(c));
    return pending.back();
  }

  void flush() {
    if (pending.empty()) return;
    const double at = now_ms();
    std::vector<Change> out;
    out.reserve(pending.size());
    for (auto& c : pending) {
      c.committed_ms = at;
      if (c.kind == ChangeKind::kTickets && c.numeros.size() > kMaxListed) {
        Change resync;
        resync.kind = ChangeKind::kResync;
        resync.rifa_id = c.rifa_id;
        out.push_back(std::move(resync));
        continue;
      }
      out.push_back(std::move(c));
    }
    pending.clear();
    std::lock_guard lock(g_owner_mutex);
    if (owner) owner->committed(std::move(out));
  }

  static Connection& of(sq::sqlite3_context* ctx) { return *static_cast<Connection*>(sq::sqlite3_user_data(ctx)); }

  static void ticket(sq::sqlite3_context* ctx, int, sq::sqlite3_value** v) {
    auto& c = of(ctx).last(ChangeKind::kTickets, text(v[0]), text(v[2]), text(v[3]));
    c.numeros.push_back(sq::sqlite3_value_int64(v[1]));
    sq::sqlite3_result_null(ctx);
  }
  static void rifa(sq::sqlite3_context* ctx, int, sq::sqlite3_value** v) {
    of(ctx).last(ChangeKind::kRifa, text(v[0]), text(v[1]), "");
    sq::sqlite3_result_null(ctx);
  }
  static void resultado(sq::sqlite3_context* ctx, int, sq::sqlite3_value** v) {
    auto& self = of(ctx);
    Change c;
    c.kind = ChangeKind::kResultado;
    c.rifa_id = text(v[0]);
    c.resultado_json = text(v[1]);
    self.pending.push_back(std::move(c));
    sq::sqlite3_result_null(ctx);
  }
  static void ganador(sq::sqlite3_context* ctx, int, sq::sqlite3_value** v) {
    auto& c = of(ctx).last(ChangeKind::kGanadores, text(v[0]), "", "");
    c.winners.push_back(
        {sq::sqlite3_value_int64(v[1]), text(v[2]), sq::sqlite3_value_int64(v[3]), sq::sqlite3_value_int64(v[4])});
    sq::sqlite3_result_null(ctx);
  }
  static void resync(sq::sqlite3_context* ctx, int, sq::sqlite3_value** v) {
    of(ctx).last(ChangeKind::kResync, text(v[0]), "", "");
    sq::sqlite3_result_null(ctx);
  }

  static int on_wal(void* self, sq::sqlite3* db, const char* name, int pages) {
    static_cast<Connection*>(self)->flush();
    if (pages >= kAutoCheckpointPages) sq::sqlite3_wal_checkpoint(db, name);
    return SQLITE_OK;
  }
  static void on_rollback(void* self) { static_cast<Connection*>(self)->pending.clear(); }
  // An in-memory database has no WAL: flushed as the commit starts (it cannot fail after that).
  static int on_commit(void* self) {
    static_cast<Connection*>(self)->flush();
    return 0;
  }
};

SqliteLiveCapture::SqliteLiveCapture(Database& db) {
  db.for_each_session([this](soci::session& session) {
    if (session.get_backend_name() != "sqlite3") return;
    // SOCI's SQLite backend is loaded at run time: no RTTI of it here, a static_cast only.
    auto* backend = static_cast<soci::sqlite3_session_backend*>(session.get_backend());
    sq::sqlite3* handle = backend->conn_;
    auto connection = std::make_unique<Connection>();
    connection->owner = this;
    void* user = connection.get();
    const int flags = SQLITE_UTF8;
    sq::sqlite3_create_function_v2(handle, "rifa_live_ticket", 4, flags, user, &Connection::ticket, nullptr, nullptr,
                                   nullptr);
    sq::sqlite3_create_function_v2(handle, "rifa_live_rifa", 2, flags, user, &Connection::rifa, nullptr, nullptr,
                                   nullptr);
    sq::sqlite3_create_function_v2(handle, "rifa_live_resultado", 2, flags, user, &Connection::resultado, nullptr,
                                   nullptr, nullptr);
    sq::sqlite3_create_function_v2(handle, "rifa_live_ganador", 5, flags, user, &Connection::ganador, nullptr, nullptr,
                                   nullptr);
    sq::sqlite3_create_function_v2(handle, "rifa_live_resync", 1, flags, user, &Connection::resync, nullptr, nullptr,
                                   nullptr);
    char* error = nullptr;
    if (sq::sqlite3_exec(handle, kTriggers, nullptr, nullptr, &error) != SQLITE_OK) {
      spdlog::warn("live feed: cannot capture changes on a SQLite connection: {}", error ? error : "?");
      sq::sqlite3_free(error);
      return;
    }
    const char* file = sq::sqlite3_db_filename(handle, "main");
    if (file && *file) {
      sq::sqlite3_wal_hook(handle, &Connection::on_wal, user);
    } else {
      sq::sqlite3_commit_hook(handle, &Connection::on_commit, user);
    }
    sq::sqlite3_rollback_hook(handle, &Connection::on_rollback, user);
    connections_.push_back(connection.release());  // lives as long as the session (see g_owner_mutex)
  });
}

SqliteLiveCapture::~SqliteLiveCapture() {
  {
    std::lock_guard lock(g_owner_mutex);
    for (auto* c : connections_) c->owner = nullptr;
  }
  stop();
}

void SqliteLiveCapture::start(std::function<void(std::vector<Change>)> sink) { queue_.start(std::move(sink)); }

void SqliteLiveCapture::stop() { queue_.stop(); }

}  // namespace rifa::storage
