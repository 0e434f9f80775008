#include "storage/repositories/sql_rifa_repository.hpp"

#include <algorithm>

#include "engine/jobs/job_kinds.hpp"

#include "storage/job_outbox.hpp"
#include "storage/one_time_statement.hpp"
#include "storage/repositories/commitment_freezer.hpp"
#include "storage/repositories/sql_support.hpp"
#include "storage/sha256.hpp"
#include "storage/sql_estados.hpp"
#include "storage/timestamps.hpp"

namespace rifa::storage {
namespace {

using engine::TicketEstado;

// The counts read only the taken tickets (every estado but disponible), through the partial index
// tickets_taken_idx (migration 0013), whose predicate this is: a rifa's free tickets, most of it,
// are never read. Free = total_boletas - taken, since a rifa has one ticket row per number.
const std::string kTaken = "t.estado <> " + sql_literal(TicketEstado::kDisponible);

const std::string kSelect =
    "SELECT r.id, r.nombre, r.categoria_id, r.loteria_id, r.fecha_inicio, r.fecha_fin, r.numero_ganadores, r.estado, "
    "r.reglas, r.total_boletas, r.creado_en, r.assignment, "
    "(SELECT count(*) FROM tickets t WHERE t.rifa_id = r.id AND " +
    kTaken + " AND t.estado IN " + sql_sold_tickets() +
    "), r.total_boletas - (SELECT count(*) FROM tickets t WHERE t.rifa_id = r.id AND " + kTaken +
    "), CAST(r.fecha_sorteo AS TEXT) FROM rifas r ";

struct RifaRow {
  std::string id, nombre, categoria_id, loteria_id, fecha_inicio, fecha_fin, estado, reglas, creado_en, assignment;
  int numero_ganadores = 0, total_boletas = 0;
  long long vendidas = 0, disponibles = 0;
  std::string fecha_sorteo;
  soci::indicator fecha_sorteo_ind = soci::i_null;

  void bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(nombre));
    st.exchange(soci::into(categoria_id));
    st.exchange(soci::into(loteria_id));
    st.exchange(soci::into(fecha_inicio));
    st.exchange(soci::into(fecha_fin));
    st.exchange(soci::into(numero_ganadores));
    st.exchange(soci::into(estado));
    st.exchange(soci::into(reglas));
    st.exchange(soci::into(total_boletas));
    st.exchange(soci::into(creado_en));
    st.exchange(soci::into(assignment));
    st.exchange(soci::into(vendidas));
    st.exchange(soci::into(disponibles));
    st.exchange(soci::into(fecha_sorteo, fecha_sorteo_ind));
  }

  engine::RifaView get() const {
    engine::RifaView v;
    engine::Rifa& r = v.rifa;
    r.id = id;
    r.nombre = nombre;
    r.categoria_id = categoria_id;
    r.loteria_id = loteria_id;
    r.fecha_inicio = read_timestamp(fecha_inicio);
    r.fecha_fin = read_timestamp(fecha_fin);
    r.numero_ganadores = numero_ganadores;
    r.estado = engine::parse_rifa_estado(estado).value_or(engine::RifaEstado::kPendiente);
    r.reglas = nlohmann::json::parse(reglas);  // checked JSON on both backends
    r.total_boletas = total_boletas;
    r.creado_en = read_timestamp(creado_en);
    r.assignment = engine::parse_assignment(assignment).value_or(engine::Assignment::kSequential);
    v.vendidas = vendidas;
    v.disponibles = disponibles;
    r.fecha_sorteo = optional_text(fecha_sorteo, fecha_sorteo_ind);
    return v;
  }
};

}  // namespace

std::string ticket_id_prefix(const std::string& rifa_id, const std::string& salt) {
  // name_based_uuid sets the version (8) and variant bits, both inside the first 28 characters.
  return name_based_uuid("rifa1122-ticket:" + rifa_id + ":" + salt).substr(0, 28);
}

