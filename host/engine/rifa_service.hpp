#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

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
  // date of fecha_fin in America/Bogota.
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

// Rifas: creation with their tickets, reads with counts, and edits with the locking rule. Only
// the transitions pendiente→activa, pendiente→cancelada and activa→cancelada happen here; closing
// and settling belong to settlement. Cancelling queues the refund of every paid ticket in the same
// transaction (SqlRifaRepository::update; settlement/refund_service.hpp does the refunds).
class RifaService {
 public:
  RifaService(RifaRepository& rifas, CategoriaRepository& categorias, LoteriaRepository& loterias,
              const Clock& clock, IdGenerator& ids);

  // The role rule on its own, so the API can refuse before reading a body.
  Result<void> authorize_write(const Actor& actor) const;

  Result<Page<RifaView>> list(const RifaFilter& filter, const PageRequest& page);
  Result<RifaView> get(const std::string& id);
  // get() through the read cache when one is enabled: for the public GET /rifas/{id}, the hottest
  // read, whose sold and free counts cost a scan of the rifa's tickets. See ReadThroughCache for
  // how fresh the answer is. Writes must keep using get().
  Result<RifaView> get_cached(const std::string& id);
  // ttl 0 = off. write_generation: storage::Database::write_generation of the rifas' database.
  void enable_read_cache(std::chrono::milliseconds ttl, std::function<uint64_t()> write_generation) {
    cache_ = std::make_unique<ReadThroughCache<RifaView>>(ttl, std::move(write_generation));
  }
  Result<RifaView> create(const Actor& actor, const NewRifa& input);
  Result<RifaView> update(const Actor& actor, const std::string& id, const RifaPatch& patch);

  // Optional (not owned; must outlive the service): lottery schedules for fecha_sorteo.
  void set_draw_calendar(DrawCalendar* calendar) { calendar_ = calendar; }

 private:
  Result<void> check_reglas(const Rifa& rifa) const;
  // fecha_sorteo's default and its checks against fecha_fin and the lottery's schedule.
  std::string default_fecha_sorteo(const Rifa& rifa);
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
  std::unique_ptr<ReadThroughCache<RifaView>> cache_;
};

}  // namespace rifa::engine
