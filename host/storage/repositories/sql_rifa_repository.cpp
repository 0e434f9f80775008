#include "storage/repositories/sql_rifa_repository.hpp"

#include <algorithm>

#include "storage/job_outbox.hpp"
#include "storage/one_time_statement.hpp"
#include "storage/repositories/commitment_freezer.hpp"
#include "storage/repositories/sql_support.hpp"
#include "storage/sha256.hpp"
#include "storage/timestamps.hpp"

namespace rifa::storage {
namespace {

const char* kSelect =
    "SELECT r.id, r.nombre, r.categoria_id, r.loteria_id, r.fecha_inicio, r.fecha_fin, r.numero_ganadores, r.estado, "
    "r.reglas, r.total_boletas, r.creado_en, r.assignment, "
    "(SELECT count(*) FROM tickets t WHERE t.rifa_id = r.id AND t.estado IN ('vendido', 'ganador')), "
    "(SELECT count(*) FROM tickets t WHERE t.rifa_id = r.id AND t.estado = 'disponible'), "
    "CAST(r.fecha_sorteo AS TEXT) "
    "FROM rifas r ";

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

// Ticket ids are random-looking but derived, so a rebuilt rifa never collides with its old rows.
std::string ticket_id(const std::string& rifa_id, int numero, const std::string& salt) {
  return name_based_uuid("rifa1122-ticket:" + rifa_id + ":" + salt + ":" + std::to_string(numero));
}

}  // namespace

void insert_tickets(soci::session& sql, Backend backend, const std::string& rifa_id, int32_t total, int64_t precio) {
  // Batches bound as vectors: one round trip per chunk instead of one per ticket.
  constexpr int32_t kChunk = 5000;
  const std::string salt = std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
  for (int32_t start = 0; start < total; start += kChunk) {
    const int32_t n = std::min(kChunk, total - start);
    std::vector<std::string> ids, rifa_ids(static_cast<size_t>(n), rifa_id);
    std::vector<int> numeros;
    std::vector<long long> precios(static_cast<size_t>(n), precio);
    ids.reserve(static_cast<size_t>(n));
    numeros.reserve(static_cast<size_t>(n));
    for (int32_t i = start; i < start + n; ++i) {
      ids.push_back(ticket_id(rifa_id, i, salt));
      numeros.push_back(i);
    }
    sql << "INSERT INTO tickets (id, rifa_id, numero, precio) VALUES (:id, :rifa, :numero, :precio)", soci::use(ids),
        soci::use(rifa_ids), soci::use(numeros), soci::use(precios);
  }
  if (backend == Backend::kPostgresql) {
    // reltuples: the row count of the last ANALYZE (-1 = never), not a count(*).
    double known_rows = 0;
    sql << "SELECT reltuples FROM pg_class WHERE oid = 'tickets'::regclass", soci::into(known_rows);
    if (total >= 0.1 * std::max(known_rows, 0.0)) sql << "ANALYZE tickets";
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
        st.prepare(std::string(kSelect) + where + " ORDER BY r.fecha_fin, r.id" +
                   limit_clause(page.per_page, page.offset()), soci::details::st_one_time_query);
        st.define_and_bind();
        if (st.execute(true)) {
          do {
            out.items.push_back(row.get());
          } while (st.fetch());
        }
        return out;
      },
      TransactionMode::kRead);
}

