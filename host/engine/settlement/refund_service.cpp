#include "engine/settlement/refund_service.hpp"

#include "common/crash_point.hpp"
#include "engine/catalog.hpp"

namespace rifa::settlement {
namespace {

constexpr const char* kActor = "job:rifa.refund";

}  // namespace

RefundService::RefundService(RefundRepository& refunds, engine::PaymentGateway& payments, const engine::Clock& clock)
    : refunds_(refunds), payments_(payments), clock_(clock) {}

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
  using engine::PaymentStatus;
  auto estado = refunds_.rifa_estado(rifa_id);
  if (!estado) return estado.error();
  if (!*estado) return make_error(ErrorCode::kNotFound, "rifa " + rifa_id + " does not exist");
  if (**estado != engine::to_string(engine::RifaEstado::kCancelada)) {
    return make_error(ErrorCode::kConflict, "rifa " + rifa_id + " is " + **estado + ", not cancelada: no refunds");
  }
  auto charges = refunds_.open_charges(rifa_id);
  if (!charges) return charges.error();

  RefundSummary summary;
  std::string last_problem;
  for (const OpenCharge& charge : *charges) {
    if (!payments_.has_instance(charge.provider)) {
      ++summary.failed;
      last_problem = "transaccion " + charge.id + ": no payment plugin instance '" + charge.provider + "' is loaded";
      continue;
    }

    if (charge.status == PaymentStatus::kPending) {
      // Whether the buyer paid decides between a refund and simply freeing the numbers.
      if (!charge.provider_ref) {
        ++summary.still_pending;
        continue;
      }
      const auto looked_up = payments_.get_payment(charge.provider, *charge.provider_ref);
      const std::optional<PaymentStatus> paid =
          looked_up ? std::optional<PaymentStatus>(looked_up->status) : std::nullopt;
      if (paid == PaymentStatus::kFailed) {
        auto released =
            refunds_.release(ReleasedCharge{charge.id, "rifa cancelada; the provider reports the payment failed",
                                            engine::AuditEntry{kActor,
                                                               "payment.released",
                                                               "transacciones",
                                                               charge.id,
                                                               {{"rifa_id", rifa_id}, {"reason", "rifa cancelada"}}},
                                            clock_.now()});
        if (!released) return released.error();
        if (*released) ++summary.released;
        continue;
      }
      if (paid != PaymentStatus::kSucceeded && paid != PaymentStatus::kRefunded) {
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
      if (refund_ref.empty() || (refund_status != "succeeded" && refund_status != "pending")) {
        const std::string reason = outcome.delivered ? "provider answered " + outcome.raw : outcome.error;
        auto noted =
            refunds_.record_refund_failure(charge.id, rifa_id, charge.amount, charge.provider, reason, clock_.now());
        if (!noted) return noted.error();
        ++summary.failed;
        last_problem = "refund of transaccion " + charge.id + " through '" + charge.provider + "': " + reason;
        continue;
      }
    }

    auto recorded = refunds_.record_refund(RecordedRefund{charge.id,
                                                          rifa_id,
                                                          charge.amount,
                                                          charge.provider,
                                                          refund_ref,
                                                          refund_status,
                                                          engine::AuditEntry{kActor,
                                                                             "refund",
                                                                             "transacciones",
                                                                             charge.id,
                                                                             {{"rifa_id", rifa_id},
                                                                              {"user_id", charge.user_id},
                                                                              {"amount_cents", charge.amount},
                                                                              {"currency", charge.currency},
                                                                              {"provider", charge.provider},
                                                                              {"refund_ref", refund_ref},
                                                                              {"status", refund_status}}},
                                                          {{"user_id", charge.user_id},
                                                           {"transaccion_id", charge.id},
                                                           {"amount_cents", charge.amount},
                                                           {"currency", charge.currency},
                                                           {"refund_ref", refund_ref},
                                                           {"reason", "rifa cancelada"}},
                                                          clock_.now()});
    if (!recorded) return recorded.error();
    if (*recorded) {
      ++summary.refunded;
      summary.refunded_cents += charge.amount;
    }
  }

  if (summary.failed > 0 || summary.still_pending > 0) {
    return make_error(ErrorCode::kUnavailable, "rifa " + rifa_id + ": " + std::to_string(summary.refunded) +
                                                   " refunded, " + std::to_string(summary.failed) +
                                                   " refund(s) failed, " + std::to_string(summary.still_pending) +
                                                   " payment(s) still pending; will retry" +
                                                   (last_problem.empty() ? "" : " (last: " + last_problem + ")"));
  }
  auto totals = refunds_.totals(rifa_id);
  if (!totals) return totals.error();
  auto notified = refunds_.notify(
      rifa_id, "rifa_closed", rifa_id,
      {{"estado", "cancelada"}, {"refunds", totals->refunds}, {"refunded_cents", totals->refunded_cents}},
      clock_.now());
  if (!notified) return notified.error();
  return summary;
}

}  // namespace rifa::settlement
