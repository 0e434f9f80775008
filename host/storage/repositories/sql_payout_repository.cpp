#include "storage/repositories/sql_payout_repository.hpp"

#include "common/crash_point.hpp"
#include "storage/one_time_statement.hpp"
#include "storage/repositories/audit_writer.hpp"
#include "storage/repositories/payout_records.hpp"
#include "storage/repositories/sql_support.hpp"
#include "storage/timestamps.hpp"

namespace rifa::storage {
namespace {

using settlement::PayoutStatus;
using settlement::PrizeContext;

class SqlPayoutAttempt final : public settlement::PayoutAttempt {
 public:
  explicit SqlPayoutAttempt(OpenTransaction tx) : tx_(std::move(tx)) {}

  Result<std::optional<PrizeContext>> load_prize(const std::string& ganador_id) override {
    return guarded([&]() -> Result<std::optional<PrizeContext>> {
      // Locked first: an approval or a manual payment of this ganador waits for this attempt's pin.
      if (!lock_ganador(tx_.session(), tx_.database().backend(), ganador_id)) return std::optional<PrizeContext>();
      return storage::load_prize(tx_.session(), tx_.database().backend(), ganador_id);
    });
  }

  Result<std::optional<PayoutStatus>> payout(const std::string& ganador_id) override {
    return guarded([&]() -> Result<std::optional<PayoutStatus>> { return read_payout(tx_.session(), ganador_id); });
  }

  Result<void> open_in_kind(const std::string& ganador_id, engine::TimePoint now) override {
    return guarded([&]() -> Result<void> {
      const std::string at = format_timestamp(now);
      tx_.session() << "INSERT INTO payouts (ganador_id, tipo, estado, monto, idempotency_key, creado_en, "
                       "actualizado_en) VALUES (:id, 'in_kind', 'pendiente', 0, :key, :now, :now2) "
                       "ON CONFLICT (ganador_id) DO NOTHING",
          soci::use(ganador_id), soci::use(ganador_id), soci::use(at), soci::use(at);
      return {};
    });
  }

  Result<void> open_cash(const std::string& ganador_id, int64_t monto, const std::string& currency,
                         const std::string& provider, engine::TimePoint now) override {
    return guarded([&]() -> Result<void> {
      const std::string at = format_timestamp(now);
      const long long cents = monto;
      tx_.session() << "INSERT INTO payouts (ganador_id, tipo, estado, monto, currency, provider, idempotency_key, "
                       "intentos, creado_en, actualizado_en) VALUES (:id, 'cash', 'pendiente', :monto, :currency, "
                       ":provider, :key, 0, :now, :now2)",
          soci::use(ganador_id), soci::use(cents), soci::use(currency), soci::use(provider), soci::use(ganador_id),
          soci::use(at), soci::use(at);
      return {};
    });
  }

  Result<void> set_withholding(const std::string& ganador_id, const settlement::Withholding& w) override {
    return guarded([&]() -> Result<void> {
      write_withholding(tx_.session(), ganador_id, w);
      return {};
    });
  }

  Result<void> count_attempt(const std::string& ganador_id, engine::TimePoint now) override {
    return guarded([&]() -> Result<void> {
      const std::string at = format_timestamp(now);
      tx_.session() << "UPDATE payouts SET intentos = intentos + 1, actualizado_en = :now WHERE ganador_id = :id",
          soci::use(at), soci::use(ganador_id);
      return {};
    });
  }

  Result<void> commit() override { return tx_.commit(); }

 private:
  OpenTransaction tx_;
};

}  // namespace

Result<std::unique_ptr<settlement::PayoutAttempt>> SqlPayoutRepository::begin_attempt() {
  auto tx = db_.begin_transaction();
  if (!tx) return tx.error();
  return std::unique_ptr<settlement::PayoutAttempt>(new SqlPayoutAttempt(std::move(*tx)));
}

Result<std::optional<PayoutStatus>> SqlPayoutRepository::find(const std::string& ganador_id) {
  return db_.transaction([&](soci::session& sql) { return read_payout(sql, ganador_id); }, TransactionMode::kRead);
}

Result<void> SqlPayoutRepository::note_reason(const std::string& ganador_id, const std::string& reason,
                                              engine::TimePoint now) {
  const std::string at = format_timestamp(now);
  return db_.transaction([&](soci::session& sql) {
    sql << "UPDATE payouts SET motivo = :m, actualizado_en = :now WHERE ganador_id = :id", soci::use(reason),
        soci::use(at), soci::use(ganador_id);
  });
}

Result<PayoutStatus> SqlPayoutRepository::record_sent(const settlement::PayoutSent& sent) {
  const Backend backend = db_.backend();
  const std::string at = format_timestamp(sent.now);
  return db_.transaction([&](soci::session& sql) -> Result<PayoutStatus> {
    soci::statement st = one_time_statement(sql,
                                            "UPDATE payouts SET estado = 'enviado', referencia = :ref, "
                                            "provider_status = :ps, motivo = NULL, actualizado_en = :now "
                                            "WHERE ganador_id = :id AND estado <> 'enviado'",
                                            soci::use(sent.reference), soci::use(sent.provider_status), soci::use(at),
                                            soci::use(sent.ganador_id));
    st.execute(true);
    if (st.get_affected_rows() == 1) {
      sql << "UPDATE ganadores SET fecha_pago = :now, referencia_pago = :ref WHERE id = :id AND referencia_pago IS "
             "NULL",
          soci::use(at), soci::use(sent.reference), soci::use(sent.ganador_id);
      snapshot_beneficiary(sql, sent.ganador_id);
      append_audit(sql, backend, audit_record(sent.audit, sent.now));
      notifications_.publish(sql, settlement::NotificationEvent{sent.event_type, sent.rifa_id, sent.ganador_id,
                                                                sent.event_data, sent.now});
      crash_point("payout.before_commit");
    }
    auto row = read_payout(sql, sent.ganador_id);
    if (!row) return make_error(ErrorCode::kNotFound, "ganador " + sent.ganador_id + " has no payouts row");
    return *row;
  });
}

Result<void> SqlPayoutRepository::record_declined(const settlement::PayoutDeclined& declined) {
  const Backend backend = db_.backend();
  const std::string at = format_timestamp(declined.now);
  return db_.transaction([&](soci::session& sql) {
    soci::statement st = one_time_statement(sql,
                                            "UPDATE payouts SET estado = 'fallido', motivo = :m, actualizado_en = :now "
                                            "WHERE ganador_id = :id AND estado = 'pendiente'",
                                            soci::use(declined.reason), soci::use(at), soci::use(declined.ganador_id));
    st.execute(true);
    if (st.get_affected_rows() == 1) {
      append_audit(sql, backend, audit_record(declined.audit, declined.now));
      notifications_.publish(sql,
                             settlement::NotificationEvent{declined.event_type, declined.rifa_id, declined.ganador_id,
                                                           declined.event_data, declined.now});
      return;
    }
    sql << "UPDATE payouts SET motivo = :m, actualizado_en = :now WHERE ganador_id = :id", soci::use(declined.reason),
        soci::use(at), soci::use(declined.ganador_id);
  });
}

}  // namespace rifa::storage
