#pragma once

// Every job kind the host runs, named once (the queue stores the name). For each: its payload and
// dedupe key, who enqueues it and who handles it.
namespace rifa::jobs {

// {rifa_id}, dedupe "close:<rifa>": the settlement scheduler at fecha_fin → SettlementService::close_due.
inline constexpr const char* kRifaClose = "rifa.close";
// {rifa_id}, dedupe "settle:<rifa>": enqueued at close for the draw's expected publication →
// SettlementService::settle.
inline constexpr const char* kRifaSettle = "rifa.settle";
// {ganador_id}, dedupe "payout:<ganador>": one per cash prize, by settlement → PayoutService.
inline constexpr const char* kPayoutSend = "payout.send";
// {rifa_id, reason}, dedupe "refund:<rifa>": a cancelled rifa or the unsold policy "refund" →
// RefundService.
inline constexpr const char* kRifaRefund = "rifa.refund";
// {event, event_id, rifa_id, notifier, occurred_at, data}, dedupe "<event>:<entity>:<notifier>": one
// per notifier bound to the rifa (NotificationPublisher, SettlementService) → NotificationService.
inline constexpr const char* kNotifyDeliver = "notify.deliver";
// No payload, periodic (the scheduler, every interval): holds whose time passed are released after
// asking the provider → PaymentService (host/app/sales_jobs).
inline constexpr const char* kExpireHolds = "sales.expire_holds";
// No payload, periodic: payments pending too long are asked about → PaymentService.
inline constexpr const char* kReconcilePayments = "payments.reconcile";
// No payload, periodic: jugadores inactive past datos_personales.retencion_inactivos_dias have
// their personal data erased → engine::PlayerService::erase_inactive (host/app/job_wiring).
inline constexpr const char* kPersonalDataRetention = "datos.retencion";

}  // namespace rifa::jobs
