#include "engine/player_service.hpp"

#include "common/sha256.hpp"
#include "engine/iso_time.hpp"
#include "engine/validation.hpp"

namespace rifa::engine {
namespace {

Result<void> self_only(const Actor& actor, const std::string& user_id, const char* what) {
  if (actor.user_id == user_id) return {};
  return make_error(ErrorCode::kPermissionDenied, std::string("only the player themself may ") + what);
}

Result<void> self_or_staff(const Actor& actor, const std::string& user_id) {
  if (actor.user_id == user_id || actor.is_staff()) return {};
  return make_error(ErrorCode::kPermissionDenied, "you may only access your own account");
}

Result<void> self_or_admin(const Actor& actor, const std::string& user_id) {
  if (actor.user_id == user_id || actor.is_admin()) return {};
  return make_error(ErrorCode::kPermissionDenied, "you may only access your own account");
}

// Lowering one limit: a smaller amount where there was one. Setting one where there was none is
// lowering too (from infinity); removing one or raising it is a raise.
bool is_raise(const std::optional<int64_t>& from, const std::optional<int64_t>& to) {
  if (!to) return from.has_value();
  return from && *to > *from;
}

}  // namespace

PlayerService::PlayerService(PlayerRepository& players, const Clock& clock, IdGenerator& ids, DataPolicy policy)
    : players_(players), clock_(clock), ids_(ids), policy_(std::move(policy)) {}

Result<PlayerState> PlayerService::load(const std::string& user_id) {
  auto state = players_.state(user_id);
  if (!state) return state.error();
  if (!*state) return make_error(ErrorCode::kNotFound, "user " + user_id + " does not exist");
  return std::move(**state);
}

Result<Exclusion> PlayerService::exclude(const Actor& actor, const std::string& user_id, const std::string& periodo) {
  if (auto ok = self_only(actor, user_id, "exclude themself"); !ok) return ok.error();
  if (!is_exclusion_period(periodo)) return invalid_field("periodo", "must be one of 30d, 6m, 1y, indefinida");
  auto state = load(user_id);
  if (!state) return state.error();
  const TimePoint now = clock_.now();
  Exclusion e;
  e.id = ids_.next();
  e.usuario_id = user_id;
  e.periodo = periodo;
  e.desde = now;
  e.hasta = exclusion_end(periodo, now);
  const TimePoint until = e.hasta.value_or(indefinite_exclusion_end());
  AuditEntry audit{actor.user_id,
                   "player.self_excluded",
                   "users",
                   user_id,
                   {{"exclusion_id", e.id},
                    {"periodo", periodo},
                    {"hasta", e.hasta ? nlohmann::json(format_iso_time(*e.hasta)) : nlohmann::json(nullptr)}}};
  if (auto added = players_.add_exclusion(e, until, audit); !added) return added.error();
  return e;
}

Result<Exclusion> PlayerService::request_lift(const Actor& actor, const std::string& user_id) {
  if (actor.user_id != user_id) {
    return make_error(ErrorCode::kPermissionDenied,
                      "a self-exclusion can only be lifted at the player's own request; operators cannot lift it");
  }
  auto state = load(user_id);
  if (!state) return state.error();
  const TimePoint now = clock_.now();
  if (!state->autoexcluido_hasta || *state->autoexcluido_hasta <= now) {
    return make_error(ErrorCode::kConflict, "there is no self-exclusion in force");
  }
  if (*state->autoexcluido_hasta != indefinite_exclusion_end()) {
    return make_error(ErrorCode::kConflict, "a self-exclusion cannot be lifted early: it ends at " +
                                                format_iso_time(*state->autoexcluido_hasta));
  }
  auto all = players_.exclusions(user_id);
  if (!all) return all.error();
  for (auto& e : *all) {
    if (e.periodo != "indefinida" || e.levantamiento_solicitado_en) continue;
    const TimePoint ends = now + kIndefiniteLiftDelay;
    AuditEntry audit{actor.user_id,
                     "player.exclusion_lift_requested",
                     "users",
                     user_id,
                     {{"exclusion_id", e.id}, {"efectivo_en", format_iso_time(ends)}}};
    if (auto done = players_.request_lift(e.id, user_id, now, ends, indefinite_exclusion_end(), audit); !done) {
      return done.error();
    }
    e.levantamiento_solicitado_en = now;
    e.hasta = ends;
    return e;
  }
  return make_error(ErrorCode::kConflict, "the lift of this self-exclusion was already requested");
}

Result<std::vector<Exclusion>> PlayerService::exclusions(const Actor& actor,
                                                         const std::optional<std::string>& user_id) {
  if (!user_id && !actor.is_staff()) {
    return make_error(ErrorCode::kPermissionDenied, "listing every self-exclusion requires the admin or operador role");
  }
  if (user_id) {
    if (auto ok = self_or_staff(actor, *user_id); !ok) return ok.error();
  }
  return players_.exclusions(user_id);
}

Result<std::optional<TimePoint>> PlayerService::excluded_until(const std::string& user_id) {
  auto state = load(user_id);
  if (!state) return state.error();
  if (state->autoexcluido_hasta && *state->autoexcluido_hasta > clock_.now()) {
    return std::optional<TimePoint>(*state->autoexcluido_hasta);
  }
  return std::optional<TimePoint>();
}

Result<LimitsView> PlayerService::limits(const Actor& actor, const std::string& user_id) {
  if (auto ok = self_or_staff(actor, user_id); !ok) return ok.error();
  auto state = load(user_id);
  if (!state) return state.error();
  const TimePoint now = clock_.now();
  LimitsView v;
  v.limites = effective_limits(state->limites, state->limites_pendientes, now);
  auto pending = parse_pending_limits(state->limites_pendientes);
  if (pending && pending->desde > now) v.pendientes = pending;
  return v;
}

Result<LimitsView> PlayerService::set_limits(const Actor& actor, const std::string& user_id,
                                             const SpendingLimits& wanted) {
  if (auto ok = self_only(actor, user_id, "set their spending limits"); !ok) return ok.error();
  const std::pair<const char*, std::optional<int64_t>> asked[] = {
      {"diario", wanted.diario}, {"semanal", wanted.semanal}, {"mensual", wanted.mensual}};
  for (const auto& [name, v] : asked) {
    if (v && *v < 0) return invalid_field(name, "must be 0 or more cents, or left out for no limit");
  }
  auto state = load(user_id);
  if (!state) return state.error();
  const TimePoint now = clock_.now();
  const SpendingLimits current = effective_limits(state->limites, state->limites_pendientes, now);
  // Per limit: a lowering applies now; a raise is pending for 24 h, meanwhile the current one holds.
  SpendingLimits applied = current, target = current;
  bool raised = false;
  const auto merge = [&](std::optional<int64_t> SpendingLimits::*m) {
    target.*m = wanted.*m;
    if (is_raise(current.*m, wanted.*m)) {
      raised = true;
    } else {
      applied.*m = wanted.*m;
    }
  };
  merge(&SpendingLimits::diario);
  merge(&SpendingLimits::semanal);
  merge(&SpendingLimits::mensual);
  std::optional<PendingLimits> pending;
  if (raised) pending = PendingLimits{target, now + kLimitRaiseDelay};
  const std::optional<std::string> limites =
      applied.any() ? std::optional<std::string>(limits_json(applied).dump()) : std::nullopt;
  const std::optional<std::string> pendientes =
      pending ? std::optional<std::string>(pending_limits_text(*pending)) : std::nullopt;
  nlohmann::json data = {{"limites", limits_json(applied)}};
  if (pending) data["pendientes"] = nlohmann::json::parse(*pendientes);
  AuditEntry audit{actor.user_id, "player.limits_set", "users", user_id, data};
  if (auto done = players_.set_limits(user_id, limites, pendientes, audit); !done) return done.error();
  return LimitsView{applied, pending};
}

Result<nlohmann::json> PlayerService::export_data(const Actor& actor, const std::string& user_id) {
  if (auto ok = self_or_admin(actor, user_id); !ok) return ok.error();
  if (auto state = load(user_id); !state) return state.error();
  auto data = players_.export_data(user_id);
  if (!data) return data.error();
  (*data)["user_id"] = user_id;
  (*data)["exportado_en"] = format_iso_time(clock_.now());
  (*data)["politica_datos_version"] = policy_.version;
  return data;
}

Result<void> PlayerService::erase(const Actor& actor, const std::string& user_id) {
  if (auto ok = self_or_admin(actor, user_id); !ok) return ok.error();
  auto state = load(user_id);
  if (!state) return state.error();
  if (state->anonimizado_en) return {};  // erased already: nothing personal is left
  Erasure e;
  e.user_id = user_id;
  e.at = clock_.now();
  // Unique (the id is), and says nothing about the person; .invalid never delivers (RFC 2606).
  e.pseudonym_email = "anonimo-" + sha256_hex("rifa1122-erased:" + user_id).substr(0, 24) + "@anonimizado.invalid";
  // The audit row names the account by its id only: no personal data in the hashed payload.
  e.audit = AuditEntry{actor.user_id,
                       "user.erased",
                       "users",
                       user_id,
                       {{"motivo", actor.user_id == user_id ? "solicitud del titular" : "solicitud al administrador"}}};
  auto done = players_.erase(e);
  if (!done) return done.error();
  if (!*done) return make_error(ErrorCode::kNotFound, "user " + user_id + " does not exist");
  return {};
}

Result<int> PlayerService::erase_inactive(int batch) {
  if (policy_.retention_days <= 0) return 0;
  const TimePoint now = clock_.now();
  auto ids = players_.inactive_since(now - std::chrono::hours(24) * policy_.retention_days, batch);
  if (!ids) return ids.error();
  int erased = 0;
  for (const auto& id : *ids) {
    Erasure e;
    e.user_id = id;
    e.at = now;
    e.pseudonym_email = "anonimo-" + sha256_hex("rifa1122-erased:" + id).substr(0, 24) + "@anonimizado.invalid";
    e.audit = AuditEntry{"job:retention",
                         "user.erased",
                         "users",
                         id,
                         {{"motivo", "retencion vencida"}, {"retencion_dias", policy_.retention_days}}};
    auto done = players_.erase(e);
    if (!done) return done.error();
    if (*done) ++erased;
  }
  return erased;
}

}  // namespace rifa::engine
