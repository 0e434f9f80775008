#include "storage/repositories/sql_refund_repository.hpp"

#include "engine/ticket_estado.hpp"
#include "storage/one_time_statement.hpp"
#include "storage/repositories/audit_writer.hpp"
#include "storage/repositories/sql_support.hpp"
#include "storage/sql_estados.hpp"
#include "storage/timestamps.hpp"

namespace rifa::storage {

using engine::PaymentStatus;
using engine::TicketEstado;

Result<std::optional<std::string>> SqlRefundRepository::rifa_estado(const std::string& rifa_id) {
  return db_.transaction(
      [&](soci::session& sql) -> std::optional<std::string> {
        std::string estado;
        sql << "SELECT estado FROM rifas WHERE id = :id", soci::use(rifa_id), soci::into(estado);
        if (!sql.got_data()) return std::nullopt;
        return estado;
      },
      TransactionMode::kRead);
}

Result<std::vector<settlement::OpenCharge>> SqlRefundRepository::open_charges(const std::string& rifa_id) {
  return db_.transaction(
      [&](soci::session& sql) -> Result<std::vector<settlement::OpenCharge>> {
        std::vector<settlement::OpenCharge> out;
        settlement::OpenCharge c;
        long long amount = 0;
        std::string ref, status;
        soci::indicator ref_ind = soci::i_null;
        soci::statement st = one_time_statement(
            sql,
            "SELECT id, user_id, CAST(amount AS BIGINT), currency, provider, provider_ref, status FROM transacciones "
            "WHERE rifa_id = :id AND status IN " +
                sql_in({PaymentStatus::kSucceeded, PaymentStatus::kPending}) + " ORDER BY created_at, id",
            soci::use(rifa_id), soci::into(c.id), soci::into(c.user_id), soci::into(amount), soci::into(c.currency),
            soci::into(c.provider), soci::into(ref, ref_ind), soci::into(status));
        for_each_row(st, [&] {
          settlement::OpenCharge charge = c;
          charge.amount = amount;
          charge.provider_ref = optional_text(ref, ref_ind);
          charge.status = engine::parse_payment_status(status).value_or(PaymentStatus::kPending);
          out.push_back(std::move(charge));
        });
        return out;
      },
      TransactionMode::kRead);
}

Result<bool> SqlRefundRepository::release(const settlement::ReleasedCharge& charge) {
  const Backend backend = db_.backend();
  const std::string at = format_timestamp(charge.now);
  return db_.transaction([&](soci::session& sql) -> bool {
    soci::statement st =
        one_time_statement(sql,
                           "UPDATE transacciones SET status = " + sql_literal(PaymentStatus::kFailed) +
                               ", failure_reason = :reason, updated_at = :now WHERE id = :id AND status = " +
                               sql_literal(PaymentStatus::kPending),
                           soci::use(charge.reason), soci::use(at), soci::use(charge.transaccion_id));
    st.execute(true);
    if (st.get_affected_rows() != 1) return false;
    sql << "UPDATE tickets SET estado = " + sql_literal(TicketEstado::kDisponible) +
               ", usuario_id = NULL, transaccion_id = NULL, hold_expires_at = NULL, comprado_en = NULL WHERE "
               "transaccion_id = :id AND estado = " +
               sql_literal(TicketEstado::kReservado),
        soci::use(charge.transaccion_id);
    append_audit(sql, backend, audit_record(charge.audit, charge.now));
    return true;
  });
}

Result<bool> SqlRefundRepository::record_refund(const settlement::RecordedRefund& refund) {
  const Backend backend = db_.backend();
  const std::string at = format_timestamp(refund.now);
  const long long amount = refund.amount;
  return db_.transaction([&](soci::session& sql) -> bool {
    sql << "INSERT INTO reembolsos (transaccion_id, rifa_id, amount, provider, refund_ref, status, created_at, "
           "updated_at) VALUES (:id, :rifa, :amount, :provider, :ref, :status, :now, :now2) "
           "ON CONFLICT (transaccion_id) DO UPDATE SET refund_ref = excluded.refund_ref, status = excluded.status, "
           "reason = NULL, updated_at = excluded.updated_at",
        soci::use(refund.transaccion_id), soci::use(refund.rifa_id), soci::use(amount), soci::use(refund.provider),
        soci::use(refund.refund_ref), soci::use(refund.status), soci::use(at), soci::use(at);
    soci::statement st =
        one_time_statement(sql,
                           "UPDATE transacciones SET status = " + sql_literal(PaymentStatus::kRefunded) +
                               ", updated_at = :now WHERE id = :id AND status IN " +
                               sql_in({PaymentStatus::kSucceeded, PaymentStatus::kPending}),
                           soci::use(at), soci::use(refund.transaccion_id));
    st.execute(true);
    if (st.get_affected_rows() != 1) return false;
    sql << "UPDATE tickets SET estado = " + sql_literal(TicketEstado::kAnulado) +
               ", hold_expires_at = NULL WHERE transaccion_id = :id AND estado IN " +
               sql_in({TicketEstado::kVendido, TicketEstado::kGanador, TicketEstado::kReservado}),
        soci::use(refund.transaccion_id);
    append_audit(sql, backend, audit_record(refund.audit, refund.now));
    notifications_.publish(sql, settlement::NotificationEvent{"refund", refund.rifa_id, refund.transaccion_id,
                                                              refund.event_data, refund.now});
    return true;
  });
}

Result<void> SqlRefundRepository::record_refund_failure(const std::string& transaccion_id, const std::string& rifa_id,
                                                        int64_t amount, const std::string& provider,
                                                        const std::string& reason, engine::TimePoint now) {
  const std::string at = format_timestamp(now);
  const long long cents = amount;
  return db_.transaction([&](soci::session& sql) {
    sql << "INSERT INTO reembolsos (transaccion_id, rifa_id, amount, provider, status, reason, created_at, "
           "updated_at) VALUES (:id, :rifa, :amount, :provider, 'failed', :reason, :now, :now2) "
           "ON CONFLICT (transaccion_id) DO UPDATE SET reason = excluded.reason, updated_at = excluded.updated_at",
        soci::use(transaccion_id), soci::use(rifa_id), soci::use(cents), soci::use(provider), soci::use(reason),
        soci::use(at), soci::use(at);
  });
}

Result<settlement::RefundTotals> SqlRefundRepository::totals(const std::string& rifa_id) {
  return db_.transaction(
      [&](soci::session& sql) {
        long long count = 0, cents = 0;
        sql << "SELECT count(*), CAST(coalesce(sum(amount), 0) AS BIGINT) FROM reembolsos WHERE rifa_id = :id AND "
               "status <> 'failed'",
            soci::use(rifa_id), soci::into(count), soci::into(cents);
        return settlement::RefundTotals{count, cents};
      },
      TransactionMode::kRead);
}

Result<void> SqlRefundRepository::notify(const std::string& rifa_id, const std::string& event_type,
                                         const std::string& entity_id, const nlohmann::json& data,
                                         engine::TimePoint now) {
  auto published =
      notifications_.publish(db_, settlement::NotificationEvent{event_type, rifa_id, entity_id, data, now});
  if (!published) return published.error();
  return {};
}

}  // namespace rifa::storage
