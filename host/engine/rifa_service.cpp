#include "engine/rifa_service.hpp"

#include "engine/iso_time.hpp"
#include "engine/validation.hpp"
#include "engine/settlement/draw_timing.hpp"
#include "engine/settlement/prize_rules.hpp"

namespace rifa::engine {
namespace {

nlohmann::json describe(const Rifa& r) {
  return {{"nombre", r.nombre},
          {"categoria_id", r.categoria_id},
          {"loteria_id", r.loteria_id},
          {"fecha_inicio", format_iso_time(r.fecha_inicio)},
          {"fecha_fin", format_iso_time(r.fecha_fin)},
          {"numero_ganadores", r.numero_ganadores},
          {"estado", to_string(r.estado)},
          {"reglas", r.reglas},
          {"total_boletas", r.total_boletas},
          {"assignment", to_string(r.assignment)},
          {"fecha_sorteo", r.fecha_sorteo ? nlohmann::json(*r.fecha_sorteo) : nlohmann::json(nullptr)}};
}

bool transition_allowed(RifaEstado from, RifaEstado to) {
  if (from == to) return true;
  if (from == RifaEstado::kPendiente) return to == RifaEstado::kActiva || to == RifaEstado::kCancelada;
  if (from == RifaEstado::kActiva) return to == RifaEstado::kCancelada;
  return false;
}

}  // namespace

RifaService::RifaService(RifaRepository& rifas, CategoriaRepository& categorias, LoteriaRepository& loterias,
                         const Clock& clock, IdGenerator& ids)
    : rifas_(rifas), categorias_(categorias), loterias_(loterias), clock_(clock), ids_(ids) {}

Result<void> RifaService::authorize_write(const Actor& actor) const {
  if (!actor.is_staff()) {
    return make_error(ErrorCode::kPermissionDenied, "creating or changing rifas requires the operador or admin role");
  }
  return {};
}

Result<Page<RifaView>> RifaService::list(const RifaFilter& filter, const PageRequest& page) {
  if (filter.desde && filter.hasta && *filter.hasta < *filter.desde) {
    return invalid_field("fecha_fin", "must not be before fecha_inicio");
  }
  return rifas_.list(filter, page);
}

Result<RifaView> RifaService::get(const std::string& id) {
  auto found = rifas_.find(id);
  if (!found) return found.error();
  if (!*found) return make_error(ErrorCode::kNotFound, "rifa " + id + " does not exist");
  return std::move(**found);
}

Result<RifaView> RifaService::get_cached(const std::string& id) {
  if (!cache_ || !cache_->enabled()) return get(id);
  // Single flight: after a write, one request per rifa reads it again; the others wait for it.
  return cache_->get_or_load(id, [&] { return get(id); });
}

Result<void> RifaService::check(const Rifa& r) const {
  if (r.nombre.empty()) return invalid_field("nombre", "must not be empty");
  if (utf8_length(r.nombre) > kRifaNombreMaxLength) {
    return invalid_field("nombre", "must be at most " + std::to_string(kRifaNombreMaxLength) + " characters");
  }
  if (r.fecha_fin <= r.fecha_inicio) return invalid_field("fecha_fin", "must be after fecha_inicio");
  if (r.total_boletas < 1 || r.total_boletas > kMaxTotalBoletas) {
    return invalid_field("total_boletas", "must be between 1 and " + std::to_string(kMaxTotalBoletas));
  }
  if (r.numero_ganadores < 1) return invalid_field("numero_ganadores", "must be at least 1");
  if (r.numero_ganadores > r.total_boletas) {
    return invalid_field("numero_ganadores", "must not exceed total_boletas (" + std::to_string(r.total_boletas) + ")");
  }
  if (!r.reglas.is_object()) return invalid_field("reglas", "must be a JSON object");
  return {};
}

Result<int64_t> RifaService::price_of(const std::string& categoria_id) {
  auto categoria = categorias_.find(categoria_id);
  if (!categoria) return categoria.error();
  if (!*categoria) return invalid_field("categoria_id", "categoria " + categoria_id + " does not exist");
  return (*categoria)->valor_boleta;
}

Result<void> RifaService::check_loteria(const std::string& loteria_id) {
  auto loteria = loterias_.find(loteria_id);
  if (!loteria) return loteria.error();
  if (!*loteria) return invalid_field("loteria_id", "loteria " + loteria_id + " does not exist");
  return {};
}

Result<void> RifaService::check_reglas(const Rifa& r) const {
  // {} means the default rules (settlement::default_reglas); anything else must parse, and the
  // error names the path inside reglas ("reglas.tiers[1].share_bp: ...").
  if (r.reglas.empty()) return {};
  if (auto rules = settlement::parse_prize_rules(r.reglas, r.total_boletas); !rules) return rules.error();
  return {};
}

Result<std::string> RifaService::lottery_of(const std::string& loteria_id) {
  auto loteria = loterias_.find(loteria_id);
  if (!loteria) return loteria.error();
  if (!*loteria) return make_error(ErrorCode::kNotFound, "loteria " + loteria_id + " does not exist");
  return (*loteria)->plugin_instance;
}

Result<std::optional<std::vector<ScheduledDraw>>> RifaService::known_draws(const std::string& lottery_instance,
                                                                           const std::string& from_iso,
                                                                           const std::string& to_iso) {
  using Known = std::optional<std::vector<ScheduledDraw>>;
  if (!calendar_) return Known();
  auto draws = calendar_->draws_between(lottery_instance, from_iso, to_iso);
  if (draws) return Known(std::move(*draws));
  const ErrorCode code = draws.error().code;
  if (code == ErrorCode::kNotFound || code == ErrorCode::kUnsupported) return Known();
  return draws.error();
}

Result<std::string> RifaService::default_fecha_sorteo(const Rifa& r) {
  const std::string fin_date = settlement::bogota_date(r.fecha_fin);
  auto instance = lottery_of(r.loteria_id);
  if (!instance) return instance.error();
  // Six weeks cover a lottery that skips a week (Holy Week) several times over.
  constexpr int kLookAheadDays = 42;
  auto draws = known_draws(*instance, fin_date, settlement::add_days(fin_date, kLookAheadDays).value_or(fin_date));
  if (!draws) return draws.error();
  if (!*draws) return settlement::add_days(fin_date, 1).value_or(fin_date);
  for (const auto& draw : **draws) {
    if (draw.at > r.fecha_fin) return draw.date;
  }
  return invalid_field("fecha_fin", "the lottery '" + *instance + "' has no draw in the " +
                                        std::to_string(kLookAheadDays) + " days after " + fin_date);
}

Result<TimePoint> RifaService::draw_instant(const Rifa& r) {
  auto instance = lottery_of(r.loteria_id);
  if (!instance) return instance.error();
  auto draws = known_draws(*instance, *r.fecha_sorteo, *r.fecha_sorteo);
  if (!draws) return draws.error();
  if (!*draws) return settlement::bogota_midnight(*r.fecha_sorteo).value_or(TimePoint{});
  if ((*draws)->empty()) {
    return invalid_field("fecha_sorteo", "the lottery '" + *instance + "' has no draw on " + *r.fecha_sorteo +
                                             " (GET /api/v1/loterias/" + r.loteria_id + "/sorteos lists its draws)");
  }
  return (*draws)->front().at;
}

Result<void> RifaService::check_fecha_sorteo(const Rifa& r) {
  if (!r.fecha_sorteo) return invalid_field("fecha_sorteo", "must be a date as YYYY-MM-DD");
  if (!settlement::is_iso_date(*r.fecha_sorteo)) return invalid_field("fecha_sorteo", "must be a date as YYYY-MM-DD");
  const std::string fin_date = settlement::bogota_date(r.fecha_fin);
  if (*r.fecha_sorteo < fin_date) {
    return invalid_field("fecha_sorteo", "must be on or after the date of fecha_fin (" + fin_date + " America/Bogota)");
  }
  auto at = draw_instant(r);
  if (!at) return at.error();
  if (r.fecha_fin >= *at) {
    return invalid_field("fecha_fin", "sales must end before the draw of fecha_sorteo " + *r.fecha_sorteo + " at " +
                                          format_iso_time(*at) + ": the result may be public from then on");
  }
  return {};
}

Result<LoteriaDraws> RifaService::loteria_draws(const std::string& loteria_id, const std::string& desde,
                                                const std::string& hasta) {
  if (!settlement::is_iso_date(desde)) return invalid_field("desde", "must be a date as YYYY-MM-DD");
  if (!settlement::is_iso_date(hasta)) return invalid_field("hasta", "must be a date as YYYY-MM-DD");
  const int span = settlement::days_between(desde, hasta).value_or(-1);
  if (span < 0) return invalid_field("hasta", "must not be before desde");
  if (span >= kMaxDrawRangeDays) {
    return invalid_field("hasta", "must be less than " + std::to_string(kMaxDrawRangeDays) + " days after desde");
  }
  auto instance = lottery_of(loteria_id);
  if (!instance) return instance.error();
  if (!calendar_) return make_error(ErrorCode::kUnsupported, "no lottery calendars are loaded in this host");
  auto draws = calendar_->draws_between(*instance, desde, hasta);
  if (!draws) return draws.error();
  return LoteriaDraws{loteria_id, *instance, std::move(*draws)};
}

Result<RifaView> RifaService::create(const Actor& actor, const NewRifa& input) {
  if (auto ok = authorize_write(actor); !ok) return ok.error();
  Rifa r;
  r.id = ids_.next();
  r.nombre = input.nombre;
  r.categoria_id = input.categoria_id;
  r.loteria_id = input.loteria_id;
  r.fecha_inicio = input.fecha_inicio;
  r.fecha_fin = input.fecha_fin;
  r.numero_ganadores = input.numero_ganadores;
  r.estado = RifaEstado::kPendiente;
  r.reglas = input.reglas;
  r.total_boletas = input.total_boletas;
  // No rules given: the default ones are written out, so the rifa (and its commitment) says
  // exactly how it will be settled.
  if (r.reglas.is_object() && r.reglas.empty()) r.reglas = settlement::default_reglas(r.total_boletas);
  r.creado_en = clock_.now();
  r.assignment = input.assignment;
  if (auto ok = check(r); !ok) return ok.error();
  if (auto ok = check_reglas(r); !ok) return ok.error();
  auto precio = price_of(r.categoria_id);
  if (!precio) return precio.error();
  if (auto ok = check_loteria(r.loteria_id); !ok) return ok.error();
  if (r.fecha_fin <= clock_.now()) {
    return invalid_field("fecha_fin", "must be in the future (sales would already be over)");
  }
  if (input.fecha_sorteo) {
    r.fecha_sorteo = *input.fecha_sorteo;
  } else {
    auto draw = default_fecha_sorteo(r);
    if (!draw) return draw.error();
    r.fecha_sorteo = *draw;
  }
  if (auto ok = check_fecha_sorteo(r); !ok) return ok.error();
  nlohmann::json data = describe(r);
  data["precio"] = *precio;
  if (auto ok = rifas_.create(r, *precio, AuditEntry{actor.user_id, "rifa.created", "rifas", r.id, data}); !ok) {
    return ok.error();
  }
  return RifaView{r, 0, r.total_boletas};
}

Result<RifaView> RifaService::update(const Actor& actor, const std::string& id, const RifaPatch& patch) {
  if (auto ok = authorize_write(actor); !ok) return ok.error();
  auto current = get(id);
  if (!current) return current.error();
  const Rifa before = current->rifa;
  Rifa r = before;

  // The first locked field that actually changes names the 409.
  std::string locked_field;
  const auto lock_if = [&](bool changed, const char* field) {
    if (changed && locked_field.empty()) locked_field = field;
  };
  if (patch.nombre) r.nombre = *patch.nombre;
  if (patch.fecha_inicio) r.fecha_inicio = *patch.fecha_inicio;
  // Frozen at activation (with the draw it must precede: moving it later would sell after the
  // draw's time, moving it earlier is a close, settlement's cerrar) but free before, tickets or not.
  std::string frozen_field;
  if (patch.fecha_fin) {
    if (*patch.fecha_fin != r.fecha_fin) frozen_field = "fecha_fin";
    r.fecha_fin = *patch.fecha_fin;
  }
  if (patch.reglas) {
    lock_if(*patch.reglas != r.reglas, "reglas");
    r.reglas = *patch.reglas;
  }
  if (patch.total_boletas) {
    lock_if(*patch.total_boletas != r.total_boletas, "total_boletas");
    r.total_boletas = *patch.total_boletas;
  }
  // Default rules follow the size of the rifa (their digit count is the ticket numbers' width).
  if ((!patch.reglas && r.reglas == settlement::default_reglas(before.total_boletas)) ||
      (r.reglas.is_object() && r.reglas.empty())) {
    r.reglas = settlement::default_reglas(r.total_boletas);
  }
  if (patch.numero_ganadores) {
    lock_if(*patch.numero_ganadores != r.numero_ganadores, "numero_ganadores");
    r.numero_ganadores = *patch.numero_ganadores;
  }
  if (patch.loteria_id) {
    lock_if(*patch.loteria_id != r.loteria_id, "loteria_id");
    r.loteria_id = *patch.loteria_id;
  }
  if (patch.categoria_id) {
    lock_if(*patch.categoria_id != r.categoria_id, "categoria_id");
    r.categoria_id = *patch.categoria_id;
  }
  if (patch.estado && *patch.estado != r.estado) {
    if (!transition_allowed(r.estado, *patch.estado)) {
      return field_error(ErrorCode::kConflict, "estado",
                         std::string("cannot change from ") + to_string(r.estado) + " to " + to_string(*patch.estado) +
                             " (allowed here: pendiente→activa, pendiente→cancelada, activa→cancelada)");
    }
    r.estado = *patch.estado;
  }
  if (auto ok = check(r); !ok) return ok.error();
  // Only a pendiente rifa can take new rules or a new size (after activation both are frozen and
  // the repository answers 409), so only then are the rules checked against them.
  if (before.estado == RifaEstado::kPendiente &&
      (r.reglas != before.reglas || r.total_boletas != before.total_boletas)) {
    if (auto ok = check_reglas(r); !ok) return ok.error();
  }
  if (r.loteria_id != before.loteria_id) {
    if (auto ok = check_loteria(r.loteria_id); !ok) return ok.error();
  }
  if (patch.fecha_sorteo) lock_if(*patch.fecha_sorteo != r.fecha_sorteo, "fecha_sorteo");
  if (frozen_field.empty()) frozen_field = locked_field;
  if (!frozen_field.empty() && before.estado != RifaEstado::kPendiente) {
    // The commitment (and the draw rule above) froze it at activation.
    return field_error(ErrorCode::kConflict, frozen_field,
                       std::string("locked because the rifa is ") + to_string(before.estado) +
                           ": its commitment was frozen when it was activated");
  }
  const bool draw_inputs_changed = r.fecha_fin != before.fecha_fin || r.loteria_id != before.loteria_id ||
                                   (patch.fecha_sorteo && *patch.fecha_sorteo != before.fecha_sorteo);
  const bool activating = before.estado == RifaEstado::kPendiente && r.estado == RifaEstado::kActiva;
  if (patch.fecha_sorteo) {
    r.fecha_sorteo = *patch.fecha_sorteo;
  } else if (draw_inputs_changed && before.estado == RifaEstado::kPendiente) {
    // Sales now end after the old draw, or another lottery decides: before activation the draw
    // simply moves to the first one after fecha_fin.
    if (!r.fecha_sorteo || !check_fecha_sorteo(r).ok()) {
      auto draw = default_fecha_sorteo(r);
      if (!draw) return draw.error();
      r.fecha_sorteo = *draw;
    }
  } else if (activating && !r.fecha_sorteo) {
    // A rifa from before fecha_sorteo existed (the seed's): its draw is fixed now, with the commitment.
    auto draw = default_fecha_sorteo(r);
    if (!draw) return draw.error();
    r.fecha_sorteo = *draw;
  }
  if (draw_inputs_changed || activating) {
    if (r.fecha_fin <= clock_.now()) {
      if (activating && !patch.fecha_fin) {
        return field_error(ErrorCode::kConflict, "fecha_fin",
                           "sales ended at " + format_iso_time(r.fecha_fin) +
                               ": a rifa cannot be activated after its sales end (or once its draw is held); move "
                               "fecha_fin and fecha_sorteo first");
      }
      return invalid_field("fecha_fin", "must be in the future (sales would already be over)");
    }
    if (auto ok = check_fecha_sorteo(r); !ok) return ok.error();
  }
  std::optional<int64_t> precio;
  if (r.categoria_id != before.categoria_id || r.total_boletas != before.total_boletas) {
    auto p = price_of(r.categoria_id);
    if (!p) return p.error();
    precio = *p;
  }
  nlohmann::json changes = nlohmann::json::object();
  const nlohmann::json old_fields = describe(before), new_fields = describe(r);
  for (auto it = new_fields.begin(); it != new_fields.end(); ++it) {
    if (old_fields.at(it.key()) != it.value())
      changes[it.key()] = {{"from", old_fields.at(it.key())}, {"to", it.value()}};
  }
  if (changes.empty()) return current;
  // What the change implies, decided here; the repository checks the facts named in it on the
  // locked row and makes the writes.
  RifaChange change;
  change.before = before;
  change.after = r;
  change.require_no_tickets_taken = !locked_field.empty();
  change.rebuild_tickets_precio = precio;
  change.freeze_commitment = activating;
  change.queue_refunds = r.estado == RifaEstado::kCancelada && before.estado != RifaEstado::kCancelada;
  change.audit = AuditEntry{actor.user_id, "rifa.updated", "rifas", r.id, changes};
  if (activating && payment_binding_) {
    auto categoria = categorias_.find(r.categoria_id);
    if (!categoria) return categoria.error();
    if (!*categoria) return make_error(ErrorCode::kNotFound, "categoria " + r.categoria_id + " does not exist");
    change.freeze_payment_instance = payment_binding_(r.id, (*categoria)->nombre);
    change.audit.data["payment_instance"] = {{"from", nullptr}, {"to", *change.freeze_payment_instance}};
  }
  auto outcome = rifas_.apply(change);
  if (!outcome) return outcome.error();
  switch (outcome->status) {
    case RifaChangeOutcome::Status::kApplied: break;
    case RifaChangeOutcome::Status::kNotFound:
      return make_error(ErrorCode::kNotFound, "rifa " + r.id + " does not exist");
    case RifaChangeOutcome::Status::kEstadoChanged:
      return field_error(ErrorCode::kConflict, "estado",
                         "the rifa is now " + outcome->stored_estado + " (it was " + to_string(before.estado) +
                             " when this change was read): read it again and retry");
    case RifaChangeOutcome::Status::kTicketsTaken:
      return field_error(
          ErrorCode::kConflict, locked_field,
          "locked because " + std::to_string(outcome->tickets_taken) + " ticket(s) are already reserved or sold");
    case RifaChangeOutcome::Status::kChangedMeanwhile:
      return field_error(ErrorCode::kConflict, "estado",
                         "the rifa changed while this change was written: read it again and retry");
  }
  return get(id);
}

}  // namespace rifa::engine
