#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>

#include "common/result.hpp"
#include "engine/actor.hpp"
#include "engine/catalog.hpp"
#include "engine/catalog_repository.hpp"
#include "engine/id_generator.hpp"

namespace rifa::engine {

struct NewCategoria {
  std::string nombre;
  std::optional<std::string> color;
  int64_t valor_boleta = 0;
  int32_t rake_bp = 0;
  int64_t premio_por_ganador = 0;
  std::optional<std::string> comentario;
};

struct NewLoteria {
  std::string nombre;
  std::optional<std::string> descripcion;
  std::string frecuencia;
  std::optional<std::string> url_resultados;
  nlohmann::json meta = nlohmann::json::object();
  std::string plugin_instance;
};

// Absent members are left as they are; a present nullopt clears an optional column.
struct LoteriaPatch {
  std::optional<std::string> nombre;
  std::optional<std::optional<std::string>> descripcion;
  std::optional<std::string> frecuencia;
  std::optional<std::optional<std::string>> url_resultados;
  std::optional<nlohmann::json> meta;
  std::optional<std::string> plugin_instance;
};

// Categorias and loterias. Reads are public; writes need admin (categorias) or admin/operador
// (loterias). A loteria must name a configured lottery plugin instance: the set is asked for on
// each write (a serving host answers with the instances loaded now, so one a config reload added
// can be named at once), so a loteria can never point at a plugin that is not loaded.
// Every create and change is written to the audit log with the change itself; plugin_instance and
// meta (they decide a draw) cannot change while a rifa that is not final uses the loteria (409).
class CatalogService {
 public:
  // The lottery plugin instance ids a loteria may name, as they are at the time of the call.
  using LotteryInstances = std::function<std::set<std::string>()>;

  CatalogService(CategoriaRepository& categorias, LoteriaRepository& loterias, IdGenerator& ids,
                 std::set<std::string> lottery_instances);
  // A serving host: ask `now` on each write instead of the fixed set (the instances loaded at the
  // time, which a config reload changes). Called before the service is shared between threads.
  void follow_lottery_instances(LotteryInstances now) { lottery_instances_ = std::move(now); }

  // The role rules on their own, so the API can refuse before reading a body (a jugador must get
  // 403, not a validation answer that tells them about the write path).
  Result<void> authorize_categoria_write(const Actor& actor) const;
  Result<void> authorize_loteria_write(const Actor& actor) const;

  Result<Page<Categoria>> list_categorias(const PageRequest& page);
  Result<Categoria> create_categoria(const Actor& actor, const NewCategoria& input);

  Result<Page<Loteria>> list_loterias(const PageRequest& page);
  Result<Loteria> get_loteria(const std::string& id);
  Result<Loteria> create_loteria(const Actor& actor, const NewLoteria& input);
  Result<Loteria> update_loteria(const Actor& actor, const std::string& id, const LoteriaPatch& patch);

 private:
  Result<void> check_loteria(const Loteria& loteria) const;

  CategoriaRepository& categorias_;
  LoteriaRepository& loterias_;
  IdGenerator& ids_;
  LotteryInstances lottery_instances_;
};

}  // namespace rifa::engine
