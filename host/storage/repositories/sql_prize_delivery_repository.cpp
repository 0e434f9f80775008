#include "storage/repositories/sql_prize_delivery_repository.hpp"

#include "engine/settlement/payout_claim_service.hpp"
#include "storage/repositories/audit_writer.hpp"
#include "storage/repositories/payout_records.hpp"
#include "storage/timestamps.hpp"

namespace rifa::storage {

using settlement::DeliveredPrize;

namespace {

// The year of payment decides the withholding of a prize in kind still owed (not recorded paid,
// not delivered), as it does a cash prize's (settlement::withholding_at_payment).
Result<void> decide_for_payment_year(soci::session& sql, const settlement::TaxRules& tax,
                                     settlement::PrizeContext& prize, engine::TimePoint now) {
  if (prize.retencion_pagada_en) return {};
  if (auto row = read_payout(sql, prize.ganador_id); row && row->estado == "entregado") return {};
  auto w = settlement::withholding_at_payment(tax, prize.bruto_cents, prize.uvt_anio, now);
  if (!w) return make_error(w.error().code, "ganador " + prize.ganador_id + ": " + w.error().message);
  if (*w) {
    write_withholding(sql, prize.ganador_id, **w);
    settlement::apply_withholding(prize, **w);
  }
  return {};
}

}  // namespace

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
    if (auto decided = decide_for_payment_year(sql, tax_, *prize, now); !decided) return decided.error();
    if (prize->retencion_cents > 0 && !prize->retencion_pagada_en) {
      return make_field_error(ErrorCode::kConflict, "retencion",
                              "ganador " + ganador_id +
                                  ": the winner owes the withholding on prizes (retención en "
                                  "la fuente) of " +
                                  std::to_string(prize->retencion_cents) +
                                  " cents on this prize's commercial value; record it paid (POST /ganadores/" +
                                  ganador_id + "/retencion) before delivering");
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
      storage::snapshot_beneficiary(sql, ganador_id);
      storage::append_audit(sql, backend,
                            storage::AuditRecord{actor_id,
                                                 "prize.delivered",
                                                 "ganadores",
                                                 ganador_id,
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

namespace {

// The ganador's prize with its payouts row (opened pendiente if none) and fecha_pago.
DeliveredPrize read_delivered(soci::session& sql, Backend backend, const std::string& ganador_id,
                              engine::TimePoint now) {
  const std::string now_text = storage::format_timestamp(now);
  sql << "INSERT INTO payouts (ganador_id, tipo, estado, monto, idempotency_key, creado_en, actualizado_en) "
         "VALUES (:id, 'in_kind', 'pendiente', 0, :key, :now, :now2) ON CONFLICT (ganador_id) DO NOTHING",
      soci::use(ganador_id), soci::use(ganador_id), soci::use(now_text), soci::use(now_text);
  DeliveredPrize out{*load_prize(sql, backend, ganador_id), *read_payout(sql, ganador_id), std::nullopt};
  std::string fecha;
  soci::indicator fecha_ind = soci::i_null;
  sql << "SELECT fecha_pago FROM ganadores WHERE id = :id", soci::use(ganador_id), soci::into(fecha, fecha_ind);
  if (fecha_ind == soci::i_ok) {
    if (auto parsed = storage::parse_timestamp(fecha)) out.fecha_pago = storage::format_timestamp(*parsed);
  }
  return out;
}

}  // namespace

Result<DeliveredPrize> SqlPrizeDeliveryRepository::record_withholding_paid(const std::string& actor_id,
                                                                           const std::string& ganador_id,
                                                                           const std::string& referencia,
                                                                           engine::TimePoint now) {
  const storage::Backend backend = db_.backend();
  const std::string now_text = storage::format_timestamp(now);
  return db_.transaction([&](soci::session& sql) -> Result<DeliveredPrize> {
    auto prize = load_prize(sql, backend, ganador_id);
    if (!prize) return make_error(ErrorCode::kNotFound, "ganador " + ganador_id + " does not exist");
    if (!prize->in_kind) {
      return make_error(ErrorCode::kConflict,
                        "ganador " + ganador_id + " won a cash prize: its withholding was kept from the payout");
    }
    if (auto decided = decide_for_payment_year(sql, tax_, *prize, now); !decided) return decided.error();
    if (prize->retencion_cents <= 0) {
      return make_error(ErrorCode::kConflict, "ganador " + ganador_id + ": this prize owes no withholding");
    }
    if (auto named = settlement::check_withholding_beneficiary(*prize); !named) return named.error();
    soci::statement st =
        (sql.prepare << "UPDATE ganadores SET retencion_pagada_en = :now, retencion_referencia = :ref, "
                        "retencion_registrada_por = :actor WHERE id = :id AND retencion_pagada_en IS NULL",
         soci::use(now_text), soci::use(referencia), soci::use(actor_id), soci::use(ganador_id));
    st.execute(true);
    if (st.get_affected_rows() == 1) {
      storage::snapshot_beneficiary(sql, ganador_id);
      storage::append_audit(sql, backend,
                            storage::AuditRecord{actor_id,
                                                 "prize.withholding_paid",
                                                 "ganadores",
                                                 ganador_id,
                                                 {{"rifa_id", prize->rifa_id},
                                                  {"tier", prize->tier},
                                                  {"monto_bruto", prize->bruto_cents},
                                                  {"retencion", prize->retencion_cents},
                                                  {"uvt_anio", prize->uvt_anio},
                                                  {"referencia", referencia}},
                                                 now});
    }
    return read_delivered(sql, backend, ganador_id, now);
  });
}

}  // namespace rifa::storage
