#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "engine/actor.hpp"
#include "engine/catalog.hpp"
#include "engine/catalog_repository.hpp"
#include "engine/clock.hpp"
#include "engine/draw_calendar.hpp"
#include "engine/id_generator.hpp"
#include "engine/read_through_cache.hpp"

namespace rifa::engine {

struct NewRifa {
  std::string nombre;
  std::string categoria_id;
  std::string loteria_id;
  TimePoint fecha_inicio;
  TimePoint fecha_fin;
  int32_t numero_ganadores = 1;
  nlohmann::json reglas = nlohmann::json::object();
  int32_t total_boletas = 100;
  Assignment assignment = Assignment::kSequential;
  // Default: the first draw of the loteria's lottery after fecha_fin (DrawCalendar), else the
  // day after fecha_fin's date in America/Bogota (see RifaService: an unknown draw time counts as
  // the start of the draw's day).
  std::optional<std::string> fecha_sorteo;
};

struct RifaPatch {
  std::optional<std::string> nombre;
  std::optional<TimePoint> fecha_inicio;
  std::optional<TimePoint> fecha_fin;
  std::optional<RifaEstado> estado;
  // Locked once the rifa leaves pendiente (they are its commitment, frozen at activation) or a
  // ticket is reservado, vendido or ganador: they change the odds or the money.
  std::optional<std::string> categoria_id;  // the ticket price comes from the categoria
  std::optional<std::string> loteria_id;
  std::optional<int32_t> numero_ganadores;
  std::optional<nlohmann::json> reglas;
  std::optional<int32_t> total_boletas;
  std::optional<std::string> fecha_sorteo;  // frozen with the commitment at activation
};

// The draws a loteria's lottery holds in a date range (GET /loterias/{id}/sorteos).
struct LoteriaDraws {
  std::string loteria_id;
  std::string plugin_instance;
  std::vector<ScheduledDraw> draws;
};

// Rifas: creation with their tickets, reads with counts, and edits with the locking rule.
//
// The draw rule (issue 11): sales end before the draw that decides the rifa is held, so nobody can
// buy a number already drawn. fecha_sorteo must be a draw date of the loteria's lottery by its
// plugin's own calendar (DrawCalendar: holidays and moved draws included), and fecha_fin must be
// before that draw's instant, at creation and on every edit; fecha_fin must be in the future at
// creation, on an edit and at activation, so a rifa cannot open once its draw is held (or
// published). fecha_fin, fecha_sorteo and loteria_id are frozen at activation (409). When the
// lottery gives no calendar at all, its draw time is unknown and taken as the start (00:00
// America/Bogota) of the draw's day: the safe side.
//
// Edits are compare-and-set: the repository writes only the columns that change, and only while
// the stored estado is still the one this service read (409 otherwise), so a concurrent close or
// cancel is never undone by a PATCH that read the rifa before it. Only
// the transitions pendiente→activa, pendiente→cancelada and activa→cancelada happen here; closing
// and settling belong to settlement. update() decides what a change implies (RifaChange: the
// tickets-taken lock, rebuilding the tickets, freezing the commitment on activation, queueing the
// refund of every paid ticket on cancellation) and the repository applies it in one transaction
// (engine/settlement/refund_service.hpp does the refunds).
class RifaService {
 public:
  RifaService(RifaRepository& rifas, CategoriaRepository& categorias, LoteriaRepository& loterias, const Clock& clock,
              IdGenerator& ids);

  // The role rule on its own, so the API can refuse before reading a body.
  Result<void> authorize_write(const Actor& actor) const;

  Result<Page<RifaView>> list(const RifaFilter& filter, const PageRequest& page);
  Result<RifaView> get(const std::string& id);
  // get() through the read cache when one is enabled: for the public GET /rifas/{id}, the hottest
  // read (its counts read the rifa's taken tickets). See ReadThroughCache for how fresh the answer
  // is; after a write, one request per rifa reads it again while the others wait for that read
  // (single flight). Writes must keep using get().
  Result<RifaView> get_cached(const std::string& id);
  // ttl 0 = off. write_generation: storage::Database::write_generation of the rifas' database.
  void enable_read_cache(std::chrono::milliseconds ttl, std::function<uint64_t()> write_generation) {
    cache_ = std::make_unique<ReadThroughCache<RifaView>>(ttl, std::move(write_generation));
  }
  Result<RifaView> create(const Actor& actor, const NewRifa& input);
  Result<RifaView> update(const Actor& actor, const std::string& id, const RifaPatch& patch);

  // The draws of the loteria's lottery on the dates desde..hasta ("YYYY-MM-DD", inclusive, at most
  // kMaxDrawRangeDays): 422 naming desde or hasta for a bad range, 404 for an unknown loteria,
  // kUnsupported when its lottery gives no calendar.
  Result<LoteriaDraws> loteria_draws(const std::string& loteria_id, const std::string& desde, const std::string& hasta);

  // Optional (not owned; must outlive the service): lottery calendars for fecha_sorteo.
  void set_draw_calendar(DrawCalendar* calendar) { calendar_ = calendar; }
  // Optional: the payment instance the bindings give a rifa (by id and categoria nombre), frozen
  // on the rifa when it is activated. Without it nothing is frozen (tests without payments).
  using PaymentBinding = std::function<std::string(const std::string& rifa_id, const std::string& categoria_nombre)>;
  void set_payment_binding(PaymentBinding binding) { payment_binding_ = std::move(binding); }

 private:
  Result<void> check_reglas(const Rifa& rifa) const;
  // The lottery plugin instance of a loteria; kNotFound when the loteria does not exist.
  Result<std::string> lottery_of(const std::string& loteria_id);
  // The lottery's draws on from..to; nullopt when its calendar is unknown (no calendar, or a
  // plugin without one), an error when the calendar failed.
  Result<std::optional<std::vector<ScheduledDraw>>> known_draws(const std::string& lottery_instance,
                                                                const std::string& from_iso, const std::string& to_iso);
  // fecha_sorteo's default: the first draw after fecha_fin.
  Result<std::string> default_fecha_sorteo(const Rifa& rifa);
  // The draw instant of the rifa's fecha_sorteo (422 when the lottery holds no draw that day).
  Result<TimePoint> draw_instant(const Rifa& rifa);
  // fecha_sorteo well formed, a draw date of the lottery, and fecha_fin before its instant.
  Result<void> check_fecha_sorteo(const Rifa& rifa);
  Result<void> check(const Rifa& rifa) const;
  Result<int64_t> price_of(const std::string& categoria_id);
  Result<void> check_loteria(const std::string& loteria_id);

  RifaRepository& rifas_;
  CategoriaRepository& categorias_;
  LoteriaRepository& loterias_;
  const Clock& clock_;
  IdGenerator& ids_;
  DrawCalendar* calendar_ = nullptr;
  PaymentBinding payment_binding_;
  std::unique_ptr<ReadThroughCache<RifaView>> cache_;
};

}  // namespace rifa::engine
