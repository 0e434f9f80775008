#include "settlement/refund_service.hpp"

#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/crash_point.hpp"
#include "storage/repositories/audit_writer.hpp"
#include "storage/sql_estados.hpp"
#include "storage/timestamps.hpp"

namespace rifa::settlement {
namespace {

using nlohmann::json;

constexpr const char* kActor = "job:rifa.refund";

struct Charge {
  std::string id, user_id, currency, provider, status;
  std::optional<std::string> provider_ref;
  int64_t amount = 0;
};

std::vector<Charge> open_charges(soci::session& sql, const std::string& rifa_id) {
  std::vector<Charge> out;
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT id, user_id, amount, currency, provider, provider_ref, status FROM transacciones "
                      "WHERE rifa_id = :id AND status IN " +
                          storage::sql_in({engine::PaymentStatus::kSucceeded, engine::PaymentStatus::kPending}) +
                          " ORDER BY created_at, id",
       soci::use(rifa_id));
  for (const soci::row& r : rows) {
    Charge c;
    c.id = r.get<std::string>(0);
    c.user_id = r.get<std::string>(1);
    c.amount = r.get_properties(2).get_data_type() == soci::dt_integer ? r.get<int>(2) : r.get<long long>(2);
    c.currency = r.get<std::string>(3);
    c.provider = r.get<std::string>(4);
    if (r.get_indicator(5) == soci::i_ok) c.provider_ref = r.get<std::string>(5);
    c.status = r.get<std::string>(6);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

RefundService::RefundService(storage::Database& db, engine::PaymentGateway& payments,
                             const NotificationPublisher& notifications, const engine::Clock& clock)
    : db_(db), payments_(payments), notifications_(notifications), clock_(clock) {}

Result<void> RefundService::handle(const jobs::Job& job) {
  auto it = job.payload.find("rifa_id");
  if (!job.payload.is_object() || it == job.payload.end() || !it->is_string() || it->get<std::string>().empty()) {
    return make_error(ErrorCode::kInvalidArgument, "rifa.refund: payload.rifa_id must be a non-empty string");
  }
  auto done = refund_rifa(it->get<std::string>());
  if (!done) return done.error();
  return {};
}

Result<RefundSummary> RefundService::refund_rifa(const std::string& rifa_id) {
  const storage::Backend backend = db_.backend();
  auto charges = db_.transaction(
      [&](soci::session& sql) -> Result<std::vector<Charge>> {
        std::string estado;
        sql << "SELECT estado FROM rifas WHERE id = :id", soci::use(rifa_id), soci::into(estado);
        if (!sql.got_data()) return make_error(ErrorCode::kNotFound, "rifa " + rifa_id + " does not exist");
        if (estado != "cancelada") {
          return make_error(ErrorCode::kConflict, "rifa " + rifa_id + " is " + estado + ", not cancelada: no refunds");
        }
        return open_charges(sql, rifa_id);
      },
      storage::TransactionMode::kRead);
  if (!charges) return charges.error();

  RefundSummary summary;
  std::string last_problem;
  for (const Charge& charge : *charges) {
    if (!payments_.has_instance(charge.provider)) {
      ++summary.failed;
      last_problem = "transaccion " + charge.id + ": no payment plugin instance '" + charge.provider + "' is loaded";
      continue;
    }

    std::string paid_status = charge.status;
    if (charge.status == "pending") {
      // Whether the buyer paid decides between a refund and simply freeing the numbers.
      if (!charge.provider_ref) {
        ++summary.still_pending;
        continue;
      }
      const auto looked_up = payments_.get_payment(charge.provider, *charge.provider_ref);
      paid_status = looked_up ? engine::to_string(looked_up->status) : "";
      if (paid_status == "failed") {
        const engine::TimePoint now = clock_.now();
        const std::string now_text = storage::format_timestamp(now);
        auto released = db_.transaction([&](soci::session& sql) {
          soci::statement st = (sql.prepare << "UPDATE transacciones SET status = " +
                                                   storage::sql_literal(engine::PaymentStatus::kFailed) +
                                                   ", failure_reason = "
                                                   "'rifa cancelada; the provider reports the payment failed', "
                                                   "updated_at = :now WHERE id = :id AND status = " +
                                                   storage::sql_literal(engine::PaymentStatus::kPending),
                                soci::use(now_text), soci::use(charge.id));
          st.execute(true);
          if (st.get_affected_rows() != 1) return;
          sql << "UPDATE tickets SET estado = " + storage::sql_literal(engine::TicketEstado::kDisponible) +
                     ", usuario_id = NULL, transaccion_id = NULL, hold_expires_at = NULL, comprado_en = NULL WHERE "
                     "transaccion_id = :id AND estado = " + storage::sql_literal(engine::TicketEstado::kReservado),
              soci::use(charge.id);
          storage::append_audit(sql, backend,
                                storage::AuditRecord{kActor, "payment.released", "transacciones", charge.id,
                                                     {{"rifa_id", rifa_id}, {"reason", "rifa cancelada"}}, now});
        });
        if (!released) return released.error();
        ++summary.released;
        continue;
      }
      if (paid_status != "succeeded" && paid_status != "refunded") {
        ++summary.still_pending;
        continue;
      }
    }

    std::string refund_ref = "none: nothing was charged";
    std::string refund_status = "succeeded";
    if (charge.amount > 0) {
      auto sent = payments_.send_refund(charge.provider, charge.provider_ref.value_or(""), charge.amount, charge.id);
      crash_point("refund.after_provider");
      engine::ProviderOutcome outcome;
      if (sent) {
        outcome = std::move(*sent);
      } else {
        outcome.error = sent.error().message;  // the instance went away since has_instance()
      }
      refund_ref = outcome.delivered ? outcome.reference : "";
      refund_status = outcome.delivered ? outcome.status : "failed";
      if (refund_ref.empty() || refund_status == "failed" ||
          (refund_status != "succeeded" && refund_status != "pending")) {
        const std::string reason = outcome.delivered ? "provider answered " + outcome.raw : outcome.error;
        const std::string now_text = storage::format_timestamp(clock_.now());
        const long long amount = charge.amount;
        auto noted = db_.transaction([&](soci::session& sql) {
          sql << "INSERT INTO reembolsos (transaccion_id, rifa_id, amount, provider, status, reason, created_at, "
                 "updated_at) VALUES (:id, :rifa, :amount, :provider, 'failed', :reason, :now, :now2) "
                 "ON CONFLICT (transaccion_id) DO UPDATE SET reason = excluded.reason, updated_at = excluded.updated_at",
              soci::use(charge.id), soci::use(rifa_id), soci::use(amount), soci::use(charge.provider),
              soci::use(reason), soci::use(now_text), soci::use(now_text);
        });
        if (!noted) return noted.error();
        ++summary.failed;
        last_problem = "refund of transaccion " + charge.id + " through '" + charge.provider + "': " + reason;
        continue;
      }
    }

    const engine::TimePoint now = clock_.now();
    const std::string now_text = storage::format_timestamp(now);
    const long long amount = charge.amount;
    auto recorded = db_.transaction([&](soci::session& sql) -> bool {
      sql << "INSERT INTO reembolsos (transaccion_id, rifa_id, amount, provider, refund_ref, status, created_at, "
             "updated_at) VALUES (:id, :rifa, :amount, :provider, :ref, :status, :now, :now2) "
             "ON CONFLICT (transaccion_id) DO UPDATE SET refund_ref = excluded.refund_ref, status = excluded.status, "
             "reason = NULL, updated_at = excluded.updated_at",
          soci::use(charge.id), soci::use(rifa_id), soci::use(amount), soci::use(charge.provider),
          soci::use(refund_ref), soci::use(refund_status), soci::use(now_text), soci::use(now_text);
      soci::statement st = (sql.prepare << "UPDATE transacciones SET status = " +
                                               storage::sql_literal(engine::PaymentStatus::kRefunded) +
                                               ", updated_at = :now WHERE id = :id AND status IN " +
                                               storage::sql_in({engine::PaymentStatus::kSucceeded,
                                                                engine::PaymentStatus::kPending}),
                            soci::use(now_text), soci::use(charge.id));
      st.execute(true);
      if (st.get_affected_rows() != 1) return false;
      sql << "UPDATE tickets SET estado = " + storage::sql_literal(engine::TicketEstado::kAnulado) +
                 ", hold_expires_at = NULL WHERE transaccion_id = :id AND estado IN " +
                 storage::sql_in({engine::TicketEstado::kVendido, engine::TicketEstado::kGanador,
                                  engine::TicketEstado::kReservado}),
          soci::use(charge.id);
      storage::append_audit(sql, backend,
                            storage::AuditRecord{kActor, "refund", "transacciones", charge.id,
                                                 {{"rifa_id", rifa_id},
                                                  {"user_id", charge.user_id},
                                                  {"amount_cents", charge.amount},
                                                  {"currency", charge.currency},
                                                  {"provider", charge.provider},
                                                  {"refund_ref", refund_ref},
                                                  {"status", refund_status}},
                                                 now});
      return true;
    });
    if (!recorded) return recorded.error();
    if (*recorded) {
      ++summary.refunded;
      summary.refunded_cents += charge.amount;
    }
  }

  if (summary.failed > 0 || summary.still_pending > 0) {
    return make_error(ErrorCode::kUnavailable,
                      "rifa " + rifa_id + ": " + std::to_string(summary.refunded) + " refunded, " +
                          std::to_string(summary.failed) + " refund(s) failed, " +
                          std::to_string(summary.still_pending) + " payment(s) still pending; will retry" +
                          (last_problem.empty() ? "" : " (last: " + last_problem + ")"));
  }
  auto notified = db_.transaction([&](soci::session& sql) {
    long long count = 0, cents = 0;
    sql << "SELECT count(*), CAST(coalesce(sum(amount), 0) AS BIGINT) FROM reembolsos WHERE rifa_id = :id AND status <> 'failed'",
        soci::use(rifa_id), soci::into(count), soci::into(cents);
    notifications_.publish(sql, NotificationEvent{"rifa_closed",
                                                  rifa_id,
                                                  rifa_id,
                                                  {{"estado", "cancelada"},
                                                   {"refunds", count},
                                                   {"refunded_cents", cents}},
                                                  clock_.now()});
  });
  if (!notified) return notified.error();
  return summary;
}

}  // namespace rifa::settlement
