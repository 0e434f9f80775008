#include "storage/seed.hpp"

#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "storage/sha256.hpp"

namespace rifa::storage {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Categoria {
  std::string id, nombre;
  std::optional<std::string> color, comentario;
  long long valor_boleta = 0, total_recaudo = 0, fondo_premios = 0, premio_por_ganador = 0;
  int rake_bp = 0;
};

struct Loteria {
  std::string id, nombre, frecuencia, meta, plugin_instance;
  std::optional<std::string> descripcion, url_resultados;
};

struct Rifa {
  std::string id, nombre, categoria_id, loteria_id, estado, reglas, assignment;
  int inicio_dias = 0, fin_dias = 0, numero_ganadores = 1, total_boletas = 100;
};

// Reads one entry's fields and reports the first problem with file, entry index and field.
class Entry {
 public:
  Entry(const fs::path& file, size_t index, const json& j) : file_(file), index_(index), j_(j) {}

  std::string text(const char* key) {
    const json* v = find(key, true);
    if (v && !v->is_string()) fail(key, "a string");
    return v && v->is_string() ? v->get<std::string>() : std::string();
  }
  std::optional<std::string> optional_text(const char* key) {
    const json* v = find(key, false);
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_string()) fail(key, "a string");
    return v->is_string() ? std::optional(v->get<std::string>()) : std::nullopt;
  }
  long long integer(const char* key, std::optional<long long> fallback = std::nullopt) {
    const json* v = find(key, !fallback);
    if (!v) return fallback.value_or(0);
    if (!v->is_number_integer()) fail(key, "an integer");
    return v->is_number_integer() ? v->get<long long>() : 0;
  }
  std::string object_text(const char* key) {
    const json* v = find(key, false);
    if (!v) return "{}";
    if (!v->is_object()) fail(key, "an object");
    return v->dump();
  }
  const std::optional<Error>& error() const { return error_; }

 private:
  const json* find(const char* key, bool required) {
    if (!j_.is_object()) {
      fail(key, "inside an object");
      return nullptr;
    }
    auto it = j_.find(key);
    if (it == j_.end()) {
      if (required) fail(key, "present");
      return nullptr;
    }
    return &*it;
  }
  void fail(const char* key, const char* expected) {
    if (error_) return;
    error_ = make_error(ErrorCode::kInvalidArgument,
                        file_.string() + ": entry " + std::to_string(index_) + ": '" + key + "' must be " + expected);
  }

  const fs::path& file_;
  size_t index_;
  const json& j_;
  std::optional<Error> error_;
};

Result<json> read_array(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return make_error(ErrorCode::kInvalidArgument, "seed file " + file.string() + " cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  json doc = json::parse(text.str(), nullptr, false);
  if (doc.is_discarded()) return make_error(ErrorCode::kInvalidArgument, file.string() + ": not valid JSON");
  if (!doc.is_array()) return make_error(ErrorCode::kInvalidArgument, file.string() + ": expected a JSON array");
  return doc;
}

template <typename T, typename ReadFn>
Result<std::vector<T>> read_entries(const fs::path& file, ReadFn read) {
  auto doc = read_array(file);
  if (!doc) return doc.error();
  std::vector<T> out;
  for (size_t i = 0; i < doc->size(); ++i) {
    Entry e(file, i, (*doc)[i]);
    T item = read(e);
    if (e.error()) return *e.error();
    out.push_back(std::move(item));
  }
  return out;
}

bool exists(soci::session& sql, const std::string& table, const std::string& id) {
  int n = 0;
  sql << "SELECT count(*) FROM " + table + " WHERE id = :id", soci::use(id), soci::into(n);
  return n > 0;
}

soci::indicator null_if_empty(const std::optional<std::string>& v) { return v ? soci::i_ok : soci::i_null; }

}  // namespace

