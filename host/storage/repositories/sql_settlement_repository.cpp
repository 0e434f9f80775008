#include "storage/repositories/sql_settlement_repository.hpp"

#include "engine/jobs/job_kinds.hpp"
#include "storage/job_outbox.hpp"
#include "storage/one_time_statement.hpp"
#include "storage/repositories/payout_records.hpp"
#include "storage/repositories/sql_support.hpp"
#include "storage/sha256.hpp"
#include "storage/sql_estados.hpp"
#include "storage/timestamps.hpp"

namespace rifa::storage {
namespace {

using settlement::ApplyOutcome;

std::string json_col(Backend b, const std::string& column) {
  return b == Backend::kPostgresql ? column + "::text" : column;
}

std::optional<std::string> stamp(const std::string& text, soci::indicator ind) {
  if (ind != soci::i_ok) return std::nullopt;
  return format_timestamp(read_timestamp(text));
}

// Locks the rifa row for the rest of the transaction and returns its estado (nullopt: no rifa).
std::optional<std::string> lock_rifa(soci::session& sql, Backend backend, const std::string& rifa_id) {
  std::string estado;
  soci::indicator ind = soci::i_null;
  sql << std::string("SELECT estado FROM rifas WHERE id = :id") +
             (backend == Backend::kPostgresql ? " FOR UPDATE" : ""),
      soci::use(rifa_id), soci::into(estado, ind);
  if (!sql.got_data() || ind != soci::i_ok) return std::nullopt;
  return estado;
}

// ganadores, winning tickets, audit rows and outbox jobs of a settlement write.
void write_ganadores(soci::session& sql, Backend backend, const settlement::SettlementWrite& w, engine::TimePoint now) {
  for (const auto& g : w.ganadores) {
    long long monto = g.monto_cents, bruto = g.bruto_cents, retencion = g.retencion_cents, neto = g.neto_cents;
    long long umbral = g.retencion_umbral_cents;
    int tier = g.tier, anio = g.uvt_anio, tarifa = g.retencion_tarifa_bp;
    soci::indicator anio_ind = anio > 0 ? soci::i_ok : soci::i_null, tarifa_ind = anio_ind, umbral_ind = anio_ind;
    sql << "INSERT INTO ganadores (id, ticket_id, tier, monto_ganado, monto_bruto, retencion, monto_neto, uvt_anio, "
           "retencion_tarifa_bp, retencion_umbral) VALUES (:id, :ticket, :tier, :monto, :bruto, :retencion, :neto, "
           ":anio, :tarifa, :umbral)",
        soci::use(g.id), soci::use(g.ticket_id), soci::use(tier), soci::use(monto), soci::use(bruto),
        soci::use(retencion), soci::use(neto), soci::use(anio, anio_ind), soci::use(tarifa, tarifa_ind),
        soci::use(umbral, umbral_ind);
    snapshot_beneficiary(sql, g.id);
    sql << "UPDATE tickets SET estado = " + sql_literal(engine::TicketEstado::kGanador) +
               " WHERE id = :id AND estado IN " + sql_sold_tickets(),
        soci::use(g.ticket_id);
  }
  for (const auto& a : w.audit) append_audit(sql, backend, audit_record(a, now));
  for (const auto& j : w.jobs) jobs::enqueue_in_transaction(sql, backend, j, now);
}

// Payments still pending when sales close are failed and their numbers released before the draw
// can be known, so no pending hold can turn into a sale (or a free option on the result) later. A
// confirmation arriving afterwards finds the transaccion failed and is refunded through the
// payment plugin (PaymentService); released_at makes reconciliation ask the provider once later,
// for a success whose webhook never arrives. Runs under the rifa's FOR UPDATE lock; confirmations take it
// FOR SHARE (SqlSalesRepository::settle), so none slips in between.
void release_pending_holds(soci::session& sql, Backend backend, const std::string& rifa_id, engine::TimePoint now) {
  std::vector<std::string> pending;
  {
    std::string id;
    soci::statement st = one_time_statement(
        sql,
        "SELECT id FROM transacciones WHERE rifa_id = :r AND status = " + sql_literal(engine::PaymentStatus::kPending) +
            " ORDER BY created_at, id",
        soci::use(rifa_id), soci::into(id));
    for_each_row(st, [&] { pending.push_back(id); });
  }
  if (pending.empty()) return;
  const std::string at = format_timestamp(now);
  const std::string reason = "the rifa closed before the payment was confirmed; its numbers were released";
  for (const auto& id : pending) {
    soci::statement st =
        one_time_statement(sql,
                           "UPDATE transacciones SET status = " + sql_literal(engine::PaymentStatus::kFailed) +
                               ", failure_reason = :reason, updated_at = :now, released_at = :now2 "
                               "WHERE id = :id AND status = " +
                               sql_literal(engine::PaymentStatus::kPending),
                           soci::use(reason), soci::use(at), soci::use(at), soci::use(id));
    st.execute(true);
    if (st.get_affected_rows() != 1) continue;
    sql << "UPDATE tickets SET estado = " + sql_literal(engine::TicketEstado::kDisponible) +
               ", usuario_id = NULL, transaccion_id = NULL, hold_expires_at = NULL WHERE transaccion_id = :id AND "
               "estado = " +
               sql_literal(engine::TicketEstado::kReservado),
        soci::use(id);
    append_audit(
        sql, backend,
        AuditRecord{
            "settlement",
            "payment.failed",
            "transacciones",
            id,
            {{"from", "pending"}, {"to", "failed"}, {"source", "rifa_close"}, {"rifa_id", rifa_id}, {"reason", reason}},
            now});
  }
}

const char* kPayoutKeysOfRifa =
    "SELECT 'payout:' || g.id FROM ganadores g JOIN tickets t ON t.id = g.ticket_id WHERE t.rifa_id = :rifa";

}  // namespace

Result<std::optional<settlement::RifaToSettle>> SqlSettlementRepository::find_rifa(const std::string& rifa_id) {
  const Backend b = db_.backend();
  return db_.transaction(
      [&](soci::session& sql) -> std::optional<settlement::RifaToSettle> {
        settlement::RifaToSettle r;
        std::string estado, meta, fecha_sorteo, fecha_fin, reglas, commitment;
        soci::indicator sorteo_ind = soci::i_null, commitment_ind = soci::i_null;
        long long categoria_fund = 0, fondo_recibido = 0;
        sql << "SELECT r.id, r.estado, c.nombre, c.rake_bp, r.loteria_id, l.plugin_instance, " + json_col(b, "l.meta") +
                   ", " + (b == Backend::kPostgresql ? "to_char(r.fecha_sorteo, 'YYYY-MM-DD')" : "r.fecha_sorteo") +
                   ", r.fecha_fin, " + json_col(b, "r.reglas") +
                   ", r.total_boletas, c.fondo_acumulado, r.fondo_recibido, " + json_col(b, "r.commitment") +
                   " FROM rifas r "
                   "JOIN categoria_rifa c ON c.id = r.categoria_id "
                   "JOIN loterias l ON l.id = r.loteria_id WHERE r.id = :id",
            soci::use(rifa_id), soci::into(r.id), soci::into(estado), soci::into(r.categoria_nombre),
            soci::into(r.rake_bp), soci::into(r.loteria_id), soci::into(r.lottery_instance), soci::into(meta),
            soci::into(fecha_sorteo, sorteo_ind), soci::into(fecha_fin), soci::into(reglas),
            soci::into(r.total_boletas), soci::into(categoria_fund), soci::into(fondo_recibido),
            soci::into(commitment, commitment_ind);
        if (!sql.got_data()) return std::nullopt;
        r.estado = engine::parse_rifa_estado(estado).value_or(engine::RifaEstado::kPendiente);
        r.loteria_meta = nlohmann::json::parse(meta, nullptr, false);
        if (r.loteria_meta.is_discarded()) r.loteria_meta = nlohmann::json::object();
        r.fecha_sorteo = optional_text(fecha_sorteo, sorteo_ind);
        r.fecha_fin = read_timestamp(fecha_fin);
        r.reglas = nlohmann::json::parse(reglas);
        r.categoria_fund_cents = categoria_fund;
        r.fondo_recibido_cents = fondo_recibido;
        // Unparsable stays a string: the service refuses it rather than fall back to live values.
        if (commitment_ind == soci::i_ok) {
          r.commitment = nlohmann::json::parse(commitment, nullptr, false);
          if (r.commitment.is_discarded()) r.commitment = commitment;
        }
        return r;
      },
      TransactionMode::kRead);
}

Result<engine::RifaEstado> SqlSettlementRepository::close(const std::string& rifa_id, const engine::AuditEntry& audit,
                                                          const std::vector<jobs::EnqueueRequest>& jobs) {
  const Backend b = db_.backend();
  const auto now = clock_.now();
  return db_.transaction([&](soci::session& sql) -> Result<engine::RifaEstado> {
    auto estado = lock_rifa(sql, b, rifa_id);
    if (!estado) return make_error(ErrorCode::kNotFound, "rifa " + rifa_id + " does not exist");
    if (*estado != "activa") return engine::parse_rifa_estado(*estado).value_or(engine::RifaEstado::kPendiente);
    sql << "UPDATE rifas SET estado = 'cerrada' WHERE id = :id AND estado = 'activa'", soci::use(rifa_id);
    append_audit(sql, b, audit_record(audit, now));
    release_pending_holds(sql, b, rifa_id, now);
    for (const auto& j : jobs) jobs::enqueue_in_transaction(sql, b, j, now);
    return engine::RifaEstado::kCerrada;
  });
}

Result<std::vector<settlement::SoldTicket>> SqlSettlementRepository::sold_tickets(const std::string& rifa_id) {
  return db_.transaction(
      [&](soci::session& sql) {
        std::vector<settlement::SoldTicket> out;
        constexpr size_t kBatch = 2000;
        std::vector<std::string> ids(kBatch), users(kBatch);
        std::vector<int> numeros(kBatch);
        std::vector<long long> precios(kBatch);
        std::vector<soci::indicator> user_ind(kBatch);
        soci::statement st = (sql.prepare << "SELECT id, numero, CAST(precio AS BIGINT), usuario_id FROM tickets "
                                             "WHERE rifa_id = :rifa AND estado IN " +
                                                 sql_sold_tickets() + " ORDER BY numero",
                              soci::use(rifa_id), soci::into(ids), soci::into(numeros), soci::into(precios),
                              soci::into(users, user_ind));
        st.execute();
        while (st.fetch()) {
          for (size_t i = 0; i < ids.size(); ++i) {
            out.push_back({ids[i], numeros[i], precios[i], optional_text(users[i], user_ind[i])});
          }
          ids.resize(kBatch);
          numeros.resize(kBatch);
          precios.resize(kBatch);
          users.resize(kBatch);
          user_ind.resize(kBatch);
        }
        return out;
      },
      TransactionMode::kRead);
}

Result<void> SqlSettlementRepository::record_rejected(const std::string& rifa_id, const settlement::RejectedDraw& d,
                                                      const engine::AuditEntry& audit) {
  const Backend b = db_.backend();
  const auto now = clock_.now();
  return db_.transaction([&](soci::session& sql) {
    const std::string id = jobs::random_uuid(), at = format_timestamp(now);
    sql << "INSERT INTO resultados_rechazados (id, rifa_id, plugin_instance, fecha_sorteo, respuesta, motivo, "
           "rechazado_en) VALUES (:id, :rifa, :instance, :fecha, :respuesta, :motivo, :at)",
        soci::use(id), soci::use(rifa_id), soci::use(d.plugin_instance), soci::use(d.fecha_sorteo),
        soci::use(d.respuesta), soci::use(d.motivo), soci::use(at);
    append_audit(sql, b, audit_record(audit, now));
  });
}

Result<int64_t> SqlSettlementRepository::count_rejected(const std::string& rifa_id) {
  return db_.transaction(
      [&](soci::session& sql) {
        long long n = 0;
        sql << "SELECT count(*) FROM resultados_rechazados WHERE rifa_id = :id", soci::use(rifa_id), soci::into(n);
        return static_cast<int64_t>(n);
      },
      TransactionMode::kRead);
}

Result<std::optional<settlement::StoredDraw>> SqlSettlementRepository::find_draw(const std::string& rifa_id) {
  const Backend b = db_.backend();
  return db_.transaction(
      [&](soci::session& sql) -> std::optional<settlement::StoredDraw> {
        settlement::StoredDraw d;
        std::string resultado, url, sha, tomado;
        long long sorteo = 0;
        soci::indicator sorteo_ind = soci::i_null, url_ind = soci::i_null, sha_ind = soci::i_null;
        sql << "SELECT plugin_instance, " +
                   std::string(b == Backend::kPostgresql ? "to_char(fecha_sorteo, 'YYYY-MM-DD')" : "fecha_sorteo") +
                   ", CAST(sorteo AS BIGINT), " + json_col(b, "resultado") +
                   ", source_url, raw_sha256, tomado_en FROM resultados_sorteo WHERE rifa_id = :id",
            soci::use(rifa_id), soci::into(d.plugin_instance), soci::into(d.fecha_sorteo),
            soci::into(sorteo, sorteo_ind), soci::into(resultado), soci::into(url, url_ind), soci::into(sha, sha_ind),
            soci::into(tomado);
        if (!sql.got_data()) return std::nullopt;
        if (sorteo_ind == soci::i_ok) d.sorteo = sorteo;
        d.resultado = nlohmann::json::parse(resultado);
        d.source_url = optional_text(url, url_ind);
        d.raw_sha256 = optional_text(sha, sha_ind);
        d.tomado_en = format_timestamp(read_timestamp(tomado));
        return d;
      },
      TransactionMode::kRead);
}

Result<std::vector<settlement::GanadorView>> SqlSettlementRepository::ganadores(const std::string& rifa_id) {
  return db_.transaction(
      [&](soci::session& sql) {
        std::vector<settlement::GanadorView> out;
        settlement::GanadorView g;
        long long monto = 0, bruto = 0, retencion = 0, neto = 0;
        int anio = 0;
        std::string usuario, fecha, ref, estado, motivo, status, error, ret_fecha, ret_ref;
        soci::indicator usuario_ind, fecha_ind, ref_ind, estado_ind, motivo_ind, status_ind, error_ind, anio_ind,
            ret_fecha_ind, ret_ref_ind;
        soci::statement st =
            (sql.prepare << "SELECT g.id, g.ticket_id, t.numero, g.tier, CAST(g.monto_ganado AS BIGINT), t.usuario_id, "
                            "g.fecha_pago, COALESCE(g.referencia_pago, p.referencia), p.estado, p.motivo, j.status, "
                            "j.last_error, CAST(COALESCE(g.monto_bruto, g.monto_ganado) AS BIGINT), "
                            "CAST(g.retencion AS BIGINT), CAST(COALESCE(g.monto_neto, g.monto_ganado) AS BIGINT), "
                            "g.uvt_anio, g.retencion_pagada_en, g.retencion_referencia "
                            "FROM ganadores g JOIN tickets t ON t.id = g.ticket_id "
                            "LEFT JOIN payouts p ON p.ganador_id = g.id "
                            "LEFT JOIN jobs j ON j.dedupe_key = 'payout:' || g.id "
                            "WHERE t.rifa_id = :rifa ORDER BY g.tier, t.numero",
             soci::use(rifa_id), soci::into(g.id), soci::into(g.ticket_id), soci::into(g.numero), soci::into(g.tier),
             soci::into(monto), soci::into(usuario, usuario_ind), soci::into(fecha, fecha_ind),
             soci::into(ref, ref_ind), soci::into(estado, estado_ind), soci::into(motivo, motivo_ind),
             soci::into(status, status_ind), soci::into(error, error_ind), soci::into(bruto), soci::into(retencion),
             soci::into(neto), soci::into(anio, anio_ind), soci::into(ret_fecha, ret_fecha_ind),
             soci::into(ret_ref, ret_ref_ind));
        st.execute();
        while (st.fetch()) {
          g.monto_cents = monto;
          g.bruto_cents = bruto;
          g.retencion_cents = retencion;
          g.neto_cents = neto;
          g.uvt_anio = anio_ind == soci::i_ok ? anio : 0;
          g.retencion_pagada_en = stamp(ret_fecha, ret_fecha_ind);
          g.retencion_referencia = optional_text(ret_ref, ret_ref_ind);
          g.usuario_id = optional_text(usuario, usuario_ind);
          g.fecha_pago = stamp(fecha, fecha_ind);
          g.referencia_pago = optional_text(ref, ref_ind);
          g.payout_estado = optional_text(estado, estado_ind);
          g.payout_motivo = optional_text(motivo, motivo_ind);
          g.payout_job_status = optional_text(status, status_ind);
          g.payout_last_error = optional_text(error, error_ind);
          out.push_back(g);
        }
        return out;
      },
      TransactionMode::kRead);
}

Result<ApplyOutcome> SqlSettlementRepository::apply(const settlement::SettlementWrite& w) {
  const Backend b = db_.backend();
  const auto now = clock_.now();
  return db_.transaction([&](soci::session& sql) -> Result<ApplyOutcome> {
    auto estado = lock_rifa(sql, b, w.rifa_id);
    if (!estado) return make_error(ErrorCode::kNotFound, "rifa " + w.rifa_id + " does not exist");
    if (*estado != "cerrada") return ApplyOutcome::kAlreadySettled;
    if (w.draw) {
      const auto& d = *w.draw;
      const std::string id = name_based_uuid("rifa1122-draw:" + w.rifa_id), resultado = d.resultado.dump(),
                        at = format_timestamp(now);
      long long sorteo = d.sorteo.value_or(0);
      soci::indicator sorteo_ind = d.sorteo ? soci::i_ok : soci::i_null;
      NullableText url(d.source_url), sha(d.raw_sha256);
      sql << "INSERT INTO resultados_sorteo (id, rifa_id, plugin_instance, fecha_sorteo, sorteo, resultado, "
             "source_url, raw_sha256, tomado_en) VALUES (:id, :rifa, :instance, :fecha, :sorteo, :resultado, :url, "
             ":sha, :at)",
          soci::use(id), soci::use(w.rifa_id), soci::use(d.plugin_instance), soci::use(d.fecha_sorteo),
          soci::use(sorteo, sorteo_ind), soci::use(resultado), soci::use(url.value, url.indicator),
          soci::use(sha.value, sha.indicator), soci::use(at);
    }
    if (w.carried_in_cents > 0) {
      // Only if the fund still holds what was planned with: another rifa of the categoria may have
      // taken it since (PostgreSQL re-checks the WHERE after waiting for that writer).
      long long carried_in = w.carried_in_cents;
      soci::statement take = one_time_statement(sql,
                                                "UPDATE categoria_rifa SET fondo_acumulado = fondo_acumulado - :amount "
                                                "WHERE id = (SELECT categoria_id FROM rifas WHERE id = :id) "
                                                "AND fondo_acumulado >= :amount2",
                                                soci::use(carried_in), soci::use(w.rifa_id), soci::use(carried_in));
      take.execute(true);
      if (take.get_affected_rows() != 1) {
        return make_error(ErrorCode::kConflict, "the categoria's carried-over fund changed while rifa " + w.rifa_id +
                                                    " was settling; nothing was written, settle it again");
      }
      sql << "UPDATE rifas SET fondo_recibido = :amount WHERE id = :id", soci::use(carried_in), soci::use(w.rifa_id);
    }
    write_ganadores(sql, b, w, now);
    const std::string new_estado = engine::to_string(w.new_estado);
    sql << "UPDATE rifas SET estado = :estado WHERE id = :id", soci::use(new_estado), soci::use(w.rifa_id);
    if (w.carry_over_cents > 0) {
      long long carry = w.carry_over_cents;
      sql << "UPDATE categoria_rifa SET fondo_acumulado = fondo_acumulado + :carry WHERE id = "
             "(SELECT categoria_id FROM rifas WHERE id = :id)",
          soci::use(carry), soci::use(w.rifa_id);
    }
    return ApplyOutcome::kApplied;
  });
}

Result<void> SqlSettlementRepository::replace_ganadores(const settlement::SettlementWrite& w) {
  const Backend b = db_.backend();
  const auto now = clock_.now();
  return db_.transaction([&](soci::session& sql) -> Result<void> {
    auto estado = lock_rifa(sql, b, w.rifa_id);
    if (!estado) return make_error(ErrorCode::kNotFound, "rifa " + w.rifa_id + " does not exist");
    if (*estado != "resuelta") {
      return make_field_error(ErrorCode::kConflict, "estado", "the rifa is " + *estado + ", not resuelta");
    }
    long long paid = 0, sending = 0;
    sql << "SELECT count(*) FROM ganadores g JOIN tickets t ON t.id = g.ticket_id LEFT JOIN payouts p ON "
           "p.ganador_id = g.id WHERE t.rifa_id = :rifa AND (g.fecha_pago IS NOT NULL OR g.referencia_pago IS NOT NULL "
           "OR p.estado IN ('enviado', 'entregado') OR (p.estado = 'pendiente' AND p.intentos > 0))",
        soci::use(w.rifa_id), soci::into(paid);
    sql << std::string("SELECT count(*) FROM jobs WHERE kind = '") + jobs::kPayoutSend + "' AND status IN " +
               sql_in({jobs::JobStatus::kRunning, jobs::JobStatus::kSucceeded}) + " AND dedupe_key IN (" +
               kPayoutKeysOfRifa + ")",
        soci::use(w.rifa_id), soci::into(sending);
    if (paid > 0 || sending > 0) {
      return make_error(ErrorCode::kConflict, "prizes cannot be recalculated: " + std::to_string(paid + sending) +
                                                  " payout(s) were already sent or are being sent");
    }
    sql << std::string("DELETE FROM jobs WHERE kind = '") + jobs::kPayoutSend + "' AND status IN " +
               sql_in({jobs::JobStatus::kQueued, jobs::JobStatus::kFailed, jobs::JobStatus::kDead}) +
               " AND dedupe_key IN (" + kPayoutKeysOfRifa + ")",
        soci::use(w.rifa_id);
    sql << "DELETE FROM payouts WHERE ganador_id IN (SELECT g.id FROM ganadores g JOIN tickets t ON t.id = g.ticket_id "
           "WHERE t.rifa_id = :rifa)",
        soci::use(w.rifa_id);
    sql << "DELETE FROM ganadores WHERE ticket_id IN (SELECT id FROM tickets WHERE rifa_id = :rifa)",
        soci::use(w.rifa_id);
    sql << "UPDATE tickets SET estado = " + sql_literal(engine::TicketEstado::kVendido) +
               " WHERE rifa_id = :rifa AND estado = " + sql_literal(engine::TicketEstado::kGanador),
        soci::use(w.rifa_id);
    write_ganadores(sql, b, w, now);
    return {};
  });
}

Result<std::vector<std::string>> SqlSettlementRepository::due_for_close(engine::TimePoint now, int limit) {
  const std::string at = format_timestamp(now);
  return db_.transaction(
      [&](soci::session& sql) {
        std::vector<std::string> out;
        soci::rowset<std::string> rows =
            (sql.prepare << "SELECT id FROM rifas WHERE estado = 'activa' AND fecha_fin <= :now "
                            "ORDER BY fecha_fin, id LIMIT " +
                                std::to_string(limit),
             soci::use(at));
        for (const auto& id : rows) out.push_back(id);
        return out;
      },
      TransactionMode::kRead);
}

Result<std::vector<std::string>> SqlSettlementRepository::awaiting_draw(int limit) {
  return db_.transaction(
      [&](soci::session& sql) {
        std::vector<std::string> out;
        soci::rowset<std::string> rows =
            (sql.prepare
             << "SELECT r.id FROM rifas r WHERE r.estado = 'cerrada' AND NOT EXISTS "
                "(SELECT 1 FROM resultados_sorteo s WHERE s.rifa_id = r.id) ORDER BY r.fecha_fin, r.id LIMIT " +
                    std::to_string(limit));
        for (const auto& id : rows) out.push_back(id);
        return out;
      },
      TransactionMode::kRead);
}

Result<bool> SqlSettlementRepository::enqueue(const jobs::EnqueueRequest& job) {
  const Backend b = db_.backend();
  const auto now = clock_.now();
  return db_.transaction([&](soci::session& sql) { return jobs::enqueue_in_transaction(sql, b, job, now); });
}

Result<int64_t> SqlSettlementRepository::prune_succeeded_jobs(const std::vector<std::string>& kinds,
                                                              engine::TimePoint before) {
  const std::string at = format_timestamp(before);
  return db_.transaction([&](soci::session& sql) {
    int64_t removed = 0;
    for (const auto& kind : kinds) {
      soci::statement st = one_time_statement(sql,
                                              "DELETE FROM jobs WHERE kind = :kind AND status IN " +
                                                  sql_in({jobs::JobStatus::kSucceeded, jobs::JobStatus::kDead}) +
                                                  " AND updated_at < :before",
                                              soci::use(kind), soci::use(at));
      st.execute(true);
      removed += st.get_affected_rows();
    }
    return removed;
  });
}

}  // namespace rifa::storage