std::string ticket_id_sql(Backend backend, const std::string& prefix_expr, const std::string& numero_expr) {
  return backend == Backend::kPostgresql ? prefix_expr + " || lpad(to_hex(" + numero_expr + "), 8, '0')"
                                         : prefix_expr + " || printf('%08x', " + numero_expr + ")";
}

void insert_tickets(soci::session& sql, Backend backend, const std::string& rifa_id, int32_t total, int64_t precio) {
  if (total <= 0) return;
  // A fresh salt per generation: a rifa whose tickets are rebuilt never reuses an old id.
  const std::string prefix =
      ticket_id_prefix(rifa_id, std::to_string(std::chrono::system_clock::now().time_since_epoch().count()));
  const int last = total - 1;
  const long long price = precio;
  if (backend == Backend::kPostgresql) {
    sql << "INSERT INTO tickets (id, rifa_id, numero, precio) SELECT " +
               ticket_id_sql(backend, "CAST(:prefix AS TEXT)", "n") +
               ", :rifa, n, :precio FROM generate_series(0, CAST(:last AS INTEGER)) AS n",
        soci::use(prefix), soci::use(rifa_id), soci::use(price), soci::use(last);
    // reltuples: the row count of the last ANALYZE (-1 = never), not a count(*).
    double known_rows = 0;
    sql << "SELECT reltuples FROM pg_class WHERE oid = 'tickets'::regclass", soci::into(known_rows);
    if (total >= 0.1 * std::max(known_rows, 0.0)) sql << "ANALYZE tickets";
  } else {
    sql << "WITH RECURSIVE numeros(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM numeros WHERE n < :last) "
           "INSERT INTO tickets (id, rifa_id, numero, precio) SELECT " +
               ticket_id_sql(backend, ":prefix", "n") + ", :rifa, n, :precio FROM numeros",
        soci::use(last), soci::use(prefix), soci::use(rifa_id), soci::use(price);
  }
}

Result<void> SqlRifaRepository::create(const engine::Rifa& r, int64_t precio, const engine::AuditEntry& audit) {
  const Backend backend = db_.backend();
  return db_.transaction([&](soci::session& sql) {
    const std::string inicio = format_timestamp(r.fecha_inicio), fin = format_timestamp(r.fecha_fin),
                      creado = format_timestamp(r.creado_en), estado = engine::to_string(r.estado),
                      reglas = r.reglas.dump(), assignment = engine::to_string(r.assignment);
    const int ganadores = r.numero_ganadores, total = r.total_boletas;
    NullableText fecha_sorteo(r.fecha_sorteo);
    sql << "INSERT INTO rifas (id, nombre, categoria_id, loteria_id, fecha_inicio, fecha_fin, numero_ganadores, "
           "estado, reglas, total_boletas, creado_en, assignment, fecha_sorteo) VALUES (:id, :nombre, :categoria, "
           ":loteria, :inicio, :fin, :ganadores, :estado, :reglas, :total, :creado, :assignment, :fecha_sorteo)",
        soci::use(r.id), soci::use(r.nombre), soci::use(r.categoria_id), soci::use(r.loteria_id), soci::use(inicio),
        soci::use(fin), soci::use(ganadores), soci::use(estado), soci::use(reglas), soci::use(total), soci::use(creado),
        soci::use(assignment), soci::use(fecha_sorteo.value, fecha_sorteo.indicator);
    insert_tickets(sql, backend, r.id, r.total_boletas, precio);
    append_audit(sql, backend, audit_record(audit, clock_.now()));
  });
}

Result<std::optional<engine::RifaView>> SqlRifaRepository::find(const std::string& id) {
  return db_.transaction(
      [&](soci::session& sql) -> std::optional<engine::RifaView> {
        RifaRow row;
        soci::statement st(sql);
        row.bind(st);
        st.exchange(soci::use(id));
        st.alloc();
        st.prepare(std::string(kSelect) + "WHERE r.id = :id", soci::details::st_one_time_query);
        st.define_and_bind();
        if (!st.execute(true)) return std::nullopt;
        return row.get();
      },
      TransactionMode::kRead);
}

