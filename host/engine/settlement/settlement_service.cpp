#include "engine/settlement/settlement_service.hpp"
#include "engine/jobs/job_kinds.hpp"

#include <map>
#include <set>

#include "common/sha256.hpp"
#include "engine/iso_time.hpp"
#include "engine/settlement/commitment.hpp"
#include "engine/settlement/draw_validation.hpp"
#include "engine/settlement/notification_event.hpp"
#include "engine/validation.hpp"

namespace rifa::settlement {
namespace {

using nlohmann::json;

constexpr const char* kSchedulerActor = "scheduler";
constexpr const char* kSettlementActor = "settlement";

json draw_summary(const ValidDraw& d, const std::string& instance) {
  json s = {{"plugin_instance", instance}, {"fecha_sorteo", d.date}, {"numbers", d.numbers.numbers}};
  if (!d.numbers.series.empty()) s["series"] = d.numbers.series;
  if (!d.numbers.extra.empty()) s["extra"] = d.numbers.extra;
  if (d.draw_number) s["draw_number"] = *d.draw_number;
  if (d.source_url) s["source_url"] = *d.source_url;
  if (d.raw_sha256) s["raw_sha256"] = *d.raw_sha256;
  return s;
}

}  // namespace

const char* to_string(SettleStatus status) {
  switch (status) {
    case SettleStatus::kSettled: return "settled";
    case SettleStatus::kVoided: return "voided";
    case SettleStatus::kAlreadySettled: return "already_settled";
    case SettleStatus::kNotPublished: return "not_published";
    case SettleStatus::kRejected: return "rejected";
  }
  return "?";
}

std::string ganador_id(const std::string& ticket_id, int tier) {
  return name_based_uuid("rifa1122-ganador:" + ticket_id + ":" + std::to_string(tier));
}

SettlementService::SettlementService(SettlementRepository& repo, LotteryGateway* lotteries, NotifierResolver notifiers,
                                     const engine::Clock& clock, std::shared_ptr<spdlog::logger> logger,
                                     MetricsRegistry* metrics, SettlementOptions options)
    : repo_(repo),
      lotteries_(lotteries),
      notifiers_(std::move(notifiers)),
      clock_(clock),
      logger_(std::move(logger)),
      metrics_(metrics),
      options_(options) {}

Result<std::optional<RifaToSettle>> SettlementService::load(const std::string& rifa_id) {
  auto found = repo_.find_rifa(rifa_id);
  if (!found) return found.error();
  if (!*found || (*found)->commitment.is_null()) return found;
  RifaToSettle rifa = std::move(**found);
  auto frozen = commitment_from_json(rifa.commitment);
  if (!frozen) {
    return make_error(ErrorCode::kInternal, "rifa " + rifa_id + ": its stored commitment cannot be read (" +
                                                frozen.error().message + "); not settling on live values");
  }
  if (frozen->lottery_instance != rifa.lottery_instance) {
    logger_->warn("rifa {}: its loteria now names lottery instance '{}'; settling on the committed '{}'", rifa_id,
                  rifa.lottery_instance, frozen->lottery_instance);
  }
  rifa.lottery_instance = frozen->lottery_instance;
  rifa.fecha_sorteo = frozen->draw_date;
  rifa.reglas = frozen->reglas;
  rifa.total_boletas = frozen->total_boletas;
  rifa.rake_bp = frozen->rake_bp;
  return std::optional<RifaToSettle>(std::move(rifa));
}

void SettlementService::count(const std::string& outcome) {
  if (!metrics_) return;
  metrics_->counter("rifa_settlement_attempts_total", "Settlement attempts by outcome", {{"outcome", outcome}}).inc();
}

std::string SettlementService::draw_date_of(const RifaToSettle& rifa) {
  if (rifa.fecha_sorteo) return *rifa.fecha_sorteo;
  if (lotteries_) {
    if (auto schedule = lotteries_->schedule(rifa.lottery_instance); schedule.ok()) {
      if (auto date = first_draw_date(*schedule, rifa.fecha_fin)) return *date;
    }
  }
  return bogota_date(rifa.fecha_fin);
}

engine::TimePoint SettlementService::settle_run_at(const std::string& lottery_instance, const std::string& draw_date) {
  const engine::TimePoint now = clock_.now();
  if (!lotteries_) return now;
  auto schedule = lotteries_->schedule(lottery_instance);
  if (!schedule) return now;
  return std::max(now, expected_publication(*schedule, draw_date));
}

void SettlementService::notify(std::vector<jobs::EnqueueRequest>& out, const RifaToSettle& rifa,
                               const std::string& event, const std::string& entity_id, const json& data) const {
  const std::vector<std::string> bound =
      notifiers_ ? notifiers_(rifa.id, rifa.categoria_nombre) : std::vector<std::string>{};
  for (const auto& notifier : bound) {
    jobs::EnqueueRequest job;
    job.kind = jobs::kNotifyDeliver;
    // The payload NotificationService reads (settlement/notification_publisher.hpp).
    job.payload = {{"event", event},       {"event_id", event_uuid(event + ":" + entity_id)}, {"rifa_id", rifa.id},
                   {"notifier", notifier}, {"occurred_at", event_time(clock_.now())},         {"data", data}};
    job.dedupe_key = event + ":" + entity_id + ":" + notifier;
    job.max_attempts = options_.job_max_attempts;
    out.push_back(std::move(job));
  }
}

Result<engine::RifaEstado> SettlementService::close(const engine::Actor& actor, const std::string& rifa_id) {
  if (!actor.is_staff()) {
    return make_error(ErrorCode::kPermissionDenied, "closing a rifa requires the operador or admin role");
  }
  return close_as(actor.user_id, rifa_id);
}

Result<engine::RifaEstado> SettlementService::close_due(const std::string& rifa_id) {
  auto estado = close_as(kSchedulerActor, rifa_id);
  // Cancelled (or sent back) after the job was queued: nothing is due any more.
  if (!estado && estado.error().code == ErrorCode::kConflict) {
    logger_->info("rifa {}: not closed at fecha_fin: {}", rifa_id, estado.error().message);
    return engine::RifaEstado::kCancelada;
  }
  return estado;
}

Result<engine::RifaEstado> SettlementService::close_as(const std::string& actor_id, const std::string& rifa_id) {
  auto found = load(rifa_id);
  if (!found) return found.error();
  if (!*found) return make_error(ErrorCode::kNotFound, "rifa " + rifa_id + " does not exist");
  const RifaToSettle& rifa = **found;
  switch (rifa.estado) {
    case engine::RifaEstado::kCerrada:
    case engine::RifaEstado::kResuelta: return rifa.estado;
    case engine::RifaEstado::kPendiente:
    case engine::RifaEstado::kCancelada:
      return engine::field_error(
          ErrorCode::kConflict, "estado",
          std::string("a ") + engine::to_string(rifa.estado) + " rifa cannot be closed (only an activa one)");
    case engine::RifaEstado::kActiva: break;
  }
  const std::string draw_date = draw_date_of(rifa);
  const engine::TimePoint run_at = settle_run_at(rifa.lottery_instance, draw_date);
  std::vector<jobs::EnqueueRequest> jobs;
  jobs::EnqueueRequest settle_job;
  settle_job.kind = jobs::kRifaSettle;
  settle_job.payload = {{"rifa_id", rifa.id}};
  settle_job.dedupe_key = std::string("settle:") + rifa.id;
  settle_job.run_at = run_at;
  settle_job.max_attempts = options_.settle_max_attempts;
  jobs.push_back(std::move(settle_job));
  notify(jobs, rifa, "rifa_closed", rifa.id, {{"fecha_sorteo", draw_date}});
  const engine::AuditEntry audit{actor_id,
                                 "rifa.closed",
                                 "rifas",
                                 rifa.id,
                                 {{"fecha_sorteo", draw_date}, {"settle_at", engine::format_iso_time(run_at)}}};
  auto estado = repo_.close(rifa.id, audit, jobs);
  if (estado.ok() && *estado == engine::RifaEstado::kCerrada) {
    logger_->info("rifa {} closed by {}; draw of {} asked for from {}", rifa.id, actor_id, draw_date,
                  engine::format_iso_time(run_at));
  }
  return estado;
}

Result<SettlementWrite> SettlementService::plan_write(const RifaToSettle& rifa, const PrizeRules& rules,
                                                      const DrawNumbers& numbers, const std::string& actor_id,
                                                      const json& summary) {
  auto sold = repo_.sold_tickets(rifa.id);
  if (!sold) return sold.error();
  std::map<int, const SoldTicket*> by_numero;
  std::set<int> sold_numbers;
  int64_t recaudo = 0;
  for (const auto& t : *sold) {
    by_numero[t.numero] = &t;
    sold_numbers.insert(t.numero);
    recaudo += t.precio;
  }
  // A first settlement takes the whole carried-over fund of the categoria; a recalculation keeps
  // what the rifa took then.
  const int64_t carried_in =
      rifa.estado == engine::RifaEstado::kCerrada ? rifa.categoria_fund_cents : rifa.fondo_recibido_cents;
  auto plan = plan_settlement(rules, numbers, rifa.total_boletas, sold_numbers, recaudo, rifa.rake_bp, carried_in);
  if (!plan) return plan.error();
  // The withholding for the year this runs in; the payout recomputes it if it pays in a later one.
  const int tax_year = bogota_year(clock_.now());
  if (auto taxed = apply_withholding(*plan, rules, options_.tax, tax_year); !taxed) {
    return make_error(taxed.error().code, "rifa " + rifa.id + ": " + taxed.error().message);
  }
  if (const std::string broken = plan_invariant_violation(*plan); !broken.empty()) {
    return make_error(ErrorCode::kInternal, "rifa " + rifa.id + ": the settlement plan does not add up: " + broken);
  }

  SettlementWrite w;
  w.rifa_id = rifa.id;
  w.new_estado = plan->refund_all ? engine::RifaEstado::kCancelada : engine::RifaEstado::kResuelta;
  w.carry_over_cents = plan->carry_over_cents;
  w.carried_in_cents = plan->carried_in_cents;
  json winning = json::array();
  for (const auto& n : plan->winning_numbers) winning.push_back(n ? json(*n) : json(nullptr));
  json taken = summary;
  taken.update({{"recaudo_cents", plan->recaudo_cents},
                {"rake_cents", plan->rake_cents},
                {"fondo_cents", plan->fondo_cents},
                {"house_cents", plan->house_cents},
                {"carry_over_cents", plan->carry_over_cents},
                {"carried_in_cents", plan->carried_in_cents},
                {"refund_all", plan->refund_all},
                {"retencion_cents", plan->withheld_cents},
                {"uvt_anio", plan->tax_year},
                {"winning_numbers", winning},
                {"ganadores", plan->awards.size()}});
  w.audit.push_back({actor_id, "draw.taken", "rifas", rifa.id, taken});
  for (const auto& award : plan->awards) {
    const SoldTicket& ticket = *by_numero.at(award.numero);
    const int tier = static_cast<int>(award.tier);
    const Tier& rule = rules.tiers[award.tier];
    const std::string id = ganador_id(ticket.id, tier);
    w.ganadores.push_back({id, ticket.id, tier, award.amount_cents, award.gross_cents, award.withheld_cents,
                           award.net_cents, plan->tax_year, plan->tax_rate_bp, plan->tax_threshold_cents});
    json data = {{"ganador_id", id},
                 {"ticket_id", ticket.id},
                 {"numero", award.numero},
                 {"tier", tier},
                 {"tier_name", rule.name},
                 {"monto_ganado", award.amount_cents},
                 {"in_kind", award.in_kind},
                 {"monto_bruto", award.gross_cents},
                 {"retencion", award.withheld_cents},
                 {"monto_neto", award.net_cents}};
    if (award.in_kind) {
      data["descripcion"] = rule.in_kind_description;
      data["valor_comercial_cents"] = rule.in_kind_value_cents;
    }
    data["usuario_id"] = ticket.usuario_id ? json(*ticket.usuario_id) : json(nullptr);
    w.audit.push_back({actor_id, "winner", "ganadores", id, data});
    if (!award.in_kind && award.net_cents > 0) {
      jobs::EnqueueRequest payout;
      payout.kind = jobs::kPayoutSend;
      payout.payload = {{"ganador_id", id}};
      payout.dedupe_key = std::string("payout:") + id;
      payout.max_attempts = options_.job_max_attempts;
      w.jobs.push_back(std::move(payout));
    }
    notify(w.jobs, rifa, "winner", id, data);
  }
  json published = summary;
  published["ganadores"] = plan->awards.size();
  notify(w.jobs, rifa, "result_published", rifa.id, published);
  if (plan->refund_all) {
    const std::string reason = "a winning number was not sold and reglas.unsold is refund";
    w.audit.push_back({actor_id, "rifa.voided", "rifas", rifa.id, {{"reason", reason}}});
    jobs::EnqueueRequest refund;
    refund.kind = jobs::kRifaRefund;
    refund.payload = {{"rifa_id", rifa.id}, {"reason", reason}};
    refund.dedupe_key = std::string("refund:") + rifa.id;
    refund.max_attempts = options_.job_max_attempts;
    w.jobs.push_back(std::move(refund));
  }
  return w;
}

Result<SettleOutcome> SettlementService::settle(const std::string& rifa_id) {
  auto found = load(rifa_id);
  if (!found) return found.error();
  if (!*found) return make_error(ErrorCode::kNotFound, "rifa " + rifa_id + " does not exist");
  const RifaToSettle& rifa = **found;
  if (rifa.estado == engine::RifaEstado::kResuelta || rifa.estado == engine::RifaEstado::kCancelada) {
    return SettleOutcome{SettleStatus::kAlreadySettled, std::string("rifa is ") + engine::to_string(rifa.estado)};
  }
  if (rifa.estado != engine::RifaEstado::kCerrada) {
    return engine::field_error(
        ErrorCode::kConflict, "estado",
        std::string("a ") + engine::to_string(rifa.estado) + " rifa is not settled (close it first)");
  }
  auto rules = effective_prize_rules(rifa.reglas, rifa.total_boletas);
  if (!rules) return rules.error();
  if (!lotteries_) return make_error(ErrorCode::kUnavailable, "no lottery plugins in this process");
  const std::string date = draw_date_of(rifa);
  const DrawFetch fetched = lotteries_->fetch_draw(rifa.lottery_instance, date);
  if (fetched.status == DrawFetchStatus::kNotPublished) {
    count("not_published");
    logger_->info("rifa {}: draw of {} from '{}' not published yet: {}", rifa.id, date, rifa.lottery_instance,
                  fetched.message);
    return SettleOutcome{SettleStatus::kNotPublished,
                         "the draw of " + date + " is not published yet: " + fetched.message};
  }
  if (fetched.status == DrawFetchStatus::kFailed) {
    count("plugin_error");
    return make_error(ErrorCode::kUnavailable,
                      "lottery '" + rifa.lottery_instance + "' for " + date + ": " + fetched.message);
  }
  auto valid = validate_draw(fetched.body, date, rifa.loteria_meta, *rules);
  if (!valid) {
    count("rejected");
    if (metrics_) {
      metrics_
          ->counter("rifa_draws_rejected_total", "Lottery draws refused by validation",
                    {{"instance", rifa.lottery_instance}})
          .inc();
    }
    logger_->error("rifa {}: draw of {} from '{}' REJECTED, not used: {}", rifa.id, date, rifa.lottery_instance,
                   valid.error().message);
    RejectedDraw rejected{rifa.lottery_instance, date, fetched.body.substr(0, 100000), valid.error().message};
    auto recorded = repo_.record_rejected(
        rifa.id, rejected,
        {kSettlementActor,
         "draw.rejected",
         "rifas",
         rifa.id,
         {{"plugin_instance", rifa.lottery_instance}, {"fecha_sorteo", date}, {"motivo", valid.error().message}}});
    if (!recorded) return recorded.error();
    return SettleOutcome{SettleStatus::kRejected, "draw rejected: " + valid.error().message};
  }
  const json summary = draw_summary(*valid, rifa.lottery_instance);
  auto write = plan_write(rifa, *rules, valid->numbers, kSettlementActor, summary);
  if (!write) return write.error();
  StoredDraw draw;
  draw.plugin_instance = rifa.lottery_instance;
  draw.fecha_sorteo = date;
  draw.sorteo = valid->draw_number;
  draw.resultado = valid->result;
  draw.source_url = valid->source_url;
  draw.raw_sha256 = valid->raw_sha256;
  write->draw = std::move(draw);
  auto applied = repo_.apply(*write);
  if (!applied) return applied.error();
  if (*applied == ApplyOutcome::kAlreadySettled) {
    count("already_settled");
    return SettleOutcome{SettleStatus::kAlreadySettled, "settled by another worker"};
  }
  const bool voided = write->new_estado == engine::RifaEstado::kCancelada;
  count(voided ? "voided" : "settled");
  logger_->info("rifa {} settled on the draw of {} ({}): {} ganador(es){}", rifa.id, date, summary.dump(),
                write->ganadores.size(), voided ? ", rifa voided and refunded" : "");
  return SettleOutcome{voided ? SettleStatus::kVoided : SettleStatus::kSettled,
                       std::to_string(write->ganadores.size()) + " ganador(es)"};
}

Result<ResultsView> SettlementService::results(const std::string& rifa_id) {
  auto found = load(rifa_id);
  if (!found) return found.error();
  if (!*found) return make_error(ErrorCode::kNotFound, "rifa " + rifa_id + " does not exist");
  ResultsView v;
  v.rifa_id = rifa_id;
  v.estado = (*found)->estado;
  v.fecha_sorteo = (*found)->fecha_sorteo;
  auto draw = repo_.find_draw(rifa_id);
  if (!draw) return draw.error();
  v.draw = std::move(*draw);
  if (v.draw) v.fecha_sorteo = v.draw->fecha_sorteo;
  auto ganadores = repo_.ganadores(rifa_id);
  if (!ganadores) return ganadores.error();
  v.ganadores = std::move(*ganadores);
  if (auto rules = effective_prize_rules((*found)->reglas, (*found)->total_boletas); rules.ok()) {
    for (const auto& t : rules->tiers) {
      v.tier_names.push_back(t.name);
      v.tier_in_kind.push_back(t.in_kind);
      v.tier_in_kind_description.push_back(t.in_kind_description);
      v.tier_in_kind_value_cents.push_back(t.in_kind_value_cents);
    }
  }
  auto rejected = repo_.count_rejected(rifa_id);
  if (!rejected) return rejected.error();
  v.rejected_draws = *rejected;
  return v;
}

Result<ResultsView> SettlementService::recalculate(const engine::Actor& actor, const std::string& rifa_id) {
  if (!actor.is_admin())
    return make_error(ErrorCode::kPermissionDenied, "recalculating prizes requires the admin role");
  auto found = load(rifa_id);
  if (!found) return found.error();
  if (!*found) return make_error(ErrorCode::kNotFound, "rifa " + rifa_id + " does not exist");
  const RifaToSettle& rifa = **found;
  auto draw = repo_.find_draw(rifa_id);
  if (!draw) return draw.error();
  if (!*draw || rifa.estado != engine::RifaEstado::kResuelta) {
    return engine::field_error(
        ErrorCode::kConflict, "estado",
        std::string("only a resuelta rifa with a stored draw can be recalculated (this one is ") +
            engine::to_string(rifa.estado) + ")");
  }
  auto rules = effective_prize_rules(rifa.reglas, rifa.total_boletas);
  if (!rules) return rules.error();
  auto numbers = draw_numbers_from_json((*draw)->resultado);
  if (!numbers) return numbers.error();
  json summary = {
      {"plugin_instance", (*draw)->plugin_instance}, {"fecha_sorteo", (*draw)->fecha_sorteo}, {"recalculated", true}};
  auto write = plan_write(rifa, *rules, *numbers, actor.user_id, summary);
  if (!write) return write.error();
  if (write->new_estado != engine::RifaEstado::kResuelta) {
    return make_error(ErrorCode::kConflict,
                      "the recalculated prizes would void the rifa (a winning number is unsold "
                      "and reglas.unsold is refund); cancel it instead");
  }
  // The summary row says what changed hands; the rifa stays resuelta and its draw is not re-taken.
  write->audit.front().action = "settlement.recalculated";
  if (auto replaced = repo_.replace_ganadores(*write); !replaced) return replaced.error();
  logger_->info("rifa {}: prizes recalculated by {}: {} ganador(es)", rifa_id, actor.user_id, write->ganadores.size());
  return results(rifa_id);
}

}  // namespace rifa::settlement
