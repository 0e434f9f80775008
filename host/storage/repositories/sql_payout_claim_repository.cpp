#include "storage/repositories/sql_payout_claim_repository.hpp"

#include "engine/jobs/job_kinds.hpp"
#include "storage/job_outbox.hpp"
#include "storage/one_time_statement.hpp"
#include "storage/repositories/audit_writer.hpp"
#include "storage/repositories/payout_records.hpp"
#include "storage/repositories/sql_support.hpp"
#include "storage/sql_estados.hpp"
#include "storage/timestamps.hpp"

namespace rifa::storage {
namespace {

using settlement::PayoutStatus;
using settlement::PrizeContext;

class SqlPayoutClaimTx final : public settlement::PayoutClaimTx {
 public:
  SqlPayoutClaimTx(OpenTransaction tx, const settlement::NotificationPublisher& notifications)
      : tx_(std::move(tx)), notifications_(notifications) {}

  Result<std::optional<PrizeContext>> lock_prize(const std::string& ganador_id) override {
    return guarded([&]() -> Result<std::optional<PrizeContext>> {
      if (!lock_ganador(tx_.session(), backend(), ganador_id)) return std::optional<PrizeContext>();
      return load_prize(tx_.session(), backend(), ganador_id);
    });
  }

  Result<std::optional<PayoutStatus>> payout(const std::string& ganador_id) override {
    return guarded([&]() -> Result<std::optional<PayoutStatus>> { return read_payout(tx_.session(), ganador_id); });
  }

  Result<std::optional<std::string>> fecha_pago(const std::string& ganador_id) override {
    return guarded([&]() -> Result<std::optional<std::string>> {
      std::string fecha;
      soci::indicator ind = soci::i_null;
      tx_.session() << "SELECT fecha_pago FROM ganadores WHERE id = :id", soci::use(ganador_id), soci::into(fecha, ind);
      std::optional<std::string> out;
      if (ind != soci::i_ok) return out;
      // PostgreSQL prints timestamptz its own way
      if (auto parsed = parse_timestamp(fecha)) out = format_timestamp(*parsed);
      return out;
    });
  }

  Result<void> save_account(const std::string& ganador_id, const settlement::PayoutAccount& a,
                            const std::string& actor_id, engine::TimePoint now) override {
    return guarded([&]() -> Result<void> {
      const std::string at = format_timestamp(now);
      auto text = [](const std::string& v) { return NullableText(v.empty() ? std::nullopt : std::optional(v)); };
      NullableText banco = text(a.banco), tipo_cuenta = text(a.tipo_cuenta), numero = text(a.numero),
                   telefono = text(a.telefono);
      tx_.session() << "DELETE FROM cuentas_pago WHERE ganador_id = :id", soci::use(ganador_id);
      tx_.session() << "INSERT INTO cuentas_pago (ganador_id, tipo, banco, tipo_cuenta, numero, telefono, "
                       "documento_tipo, documento_numero, registrada_por, creado_en, actualizado_en) VALUES (:id, "
                       ":tipo, :banco, :tipo_cuenta, :numero, :telefono, :dt, :dn, :actor, :now, :now2)",
          soci::use(ganador_id), soci::use(a.tipo), soci::use(banco.value, banco.indicator),
          soci::use(tipo_cuenta.value, tipo_cuenta.indicator), soci::use(numero.value, numero.indicator),
          soci::use(telefono.value, telefono.indicator), soci::use(a.documento_tipo), soci::use(a.documento_numero),
          soci::use(actor_id), soci::use(at), soci::use(at);
      return {};
    });
  }

  Result<void> approve(const std::string& ganador_id, const std::string& actor_id, engine::TimePoint now) override {
    return guarded([&]() -> Result<void> {
      const std::string at = format_timestamp(now);
      tx_.session() << "UPDATE ganadores SET aprobado_por = :actor, aprobado_en = :now WHERE id = :id AND "
                       "aprobado_por IS NULL",
          soci::use(actor_id), soci::use(at), soci::use(ganador_id);
      return {};
    });
  }

  Result<void> queue_payout(const std::string& ganador_id, int max_attempts, engine::TimePoint now) override {
    return guarded([&]() -> Result<void> {
      // The job settlement queued ("payout:<id>") ended when it found the prize waiting for
      // approval; one still queued will see the approval when it runs. Otherwise a second job.
      long long queued = 0;
      const std::string first = std::string("payout:") + ganador_id, again = "payout-approved:" + ganador_id;
      tx_.session() << std::string("SELECT count(*) FROM jobs WHERE kind = '") + jobs::kPayoutSend +
                           "' AND status = " + sql_literal(jobs::JobStatus::kQueued) +
                           " AND dedupe_key IN (:first, :again)",
          soci::use(first), soci::use(again), soci::into(queued);
      if (queued > 0) return {};
      jobs::EnqueueRequest request;
      request.kind = jobs::kPayoutSend;
      request.payload = {{"ganador_id", ganador_id}};
      request.dedupe_key = again;
      request.max_attempts = max_attempts;
      jobs::enqueue_in_transaction(tx_.session(), backend(), request, now);
      return {};
    });
  }

