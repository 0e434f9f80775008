#include "settlement/payout_service.hpp"

#include <nlohmann/json.hpp>

#include "common/crash_point.hpp"
#include "storage/repositories/audit_writer.hpp"
#include "storage/timestamps.hpp"

namespace rifa::settlement {
namespace {

using nlohmann::json;

constexpr const char* kActor = "job:payout.send";

engine::PayoutRequest payout_request(const PrizeContext& prize, const PayoutStatus& pinned) {
  json beneficiary = {{"user_id", prize.usuario_id.value_or("")}, {"nombre", prize.user_nombre},
                      {"email", prize.user_email}};
  if (prize.user_telefono) beneficiary["telefono"] = *prize.user_telefono;
  engine::PayoutRequest request;
  request.amount_cents = pinned.monto;
  request.currency = pinned.currency;
  request.idempotency_key = pinned.idempotency_key;
  request.beneficiary = beneficiary;
  request.description = "premio " + (prize.tier_name.empty() ? std::to_string(prize.tier) : prize.tier_name) +
                        ", numero " + std::to_string(prize.numero);
  request.metadata = {{"rifa_id", prize.rifa_id}, {"ganador_id", prize.ganador_id}, {"ticket_id", prize.ticket_id},
                      {"tier", prize.tier}};
  return request;
}

json event_data(const PrizeContext& prize, const PayoutStatus& row) {
  json data = {{"ganador_id", prize.ganador_id}, {"ticket_id", prize.ticket_id}, {"numero", prize.numero},
               {"tier", prize.tier},             {"amount_cents", row.monto},     {"currency", row.currency},
               {"usuario_id", prize.usuario_id.value_or("")}};
  if (row.referencia) data["payout_ref"] = *row.referencia;
  if (row.motivo) data["reason"] = *row.motivo;
  return data;
}

}  // namespace

PayoutService::PayoutService(storage::Database& db, engine::PaymentGateway& payments,
                             PaymentBindingResolver bindings,
                             const NotificationPublisher& notifications, const engine::Clock& clock)
    : db_(db), payments_(payments), bindings_(std::move(bindings)), notifications_(notifications), clock_(clock) {}

Result<void> PayoutService::handle(const jobs::Job& job) {
  auto it = job.payload.find("ganador_id");
  if (!job.payload.is_object() || it == job.payload.end() || !it->is_string() || it->get<std::string>().empty()) {
    return make_error(ErrorCode::kInvalidArgument, "payout.send: payload.ganador_id must be a non-empty string");
  }
  auto paid = pay(it->get<std::string>());
  if (!paid) return paid.error();
  return {};
}

Result<std::optional<PayoutStatus>> PayoutService::status(const std::string& ganador_id) {
  return db_.transaction([&](soci::session& sql) { return read_payout(sql, ganador_id); },
                         storage::TransactionMode::kRead);
}

Result<PayoutStatus> PayoutService::pay(const std::string& ganador_id) {
  const storage::Backend backend = db_.backend();
  // Step 1, its own transaction: find the prize, and pin the provider and count the attempt
  // before the provider hears of it, so whatever happens next the retry uses the same provider
  // and key.
  struct Pinned {
    PrizeContext prize;
    PayoutStatus row;
    bool send = false;
  };
  auto pinned = db_.transaction([&](soci::session& sql) -> Result<Pinned> {
    auto prize = load_prize(sql, backend, ganador_id);
    if (!prize) return make_error(ErrorCode::kNotFound, "ganador " + ganador_id + " does not exist");
    Pinned out{*prize, {}, false};
    const std::string now = storage::format_timestamp(clock_.now());
    if (prize->in_kind) {
      sql << "INSERT INTO payouts (ganador_id, tipo, estado, monto, idempotency_key, creado_en, actualizado_en) "
             "VALUES (:id, 'in_kind', 'pendiente', 0, :key, :now, :now2) ON CONFLICT (ganador_id) DO NOTHING",
          soci::use(ganador_id), soci::use(ganador_id), soci::use(now), soci::use(now);
      out.row = *read_payout(sql, ganador_id);
      return out;
    }
    auto existing = read_payout(sql, ganador_id);
    if (existing && existing->estado == "enviado") {
      out.row = *existing;
      return out;
    }
    if (prize->ticket_estado == "anulado" ||
        (prize->transaccion_status && *prize->transaccion_status != "succeeded")) {
      // The purchase was refunded or reversed (disputed): the buyer has their money back, so the
      // ticket wins nothing; paying the prize too would pay out money that never came in.
      return make_error(ErrorCode::kConflict, "ganador " + ganador_id + ": its ticket is " + prize->ticket_estado +
                                                  " and its purchase " +
                                                  prize->transaccion_status.value_or("unknown") +
                                                  "; no prize is paid for a refunded ticket");
    }
    if (prize->rifa_estado != "resuelta") {
      // A cancelled (voided) rifa refunds every ticket instead; paying its prizes too would pay twice.
      return make_error(ErrorCode::kConflict, "ganador " + ganador_id + ": its rifa is " + prize->rifa_estado +
                                                  "; prizes are paid only for a resuelta rifa");
    }
    if (!existing && prize->referencia_pago) {
      return make_error(ErrorCode::kConflict, "ganador " + ganador_id + " already has referencia_pago " +
                                                  *prize->referencia_pago + " but no payouts row; not paying again");
    }
    if (!prize->usuario_id) {
      return make_error(ErrorCode::kInvalidArgument, "ganador " + ganador_id + ": its ticket has no buyer to pay");
    }
    if (!existing) {
      if (prize->monto_ganado <= 0) {
        return make_error(ErrorCode::kInvalidArgument, "ganador " + ganador_id + ": a cash prize of 0 cents");
      }
      const std::string provider = bindings_(prize->rifa_id, prize->categoria_nombre).payment;
      const long long monto = prize->monto_ganado;
      sql << "INSERT INTO payouts (ganador_id, tipo, estado, monto, currency, provider, idempotency_key, intentos, "
             "creado_en, actualizado_en) VALUES (:id, 'cash', 'pendiente', :monto, 'COP', :provider, :key, 0, :now, "
             ":now2)",
          soci::use(ganador_id), soci::use(monto), soci::use(provider), soci::use(ganador_id), soci::use(now),
          soci::use(now);
    } else if (existing->monto != prize->monto_ganado) {
      // The provider knows this key with the first amount; a new amount would be refused by it,
      // and paying the difference silently is not ours to decide.
      return make_error(ErrorCode::kConflict, "ganador " + ganador_id + ": monto_ganado changed from " +
                                                  std::to_string(existing->monto) + " to " +
                                                  std::to_string(prize->monto_ganado) + " after a payout attempt");
    }
    sql << "UPDATE payouts SET intentos = intentos + 1, actualizado_en = :now WHERE ganador_id = :id", soci::use(now),
        soci::use(ganador_id);
    out.row = *read_payout(sql, ganador_id);
    out.send = true;
    return out;
  });
  if (!pinned) return pinned.error();
  if (!pinned->send) return pinned->row;

  const PrizeContext& prize = pinned->prize;
  const PayoutStatus& row = pinned->row;
  crash_point("payout.before_provider");
  auto outcome = payments_.send_payout(*row.provider, payout_request(prize, row));
  if (!outcome) {
    return make_error(ErrorCode::kConfigInvalid,
                      "payout of ganador " + ganador_id + ": no payment plugin instance '" + *row.provider + "' is loaded");
  }
  crash_point("payout.after_provider");
  return record_outcome(prize, row, *outcome);
}

Result<PayoutStatus> PayoutService::record_outcome(const PrizeContext& prize, const PayoutStatus& pinned,
                                                   const engine::ProviderOutcome& outcome) {
  const storage::Backend backend = db_.backend();
  const engine::TimePoint now = clock_.now();
  const std::string now_text = storage::format_timestamp(now);
  const std::string& id = prize.ganador_id;

  if (outcome.delivered) {
    const std::string& ref = outcome.reference;
    const std::string& provider_status = outcome.status;
    if (ref.empty() || provider_status == "failed") {
      // Not an answer we can record as sent; the retry asks again with the same key.
      const std::string reason = "payout of ganador " + id + ": provider '" + *pinned.provider +
                                 "' answered without a payout_ref or with status failed: " + outcome.raw;
      auto noted = db_.transaction([&](soci::session& sql) {
        sql << "UPDATE payouts SET motivo = :m, actualizado_en = :now WHERE ganador_id = :id", soci::use(reason),
            soci::use(now_text), soci::use(id);
      });
      if (!noted) return noted.error();
      return make_error(ErrorCode::kUnavailable, reason);
    }
    return db_.transaction([&](soci::session& sql) -> Result<PayoutStatus> {
      soci::statement st = (sql.prepare << "UPDATE payouts SET estado = 'enviado', referencia = :ref, "
                                           "provider_status = :ps, motivo = NULL, actualizado_en = :now "
                                           "WHERE ganador_id = :id AND estado <> 'enviado'",
                            soci::use(ref), soci::use(provider_status), soci::use(now_text), soci::use(id));
      st.execute(true);
      if (st.get_affected_rows() == 1) {
        sql << "UPDATE ganadores SET fecha_pago = :now, referencia_pago = :ref WHERE id = :id AND referencia_pago IS "
               "NULL",
            soci::use(now_text), soci::use(ref), soci::use(id);
        PayoutStatus row = *read_payout(sql, id);
        storage::append_audit(sql, backend,
                              storage::AuditRecord{kActor, "payout.sent", "ganadores", id,
                                                   {{"rifa_id", prize.rifa_id},
                                                    {"amount_cents", row.monto},
                                                    {"currency", row.currency},
                                                    {"provider", *row.provider},
                                                    {"payout_ref", ref},
                                                    {"provider_status", provider_status},
                                                    {"intentos", row.intentos}},
                                                   now});
        notifications_.publish(sql, NotificationEvent{"payout_sent", prize.rifa_id, id, event_data(prize, row), now});
        crash_point("payout.before_commit");
      }
      return *read_payout(sql, id);
    });
  }

  const std::string reason = outcome.error.empty() ? outcome.status_name : outcome.error;
  const bool declined = outcome.declined;
  auto noted = db_.transaction([&](soci::session& sql) {
    if (declined) {
      // The first decline is the event (audit + payout_failed); later ones only refresh the reason.
      soci::statement st = (sql.prepare << "UPDATE payouts SET estado = 'fallido', motivo = :m, actualizado_en = :now "
                                           "WHERE ganador_id = :id AND estado = 'pendiente'",
                            soci::use(reason), soci::use(now_text), soci::use(id));
      st.execute(true);
      if (st.get_affected_rows() == 1) {
        PayoutStatus row = *read_payout(sql, id);
        storage::append_audit(sql, backend,
                              storage::AuditRecord{kActor, "payout.failed", "ganadores", id,
                                                   {{"rifa_id", prize.rifa_id},
                                                    {"amount_cents", row.monto},
                                                    {"provider", *row.provider},
                                                    {"reason", reason},
                                                    {"intentos", row.intentos}},
                                                   now});
        notifications_.publish(sql,
                               NotificationEvent{"payout_failed", prize.rifa_id, id, event_data(prize, row), now});
        return;
      }
    }
    sql << "UPDATE payouts SET motivo = :m, actualizado_en = :now WHERE ganador_id = :id", soci::use(reason),
        soci::use(now_text), soci::use(id);
  });
  if (!noted) return noted.error();
  return make_error(declined ? ErrorCode::kPaymentDeclined : ErrorCode::kUnavailable,
                    "payout of ganador " + id + " through '" + *pinned.provider + "' (" +
                        outcome.status_name + "): " + reason);
}

}  // namespace rifa::settlement