Result<engine::Page<engine::RifaView>> SqlRifaRepository::list(const engine::RifaFilter& filter,
                                                               const engine::PageRequest& page) {
  return db_.transaction(
      [&](soci::session& sql) {
        // Only the conditions asked for are in the SQL; values are always bound, never spliced.
        std::string where;
        std::vector<std::string> values;
        const auto add = [&](const std::string& condition, std::vector<std::string> bound) {
          where += (where.empty() ? "WHERE " : " AND ") + condition;
          for (auto& b : bound) values.push_back(std::move(b));
        };
        if (filter.estado) add("r.estado = :estado", {engine::to_string(*filter.estado)});
        if (filter.categoria) {
          add("(r.categoria_id = :categoria OR r.categoria_id IN (SELECT c.id FROM categoria_rifa c WHERE c.nombre = "
              ":categoria_nombre))",
              {*filter.categoria, *filter.categoria});
        }
        if (filter.desde) add("r.fecha_fin >= :desde", {format_timestamp(*filter.desde)});
        if (filter.hasta) add("r.fecha_inicio <= :hasta", {format_timestamp(*filter.hasta)});

        engine::Page<engine::RifaView> out;
        out.page = page.page;
        out.per_page = page.per_page;
        out.total = count_rows(sql, "rifas r " + where, values);
        RifaRow row;
        soci::statement st(sql);
        row.bind(st);
        for (const auto& v : values) st.exchange(soci::use(v));
        st.alloc();
        st.prepare(
            std::string(kSelect) + where + " ORDER BY r.fecha_fin, r.id" + limit_clause(page.per_page, page.offset()),
            soci::details::st_one_time_query);
        st.define_and_bind();
        if (st.execute(true)) {
          do { out.items.push_back(row.get()); } while (st.fetch());
        }
        return out;
      },
      TransactionMode::kRead);
}

