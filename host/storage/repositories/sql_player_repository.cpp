#include "storage/repositories/sql_player_repository.hpp"

#include "storage/one_time_statement.hpp"
#include "storage/repositories/payout_records.hpp"
#include "storage/repositories/sql_support.hpp"
#include "storage/timestamps.hpp"

namespace rifa::storage {
namespace {

using Row = std::vector<SqlText>;

std::string ts(Backend backend, const std::string& param) {
  return backend == Backend::kPostgresql ? "CAST(" + param + " AS TIMESTAMPTZ)" : param;
}

std::optional<engine::TimePoint> opt_time(const SqlText& v) {
  if (!v) return std::nullopt;
  return read_timestamp(*v);
}

engine::Exclusion exclusion_at(const Row& r) {
  engine::Exclusion e;
  e.id = r[0].value_or("");
  e.usuario_id = r[1].value_or("");
  e.periodo = r[2].value_or("");
  e.desde = read_timestamp(r[3].value_or(""));
  e.hasta = opt_time(r[4]);
  e.levantamiento_solicitado_en = opt_time(r[5]);
  return e;
}

std::string quoted(const std::string& name) { return "\"" + name + "\""; }

// Every row of `table` matching `where` (one parameter), every column as text; the password hash
// is never exported.
nlohmann::json dump(soci::session& sql, Database& db, const std::string& table, const std::string& where,
                    const std::string& param, int uses = 1) {
  const auto columns = table_columns(sql, db.backend(), table);
  std::string select;
  for (const auto& c : columns) {
    if (!select.empty()) select += ", ";
    select += "CAST(" + quoted(c) + " AS TEXT)";
  }
  nlohmann::json rows = nlohmann::json::array();
  if (columns.empty()) return rows;
  auto found = db.statements(sql).query("SELECT " + select + " FROM " + quoted(table) + " WHERE " + where,
                                        std::vector<SqlText>(static_cast<std::size_t>(uses), param), columns.size());
  for (const auto& r : found) {
    nlohmann::json row = nlohmann::json::object();
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (columns[i] == "hashed_password") continue;
      row[columns[i]] = r[i] ? nlohmann::json(*r[i]) : nlohmann::json(nullptr);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> tables_with_user_column(soci::session& sql, Backend backend) {
  std::vector<std::pair<std::string, std::string>> out;
  std::string table, column;
  const std::string query =
      backend == Backend::kPostgresql
          ? "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND column_name IN ('user_id', 'usuario_id') ORDER BY table_name, column_name"
          : "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p "
            "WHERE m.type = 'table' AND p.name IN ('user_id', 'usuario_id') ORDER BY m.name, p.name";
  soci::statement st = one_time_statement(sql, query, soci::into(table), soci::into(column));
  for_each_row(st, [&] { out.emplace_back(table, column); });
  return out;
}

std::vector<std::string> table_columns(soci::session& sql, Backend backend, const std::string& table) {
  std::vector<std::string> out;
  std::string column;
  const std::string query = backend == Backend::kPostgresql
                                ? "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                                  "current_schema() AND table_name = :t ORDER BY ordinal_position"
                                : "SELECT name FROM pragma_table_info(:t) ORDER BY cid";
  soci::statement st = one_time_statement(sql, query, soci::use(table), soci::into(column));
  for_each_row(st, [&] { out.push_back(column); });
  return out;
}

Result<std::optional<engine::PlayerState>> SqlPlayerRepository::state(const std::string& user_id) {
  return db_.transaction(
      [&](soci::session& sql) -> std::optional<engine::PlayerState> {
        auto rows = db_.statements(sql).query(
            "SELECT autoexcluido_hasta, limites, limites_pendientes, anonimizado_en FROM users WHERE id = :id",
            {user_id}, 4);
        if (rows.empty()) return std::nullopt;
        engine::PlayerState s;
        s.autoexcluido_hasta = opt_time(rows[0][0]);
        s.limites = rows[0][1];
        s.limites_pendientes = rows[0][2];
        s.anonimizado_en = opt_time(rows[0][3]);
        return s;
      },
      TransactionMode::kRead);
}

Result<void> SqlPlayerRepository::add_exclusion(const engine::Exclusion& e, engine::TimePoint users_until,
                                                const engine::AuditEntry& audit) {
  const Backend backend = db_.backend();
  return db_.transaction([&](soci::session& sql) {
    StatementCache& st = db_.statements(sql);
    st.execute("INSERT INTO autoexclusiones (id, usuario_id, periodo, desde, hasta) VALUES (:id, :u, :p, " +
                   ts(backend, ":d") + ", " + ts(backend, ":h") + ")",
               {e.id, e.usuario_id, e.periodo, format_timestamp(e.desde),
                e.hasta ? SqlText(format_timestamp(*e.hasta)) : SqlText()});
    const std::string until = format_timestamp(users_until);
    st.execute("UPDATE users SET autoexcluido_hasta = " + ts(backend, ":h") +
                   " WHERE id = :id AND (autoexcluido_hasta IS NULL OR autoexcluido_hasta < " + ts(backend, ":h2") +
                   ")",
               {until, e.usuario_id, until});
    append_audit(sql, backend, audit_record(audit, e.desde));
  });
}

Result<void> SqlPlayerRepository::request_lift(const std::string& exclusion_id, const std::string& user_id,
                                               engine::TimePoint requested, engine::TimePoint ends,
                                               engine::TimePoint indefinite_end, const engine::AuditEntry& audit) {
  const Backend backend = db_.backend();
  return db_.transaction([&](soci::session& sql) {
    StatementCache& st = db_.statements(sql);
    st.execute("UPDATE autoexclusiones SET levantamiento_solicitado_en = " + ts(backend, ":r") + ", hasta = " +
                   ts(backend, ":h") + " WHERE id = :id AND usuario_id = :u AND levantamiento_solicitado_en IS NULL",
               {format_timestamp(requested), format_timestamp(ends), exclusion_id, user_id});
    st.execute("UPDATE users SET autoexcluido_hasta = " + ts(backend, ":h") +
                   " WHERE id = :id AND autoexcluido_hasta = " + ts(backend, ":inf"),
               {format_timestamp(ends), user_id, format_timestamp(indefinite_end)});
    append_audit(sql, backend, audit_record(audit, requested));
  });
}

Result<std::vector<engine::Exclusion>> SqlPlayerRepository::exclusions(const std::optional<std::string>& user_id) {
  return db_.transaction(
      [&](soci::session& sql) {
        std::vector<engine::Exclusion> out;
        const std::string columns =
            "SELECT id, usuario_id, periodo, desde, hasta, levantamiento_solicitado_en FROM autoexclusiones ";
        auto rows = user_id ? db_.statements(sql).query(columns + "WHERE usuario_id = :u ORDER BY desde DESC, id",
                                                        {*user_id}, 6)
                            : db_.statements(sql).query(columns + "ORDER BY desde DESC, id LIMIT 1000", {}, 6);
        for (const auto& r : rows) out.push_back(exclusion_at(r));
        return out;
      },
      TransactionMode::kRead);
}

Result<void> SqlPlayerRepository::set_limits(const std::string& user_id, const std::optional<std::string>& limites,
                                             const std::optional<std::string>& pendientes,
                                             const engine::AuditEntry& audit) {
  const Backend backend = db_.backend();
  return db_.transaction([&](soci::session& sql) {
    db_.statements(sql).execute("UPDATE users SET limites = :l, limites_pendientes = :p WHERE id = :id",
                                {limites, pendientes, user_id});
    append_audit(sql, backend, audit_record(audit, clock_.now()));
  });
}

Result<nlohmann::json> SqlPlayerRepository::export_data(const std::string& user_id) {
  return db_.transaction(
      [&](soci::session& sql) {
        nlohmann::json tables = nlohmann::json::object();
        tables["users"] = dump(sql, db_, "users", "id = :id", user_id);
        // Every table with a user column, found in the schema: a table added later is exported too.
        for (const auto& [table, column] : tables_with_user_column(sql, db_.backend())) {
          tables[table] = dump(sql, db_, table, quoted(column) + " = :id", user_id);
        }
        // Rows that belong to the player through their tickets and transacciones.
        tables["ganadores"] =
            dump(sql, db_, "ganadores", "ticket_id IN (SELECT id FROM tickets WHERE usuario_id = :id)", user_id);
        tables["payouts"] = dump(sql, db_, "payouts",
                                 "ganador_id IN (SELECT g.id FROM ganadores g JOIN tickets t ON t.id = g.ticket_id "
                                 "WHERE t.usuario_id = :id)",
                                 user_id);
        tables["cuentas_pago"] = dump(sql, db_, "cuentas_pago",
                                      "ganador_id IN (SELECT g.id FROM ganadores g JOIN tickets t ON t.id = "
                                      "g.ticket_id WHERE t.usuario_id = :id)",
                                      user_id);
        tables["reembolsos"] = dump(sql, db_, "reembolsos",
                                    "transaccion_id IN (SELECT id FROM transacciones WHERE user_id = :id)", user_id);
        // Audit rows by or about the player, or about their tickets, transacciones and ganadores
        // (a payment confirmed by the provider, a prize paid), or naming them in their data.
        static const std::string kMine =
            "SELECT id FROM transacciones WHERE user_id = :o1 UNION ALL SELECT id FROM tickets WHERE usuario_id = "
            ":o2 UNION ALL SELECT g.id FROM ganadores g JOIN tickets t ON t.id = g.ticket_id WHERE t.usuario_id = :o3";
        tables["audit_log"] = dump(sql, db_, "audit_log",
                                   "actor = :id OR entity_id = :id2 OR entity_id IN (" + kMine +
                                       ") OR CAST(data AS TEXT) LIKE '%' || CAST(:id3 AS TEXT) || '%'",
                                   user_id, 6);
        // Jobs naming the player, their transacciones or their ganadores in the payload (a payout,
        // a notification of their prize): work about them, with their data in it.
        tables["jobs"] =
            dump(sql, db_, "jobs",
                 "CAST(payload AS TEXT) LIKE '%' || CAST(:id AS TEXT) || '%' OR EXISTS (SELECT 1 FROM transacciones x "
                 "WHERE x.user_id = :id2 AND CAST(jobs.payload AS TEXT) LIKE '%' || x.id || '%') OR EXISTS (SELECT 1 "
                 "FROM ganadores g JOIN tickets t ON t.id = g.ticket_id WHERE t.usuario_id = :id3 AND "
                 "CAST(jobs.payload AS TEXT) LIKE '%' || g.id || '%')",
                 user_id, 3);
        // The live feed's outbox (PostgreSQL, migration 0025): events not relayed yet name the buyer.
        if (!table_columns(sql, db_.backend(), "live_outbox").empty()) {
          tables["live_outbox"] =
              dump(sql, db_, "live_outbox", "payload LIKE '%' || CAST(:id AS TEXT) || '%'", user_id);
        }
        std::string email;
        sql << "SELECT email FROM users WHERE id = :id", soci::use(user_id), soci::into(email);
        tables["login_throttle"] = dump(sql, db_, "login_throttle", "throttle_key = :k", "account:" + email);
        return nlohmann::json{{"tables", std::move(tables)}};
      },
      TransactionMode::kRead);
}

Result<bool> SqlPlayerRepository::erase(const engine::Erasure& e) {
  const Backend backend = db_.backend();
  return db_.transaction([&](soci::session& sql) -> Result<bool> {
    StatementCache& st = db_.statements(sql);
    auto old = st.query("SELECT email FROM users WHERE id = :id", {e.user_id}, 1);
    if (old.empty()) return false;
    // The failed log-in counter is keyed by the email.
    st.execute("DELETE FROM login_throttle WHERE throttle_key = :k", {"account:" + old[0][0].value_or("")});
    // The withholding records keep their beneficiary (the law makes the operator keep them): a
    // prize not yet paid takes its snapshot now, while the users row still has it.
    snapshot_beneficiary(sql, "ticket_id IN (SELECT id FROM tickets WHERE usuario_id = :id)", e.user_id);
    // Personal fields go; the row, its id (the pseudonym) and everything financial pointing to it
    // stay. No password can match '!' (not a hash), is_active is off, and every token is refused.
    st.execute(
        "UPDATE users SET nombre = 'Titular anonimizado', email = :email, email_skeleton = NULL, "
        "telefono = NULL, documento_tipo = NULL, documento_numero = NULL, fecha_nacimiento = NULL, "
        "notificaciones = NULL, hashed_password = '!', is_active = false, "
        "tokens_valid_from_s = 9000000000000, anonimizado_en = " +
            ts(backend, ":at") + " WHERE id = :id",
        {e.pseudonym_email, format_timestamp(e.at), e.user_id});
    // Where the player asked to be paid (migration 0021) is personal data with no money in it: the
    // payouts rows keep what was paid and its reference.
    st.execute(
        "DELETE FROM cuentas_pago WHERE ganador_id IN (SELECT g.id FROM ganadores g JOIN tickets t ON "
        "t.id = g.ticket_id WHERE t.usuario_id = :id)",
        {e.user_id});
    append_audit(sql, backend, audit_record(e.audit, e.at));
    return true;
  });
}

Result<std::vector<std::string>> SqlPlayerRepository::inactive_since(engine::TimePoint cutoff, int limit) {
  const Backend backend = db_.backend();
  return db_.transaction(
      [&](soci::session& sql) {
        std::vector<std::string> out;
        const std::string c = format_timestamp(cutoff);
        auto rows = db_.statements(sql).query(
            "SELECT u.id FROM users u WHERE u.rol = 'jugador' AND u.anonimizado_en IS NULL AND u.creado_en < " +
                ts(backend, ":c1") + " AND (u.ultima_actividad IS NULL OR u.ultima_actividad < " + ts(backend, ":c2") +
                ") AND NOT EXISTS (SELECT 1 FROM transacciones t WHERE t.user_id = u.id AND t.created_at >= " +
                ts(backend, ":c3") + ") ORDER BY u.id LIMIT " + std::to_string(limit),
            {c, c, c}, 1);
        for (const auto& r : rows) out.push_back(r[0].value_or(""));
        return out;
      },
      TransactionMode::kRead);
}

}  // namespace rifa::storage