  Result<void> record_manual(const std::string& ganador_id, int64_t monto, const std::string& referencia,
                             const std::string& actor_id, engine::TimePoint now) override {
    return guarded([&]() -> Result<void> {
      const std::string at = format_timestamp(now);
      const long long cents = monto;
      soci::session& sql = tx_.session();
      sql << "INSERT INTO payouts (ganador_id, tipo, estado, monto, currency, provider, idempotency_key, intentos, "
             "creado_en, actualizado_en) VALUES (:id, 'cash', 'pendiente', :monto, 'COP', 'manual', :key, 0, :now, "
             ":now2) ON CONFLICT (ganador_id) DO NOTHING",
          soci::use(ganador_id), soci::use(cents), soci::use(ganador_id), soci::use(at), soci::use(at);
      soci::statement st =
          one_time_statement(sql,
                             "UPDATE payouts SET estado = 'enviado', provider = 'manual', "
                             "referencia = :ref, provider_status = 'manual', motivo = NULL, "
                             "entregado_por = :actor, actualizado_en = :now WHERE ganador_id = :id "
                             "AND estado <> 'enviado'",
                             soci::use(referencia), soci::use(actor_id), soci::use(at), soci::use(ganador_id));
      st.execute(true);
      if (st.get_affected_rows() != 1) {
        return make_error(ErrorCode::kConflict, "ganador " + ganador_id + ": its payout was recorded meanwhile");
      }
      sql << "UPDATE ganadores SET fecha_pago = :now, referencia_pago = :ref WHERE id = :id", soci::use(at),
          soci::use(referencia), soci::use(ganador_id);
      snapshot_beneficiary(sql, ganador_id);
      return {};
    });
  }

  Result<void> set_withholding(const std::string& ganador_id, const settlement::Withholding& w) override {
    return guarded([&]() -> Result<void> {
      write_withholding(tx_.session(), ganador_id, w);
      return {};
    });
  }

  Result<bool> payout_job_running(const std::string& ganador_id, engine::TimePoint now) override {
    return guarded([&]() -> Result<bool> {
      const std::string at = format_timestamp(now);
      const std::string first = std::string("payout:") + ganador_id, again = "payout-approved:" + ganador_id;
      long long running = 0;
      tx_.session() << std::string("SELECT count(*) FROM jobs WHERE kind = '") + jobs::kPayoutSend +
                           "' AND status = " + sql_literal(jobs::JobStatus::kRunning) +
                           " AND dedupe_key IN (:first, :again) AND lease_expires_at > :now",
          soci::use(first), soci::use(again), soci::use(at), soci::into(running);
      return running > 0;
    });
  }

  Result<void> cancel_payout_jobs(const std::string& ganador_id, const std::string& reason,
                                  engine::TimePoint now) override {
    return guarded([&]() -> Result<void> {
      const std::string at = format_timestamp(now);
      const std::string first = std::string("payout:") + ganador_id, again = "payout-approved:" + ganador_id;
      const std::string kind = std::string("kind = '") + jobs::kPayoutSend + "' AND dedupe_key IN (:first, :again)";
      tx_.session() << "UPDATE jobs SET status = " + sql_literal(jobs::JobStatus::kDead) +
                           ", last_error = :reason, dedupe_key = NULL, updated_at = :now WHERE " + kind +
                           " AND status = " + sql_literal(jobs::JobStatus::kQueued),
          soci::use(reason), soci::use(at), soci::use(first), soci::use(again);
      tx_.session() << "UPDATE jobs SET dedupe_key = NULL WHERE " + kind + " AND status <> " +
                           sql_literal(jobs::JobStatus::kRunning),
          soci::use(first), soci::use(again);
      return {};
    });
  }

  Result<void> declare_failed(const std::string& ganador_id, const std::string& motivo,
                              engine::TimePoint now) override {
    return guarded([&]() -> Result<void> {
      const std::string at = format_timestamp(now);
      soci::statement st = one_time_statement(tx_.session(),
                                              "UPDATE payouts SET estado = 'fallido', motivo = :m, actualizado_en = "
                                              ":now WHERE ganador_id = :id AND estado = 'pendiente'",
                                              soci::use(motivo), soci::use(at), soci::use(ganador_id));
      st.execute(true);
      if (st.get_affected_rows() != 1) {
        return make_error(ErrorCode::kConflict, "ganador " + ganador_id + ": its payout changed meanwhile");
      }
      return {};
    });
  }

  Result<void> void_approval(const std::string& ganador_id) override {
    return guarded([&]() -> Result<void> {
      tx_.session() << "UPDATE ganadores SET aprobado_por = NULL, aprobado_en = NULL WHERE id = :id",
          soci::use(ganador_id);
      return {};
    });
  }

  Result<void> audit(const engine::AuditEntry& entry, engine::TimePoint now) override {
    return guarded([&]() -> Result<void> {
      append_audit(tx_.session(), backend(), audit_record(entry, now));
      return {};
    });
  }

  Result<void> notify(const std::string& type, const std::string& rifa_id, const std::string& entity_id,
                      const nlohmann::json& data, engine::TimePoint now) override {
    return guarded([&]() -> Result<void> {
      notifications_.publish(tx_.session(), settlement::NotificationEvent{type, rifa_id, entity_id, data, now});
      return {};
    });
  }

  Result<void> commit() override { return tx_.commit(); }

 private:
  Backend backend() { return tx_.database().backend(); }

  OpenTransaction tx_;
  const settlement::NotificationPublisher& notifications_;
};

}  // namespace

Result<std::unique_ptr<settlement::PayoutClaimTx>> SqlPayoutClaimRepository::begin() {
  auto tx = db_.begin_transaction();
  if (!tx) return tx.error();
  return std::unique_ptr<settlement::PayoutClaimTx>(new SqlPayoutClaimTx(std::move(*tx), notifications_));
}

}  // namespace rifa::storage