Result<engine::RifaChangeOutcome> SqlRifaRepository::apply(const engine::RifaChange& change) {
  using Outcome = engine::RifaChangeOutcome;
  const Backend backend = db_.backend();
  const engine::Rifa& before = change.before;
  const engine::Rifa& r = change.after;
  return db_.transaction([&](soci::session& sql) -> Outcome {
    const auto refused = [](Outcome::Status status, std::string stored = {}, long long taken = 0) {
      Outcome out;
      out.status = status;
      out.stored_estado = std::move(stored);
      out.tickets_taken = taken;
      return out;
    };
    // The stored estado, with the row locked for this transaction: a purchase holds it FOR SHARE
    // while it takes numbers, so the tickets counted below stay as counted until commit.
    std::string stored_estado;
    sql << std::string("SELECT estado FROM rifas WHERE id = :id") +
               (backend == Backend::kPostgresql ? " FOR UPDATE" : ""),
        soci::use(r.id), soci::into(stored_estado);
    if (!sql.got_data()) return refused(Outcome::Status::kNotFound);
    // Compare-and-set: every decision the service made was made against before.estado.
    const std::string read_estado = engine::to_string(before.estado);
    if (stored_estado != read_estado) return refused(Outcome::Status::kEstadoChanged, stored_estado);
    if (change.require_no_tickets_taken) {
      long long taken = 0;
      sql << "SELECT count(*) FROM tickets WHERE rifa_id = :id AND estado IN " +
                 sql_in({TicketEstado::kReservado, TicketEstado::kVendido, TicketEstado::kGanador}),
          soci::use(r.id), soci::into(taken);
      if (taken > 0) return refused(Outcome::Status::kTicketsTaken, stored_estado, taken);
    }
    // Only the columns that change are written: a column this change did not touch keeps
    // whatever a concurrent writer put there.
    const std::string inicio = format_timestamp(r.fecha_inicio), fin = format_timestamp(r.fecha_fin),
                      estado = engine::to_string(r.estado), reglas = r.reglas.dump();
    const int ganadores = r.numero_ganadores, total = r.total_boletas;
    NullableText fecha_sorteo(r.fecha_sorteo);
    soci::statement st(sql);
    std::string set;
    const auto column = [&](const char* name, bool changed, auto&& use) {
      if (!changed) return;
      set += std::string(set.empty() ? "" : ", ") + name + " = :" + name;
      st.exchange(std::forward<decltype(use)>(use));
    };
    column("nombre", r.nombre != before.nombre, soci::use(r.nombre));
    column("categoria_id", r.categoria_id != before.categoria_id, soci::use(r.categoria_id));
    column("loteria_id", r.loteria_id != before.loteria_id, soci::use(r.loteria_id));
    column("fecha_inicio", r.fecha_inicio != before.fecha_inicio, soci::use(inicio));
    column("fecha_fin", r.fecha_fin != before.fecha_fin, soci::use(fin));
    column("numero_ganadores", r.numero_ganadores != before.numero_ganadores, soci::use(ganadores));
    column("estado", r.estado != before.estado, soci::use(estado));
    column("reglas", r.reglas != before.reglas, soci::use(reglas));
    column("total_boletas", r.total_boletas != before.total_boletas, soci::use(total));
    column("fecha_sorteo", r.fecha_sorteo != before.fecha_sorteo,
           soci::use(fecha_sorteo.value, fecha_sorteo.indicator));
    if (!set.empty()) {
      st.exchange(soci::use(r.id));
      st.exchange(soci::use(read_estado));
      st.alloc();
      st.prepare("UPDATE rifas SET " + set + " WHERE id = :id AND estado = :read_estado",
                 soci::details::st_one_time_query);
      st.define_and_bind();
      st.execute(true);
      // Not expected under the row lock; nothing was written before this statement.
      if (st.get_affected_rows() != 1) return refused(Outcome::Status::kChangedMeanwhile, stored_estado);
    }
    if (change.rebuild_tickets_precio) {
      sql << "DELETE FROM tickets WHERE rifa_id = :id", soci::use(r.id);
      insert_tickets(sql, backend, r.id, r.total_boletas, *change.rebuild_tickets_precio);
    }
    append_audit(sql, backend, audit_record(change.audit, clock_.now()));
    if (change.freeze_commitment) {
      const std::string commitment_hash = freeze_commitment(sql, backend, r.id, change.audit.actor, clock_.now());
      if (change.freeze_payment_instance) {
        sql << "UPDATE rifas SET payment_instance = :p WHERE id = :id", soci::use(*change.freeze_payment_instance),
            soci::use(r.id);
      }
      if (events_) {
        events_(sql, DomainEvent{"rifa_opened",
                                 r.id,
                                 r.id,
                                 {{"nombre", r.nombre},
                                  {"fecha_fin", fin},
                                  {"total_boletas", r.total_boletas},
                                  {"commitment_sha256", commitment_hash}},
                                 clock_.now()});
      }
    }
    if (change.queue_refunds) {
      // Transactional outbox: the refunds of every paid ticket are queued if and only if the
      // cancellation commits; payload and dedupe key as engine/settlement/refund_service.hpp declares.
      jobs::EnqueueRequest refunds;
      refunds.kind = jobs::kRifaRefund;
      refunds.payload = {{"rifa_id", r.id}};
      refunds.dedupe_key = "refund:" + r.id;
      refunds.max_attempts = 20;  // waits out pending payments: backoff reaches an hour per try
      jobs::enqueue_in_transaction(sql, backend, refunds, clock_.now());
    }
    return Outcome{};
  });
}

}  // namespace rifa::storage