Result<SeedReport> load_seed(Database& db, const fs::path& dir, TimePoint now) {
  auto categorias = read_entries<Categoria>(dir / "categorias.json", [](Entry& e) {
    Categoria c;
    c.id = e.text("id");
    c.nombre = e.text("nombre");
    c.color = e.optional_text("color");
    c.valor_boleta = e.integer("valor_boleta");
    c.total_recaudo = e.integer("total_recaudo", 0);
    c.rake_bp = static_cast<int>(e.integer("rake_bp", 0));
    c.fondo_premios = e.integer("fondo_premios", 0);
    c.premio_por_ganador = e.integer("premio_por_ganador", 0);
    c.comentario = e.optional_text("comentario");
    return c;
  });
  if (!categorias) return categorias.error();
  auto loterias = read_entries<Loteria>(dir / "loterias.json", [](Entry& e) {
    Loteria l;
    l.id = e.text("id");
    l.nombre = e.text("nombre");
    l.descripcion = e.optional_text("descripcion");
    l.frecuencia = e.text("frecuencia");
    l.url_resultados = e.optional_text("url_resultados");
    l.meta = e.object_text("meta");
    l.plugin_instance = e.text("plugin_instance");
    return l;
  });
  if (!loterias) return loterias.error();
  auto rifas = read_entries<Rifa>(dir / "rifas.json", [](Entry& e) {
    Rifa r;
    r.id = e.text("id");
    r.nombre = e.text("nombre");
    r.categoria_id = e.text("categoria_id");
    r.loteria_id = e.text("loteria_id");
    r.inicio_dias = static_cast<int>(e.integer("inicio_dias"));
    r.fin_dias = static_cast<int>(e.integer("fin_dias"));
    r.numero_ganadores = static_cast<int>(e.integer("numero_ganadores", 1));
    r.estado = e.text("estado");
    r.reglas = e.object_text("reglas");
    r.total_boletas = static_cast<int>(e.integer("total_boletas", 100));
    r.assignment = e.optional_text("assignment").value_or("sequential");
    return r;
  });
  if (!rifas) return rifas.error();

  auto loaded = db.transaction([&](soci::session& sql) -> Result<SeedReport> {
    SeedReport report;
    for (const auto& c : *categorias) {
      if (exists(sql, "categoria_rifa", c.id)) {
        ++report.skipped;
        continue;
      }
      const std::string color = c.color.value_or(""), comentario = c.comentario.value_or("");
      soci::indicator color_ind = null_if_empty(c.color), comentario_ind = null_if_empty(c.comentario);
      sql << "INSERT INTO categoria_rifa (id, nombre, color, valor_boleta, total_recaudo, rake_bp, fondo_premios, "
             "premio_por_ganador, comentario) VALUES (:id, :nombre, :color, :valor, :total, :rake, :fondo, :premio, "
             ":comentario)",
          soci::use(c.id), soci::use(c.nombre), soci::use(color, color_ind), soci::use(c.valor_boleta),
          soci::use(c.total_recaudo), soci::use(c.rake_bp), soci::use(c.fondo_premios), soci::use(c.premio_por_ganador),
          soci::use(comentario, comentario_ind);
      ++report.categorias;
    }
    for (const auto& l : *loterias) {
      if (exists(sql, "loterias", l.id)) {
        ++report.skipped;
        continue;
      }
      const std::string descripcion = l.descripcion.value_or(""), url = l.url_resultados.value_or("");
      soci::indicator descripcion_ind = null_if_empty(l.descripcion), url_ind = null_if_empty(l.url_resultados);
      sql << "INSERT INTO loterias (id, nombre, descripcion, frecuencia, url_resultados, meta, plugin_instance) "
             "VALUES (:id, :nombre, :descripcion, :frecuencia, :url, :meta, :plugin)",
          soci::use(l.id), soci::use(l.nombre), soci::use(descripcion, descripcion_ind), soci::use(l.frecuencia),
          soci::use(url, url_ind), soci::use(l.meta), soci::use(l.plugin_instance);
      ++report.loterias;
    }
    for (const auto& r : *rifas) {
      if (exists(sql, "rifas", r.id)) {
        ++report.skipped;
        continue;
      }
      long long precio = -1;
      soci::indicator found = soci::i_null;
      sql << "SELECT valor_boleta FROM categoria_rifa WHERE id = :id", soci::use(r.categoria_id),
          soci::into(precio, found);
      if (!sql.got_data()) {
        return make_error(ErrorCode::kInvalidArgument, (dir / "rifas.json").string() + ": rifa " + r.id +
                                                           ": categoria_id " + r.categoria_id + " does not exist");
      }
      const std::string inicio = format_timestamp(now + std::chrono::days(r.inicio_dias));
      const std::string fin = format_timestamp(now + std::chrono::days(r.fin_dias));
      sql << "INSERT INTO rifas (id, nombre, categoria_id, loteria_id, fecha_inicio, fecha_fin, numero_ganadores, "
             "estado, reglas, total_boletas, assignment) VALUES (:id, :nombre, :categoria, :loteria, :inicio, :fin, "
             ":ganadores, :estado, :reglas, :total, :assignment)",
          soci::use(r.id), soci::use(r.nombre), soci::use(r.categoria_id), soci::use(r.loteria_id), soci::use(inicio),
          soci::use(fin), soci::use(r.numero_ganadores), soci::use(r.estado), soci::use(r.reglas),
          soci::use(r.total_boletas), soci::use(r.assignment);
      ++report.rifas;
      std::vector<std::string> ids;
      std::vector<std::string> rifa_ids(static_cast<size_t>(r.total_boletas), r.id);
      std::vector<int> numeros;
      std::vector<long long> precios(static_cast<size_t>(r.total_boletas), precio);
      for (int n = 0; n < r.total_boletas; ++n) {
        ids.push_back(name_based_uuid("rifa1122-seed-ticket:" + r.id + ":" + std::to_string(n)));
        numeros.push_back(n);
      }
      sql << "INSERT INTO tickets (id, rifa_id, numero, precio) VALUES (:id, :rifa, :numero, :precio)", soci::use(ids),
          soci::use(rifa_ids), soci::use(numeros), soci::use(precios);
      report.tickets += r.total_boletas;
    }
    return report;
  });
  if (!loaded && loaded.error().code == ErrorCode::kDatabase) {
    return make_error(ErrorCode::kDatabase, "seed data " + dir.string() + ": " + loaded.error().message);
  }
  return loaded;
}

}  // namespace rifa::storage