Result<void> SqlRifaRepository::update(const engine::Rifa& before, const engine::Rifa& r, Lock lock,
                                       const std::string& locked_field, std::optional<int64_t> precio,
                                       const engine::AuditEntry& audit) {
  const Backend backend = db_.backend();
  return db_.transaction([&](soci::session& sql) -> Result<void> {
    // The stored estado, locked for this transaction: activation and the commitment lock below
    // must see the same state a concurrent PATCH would.
    std::string stored_estado;
    sql << std::string("SELECT estado FROM rifas WHERE id = :id") + (backend == Backend::kPostgresql ? " FOR UPDATE" : ""),
        soci::use(r.id), soci::into(stored_estado);
    if (!sql.got_data()) return make_error(ErrorCode::kNotFound, "rifa " + r.id + " does not exist");
    // Compare-and-set: every check the caller made was made against before.estado.
    const std::string read_estado = engine::to_string(before.estado);
    if (stored_estado != read_estado) {
      return make_field_error(ErrorCode::kConflict, "estado", "the rifa is now " + stored_estado + " (it was " + read_estado +
                                                  " when this change was read): read it again and retry");
    }
    // The fields that change the odds or the money are the commitment, frozen at activation.
    if (lock == Lock::kRequireNoTicketsTaken && locked_field != "estado" && stored_estado != "pendiente") {
      return make_error(ErrorCode::kConflict, locked_field + ": locked because the rifa is " + stored_estado +
                                                  ": its commitment was frozen when it was activated");
    }
    if (lock == Lock::kRequireNoTicketsTaken) {
      long long taken = 0;
      const std::string lock_clause = backend == Backend::kPostgresql ? " FOR UPDATE" : "";
      sql << "SELECT count(*) FROM (SELECT estado FROM tickets WHERE rifa_id = :id" + lock_clause +
                 ") t WHERE t.estado IN ('reservado', 'vendido', 'ganador')",
          soci::use(r.id), soci::into(taken);
      if (taken > 0) {
        return make_error(ErrorCode::kConflict, locked_field + ": locked because " + std::to_string(taken) +
                                                    " ticket(s) are already reserved or sold");
      }
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
    column("fecha_sorteo", r.fecha_sorteo != before.fecha_sorteo, soci::use(fecha_sorteo.value, fecha_sorteo.indicator));
    if (!set.empty()) {
      st.exchange(soci::use(r.id));
      st.exchange(soci::use(read_estado));
      st.alloc();
      st.prepare("UPDATE rifas SET " + set + " WHERE id = :id AND estado = :read_estado", soci::details::st_one_time_query);
      st.define_and_bind();
      st.execute(true);
      if (st.get_affected_rows() != 1) {
        return make_field_error(ErrorCode::kConflict, "estado", "the rifa changed while this change was written: read it again and retry");
      }
    }
    if (precio) {
      sql << "DELETE FROM tickets WHERE rifa_id = :id", soci::use(r.id);
      insert_tickets(sql, db_.backend(), r.id, r.total_boletas, *precio);
    }
    append_audit(sql, backend, audit_record(audit, clock_.now()));
    if (stored_estado == "pendiente" && r.estado == engine::RifaEstado::kActiva) {
      const std::string commitment_hash = freeze_commitment(sql, backend, r.id, audit.actor, clock_.now());
      if (events_) {
        events_(sql, DomainEvent{"rifa_opened", r.id, r.id,
                                 {{"nombre", r.nombre}, {"fecha_fin", fin}, {"total_boletas", r.total_boletas},
                                  {"commitment_sha256", commitment_hash}},
                                 clock_.now()});
      }
    }
    if (r.estado == engine::RifaEstado::kCancelada && stored_estado != "cancelada") {
      // Checked on the locked row: a close that committed since the service read the rifa wins.
      if (stored_estado != "pendiente" && stored_estado != "activa") {
        return make_field_error(ErrorCode::kConflict, "estado", "cannot cancel a rifa that is " + stored_estado);
      }
      // Transactional outbox: the refunds of every paid ticket (settlement/refund_service.hpp)
      // are queued if and only if the cancellation commits.
      jobs::EnqueueRequest refunds;
      refunds.kind = "rifa.refund";
      refunds.payload = {{"rifa_id", r.id}};
      refunds.dedupe_key = "refund:" + r.id;
      refunds.max_attempts = 20;  // waits out pending payments: backoff reaches an hour per try
      jobs::enqueue_in_transaction(sql, backend, refunds, clock_.now());
    }
    return {};
  });
}

}  // namespace rifa::storage
