#include "storage/repositories/sql_prize_delivery_repository.hpp"

#include "storage/repositories/audit_writer.hpp"
#include "storage/repositories/payout_records.hpp"
#include "storage/timestamps.hpp"

namespace rifa::storage {

using settlement::DeliveredPrize;

Result<settlement::DeliveredPrize> SqlPrizeDeliveryRepository::mark_delivered(const std::string& actor_id,
                                                                              const std::string& ganador_id,
                                                                              engine::TimePoint now) {
  const storage::Backend backend = db_.backend();
  const std::string now_text = storage::format_timestamp(now);
  return db_.transaction([&](soci::session& sql) -> Result<DeliveredPrize> {
    auto prize = load_prize(sql, backend, ganador_id);
    if (!prize) return make_error(ErrorCode::kNotFound, "ganador " + ganador_id + " does not exist");
    if (!prize->in_kind) {
      return make_error(ErrorCode::kConflict, "ganador " + ganador_id +
                                                  " won a cash prize: it is paid through the payment plugin, not "
                                                  "marked delivered");
    }
    sql << "INSERT INTO payouts (ganador_id, tipo, estado, monto, idempotency_key, creado_en, actualizado_en) "
           "VALUES (:id, 'in_kind', 'pendiente', 0, :key, :now, :now2) ON CONFLICT (ganador_id) DO NOTHING",
        soci::use(ganador_id), soci::use(ganador_id), soci::use(now_text), soci::use(now_text);
    soci::statement st = (sql.prepare << "UPDATE payouts SET estado = 'entregado', entregado_por = :actor, "
                                         "actualizado_en = :now WHERE ganador_id = :id AND estado = 'pendiente'",
                          soci::use(actor_id), soci::use(now_text), soci::use(ganador_id));
    st.execute(true);
    if (st.get_affected_rows() == 1) {
      sql << "UPDATE ganadores SET fecha_pago = :now WHERE id = :id AND fecha_pago IS NULL", soci::use(now_text),
          soci::use(ganador_id);
      storage::append_audit(sql, backend,
                            storage::AuditRecord{actor_id, "prize.delivered", "ganadores", ganador_id,
                                                 {{"rifa_id", prize->rifa_id},
                                                  {"ticket_id", prize->ticket_id},
                                                  {"numero", prize->numero},
                                                  {"tier", prize->tier},
                                                  {"description", prize->in_kind_description}},
                                                 now});
    }
    DeliveredPrize out{*prize, *read_payout(sql, ganador_id), std::nullopt};
    std::string fecha;
    soci::indicator fecha_ind = soci::i_null;
    sql << "SELECT fecha_pago FROM ganadores WHERE id = :id", soci::use(ganador_id), soci::into(fecha, fecha_ind);
    if (fecha_ind == soci::i_ok) {
      auto parsed = storage::parse_timestamp(fecha);  // PostgreSQL prints timestamptz its own way
      if (parsed) out.fecha_pago = storage::format_timestamp(*parsed);
    }
    return out;
  });
}

}  // namespace rifa::storage
