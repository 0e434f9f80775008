#include "engine/catalog_service.hpp"

#include "engine/validation.hpp"

namespace rifa::engine {
namespace {

Result<void> check_text(const char* field, const std::string& value, size_t max_length, bool allow_empty = false) {
  if (!allow_empty && value.empty()) return invalid_field(field, "must not be empty");
  if (utf8_length(value) > max_length) {
    return invalid_field(field, "must be at most " + std::to_string(max_length) + " characters");
  }
  return {};
}

Result<void> check_optional_text(const char* field, const std::optional<std::string>& value, size_t max_length) {
  if (!value) return {};
  return check_text(field, *value, max_length, true);
}

nlohmann::json optional_text_json(const std::optional<std::string>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

// A loteria as its audit entries record it.
nlohmann::json describe(const Loteria& l) {
  return {{"nombre", l.nombre},
          {"descripcion", optional_text_json(l.descripcion)},
          {"frecuencia", l.frecuencia},
          {"url_resultados", optional_text_json(l.url_resultados)},
          {"meta", l.meta},
          {"plugin_instance", l.plugin_instance}};
}

}  // namespace

CatalogService::CatalogService(CategoriaRepository& categorias, LoteriaRepository& loterias, IdGenerator& ids,
                               std::set<std::string> lottery_instances)
    : categorias_(categorias),
      loterias_(loterias),
      ids_(ids),
      lottery_instances_([fixed = std::move(lottery_instances)] { return fixed; }) {}

Result<void> CatalogService::authorize_categoria_write(const Actor& actor) const {
  if (!actor.is_admin()) return make_error(ErrorCode::kPermissionDenied, "creating categorias requires the admin role");
  return {};
}

Result<void> CatalogService::authorize_loteria_write(const Actor& actor) const {
  if (!actor.is_staff()) {
    return make_error(ErrorCode::kPermissionDenied,
                      "creating or changing loterias requires the operador or admin role");
  }
  return {};
}

Result<Page<Categoria>> CatalogService::list_categorias(const PageRequest& page) { return categorias_.list(page); }

Result<Categoria> CatalogService::create_categoria(const Actor& actor, const NewCategoria& input) {
  if (auto ok = authorize_categoria_write(actor); !ok) return ok.error();
  if (auto ok = check_text("nombre", input.nombre, kCatalogNombreMaxLength); !ok) return ok.error();
  if (auto ok = check_optional_text("color", input.color, kColorMaxLength); !ok) return ok.error();
  if (auto ok = check_optional_text("comentario", input.comentario, kComentarioMaxLength); !ok) return ok.error();
  if (input.valor_boleta < 0) return invalid_field("valor_boleta", "must be at least 0");
  if (input.premio_por_ganador < 0) return invalid_field("premio_por_ganador", "must be at least 0");
  if (input.rake_bp < 0 || input.rake_bp > kRakeBpMax) return invalid_field("rake", "must be between 0 and 1");
  Categoria c;
  c.id = ids_.next();
  c.nombre = input.nombre;
  c.color = input.color;
  c.valor_boleta = input.valor_boleta;
  c.rake_bp = input.rake_bp;
  c.premio_por_ganador = input.premio_por_ganador;
  c.comentario = input.comentario;
  const nlohmann::json data = {{"nombre", c.nombre},
                               {"color", optional_text_json(c.color)},
                               {"valor_boleta", c.valor_boleta},
                               {"rake_bp", c.rake_bp},
                               {"premio_por_ganador", c.premio_por_ganador},
                               {"comentario", optional_text_json(c.comentario)}};
  if (auto ok = categorias_.insert(c, AuditEntry{actor.user_id, "categoria.created", "categoria_rifa", c.id, data});
      !ok) {
    if (ok.error().code == ErrorCode::kConflict) {
      return field_error(ErrorCode::kConflict, "nombre", "a categoria named '" + c.nombre + "' already exists");
    }
    return ok.error();
  }
  return c;
}

Result<Page<Loteria>> CatalogService::list_loterias(const PageRequest& page) { return loterias_.list(page); }

Result<Loteria> CatalogService::get_loteria(const std::string& id) {
  auto found = loterias_.find(id);
  if (!found) return found.error();
  if (!*found) return make_error(ErrorCode::kNotFound, "loteria " + id + " does not exist");
  return std::move(**found);
}

Result<void> CatalogService::check_loteria(const Loteria& l) const {
  if (auto ok = check_text("nombre", l.nombre, kCatalogNombreMaxLength); !ok) return ok;
  if (auto ok = check_optional_text("descripcion", l.descripcion, kTextMaxLength); !ok) return ok;
  if (auto ok = check_text("frecuencia", l.frecuencia, kCatalogNombreMaxLength); !ok) return ok;
  if (auto ok = check_optional_text("url_resultados", l.url_resultados, kTextMaxLength); !ok) return ok;
  if (!l.meta.is_object()) return invalid_field("meta", "must be a JSON object");
  const std::set<std::string> instances = lottery_instances_();
  if (instances.count(l.plugin_instance) == 0) {
    std::string known;
    for (const auto& id : instances) known += (known.empty() ? "" : ", ") + id;
    return invalid_field("plugin_instance",
                         "'" + l.plugin_instance + "' is not a configured lottery plugin instance" +
                             (known.empty() ? " (none configured)" : " (configured: " + known + ")"));
  }
  return {};
}

Result<Loteria> CatalogService::create_loteria(const Actor& actor, const NewLoteria& input) {
  if (auto ok = authorize_loteria_write(actor); !ok) return ok.error();
  Loteria l;
  l.id = ids_.next();
  l.nombre = input.nombre;
  l.descripcion = input.descripcion;
  l.frecuencia = input.frecuencia;
  l.url_resultados = input.url_resultados;
  l.meta = input.meta;
  l.plugin_instance = input.plugin_instance;
  if (auto ok = check_loteria(l); !ok) return ok.error();
  if (auto ok = loterias_.insert(l, AuditEntry{actor.user_id, "loteria.created", "loterias", l.id, describe(l)}); !ok) {
    return ok.error();
  }
  return l;
}

Result<Loteria> CatalogService::update_loteria(const Actor& actor, const std::string& id, const LoteriaPatch& patch) {
  if (auto ok = authorize_loteria_write(actor); !ok) return ok.error();
  auto current = get_loteria(id);
  if (!current) return current.error();
  const Loteria before = *current;
  Loteria l = std::move(*current);
  if (patch.nombre) l.nombre = *patch.nombre;
  if (patch.descripcion) l.descripcion = *patch.descripcion;
  if (patch.frecuencia) l.frecuencia = *patch.frecuencia;
  if (patch.url_resultados) l.url_resultados = *patch.url_resultados;
  if (patch.meta) l.meta = *patch.meta;
  if (patch.plugin_instance) l.plugin_instance = *patch.plugin_instance;
  if (auto ok = check_loteria(l); !ok) return ok.error();
  // Which plugin answers the draw and the meta that validates it (cifras, series) decide the
  // result of every rifa using the loteria: they may not move under a rifa that is not final.
  std::vector<std::string> draw_fields;
  if (l.plugin_instance != before.plugin_instance) draw_fields.push_back("plugin_instance");
  if (l.meta != before.meta) draw_fields.push_back("meta");
  nlohmann::json changes = nlohmann::json::object();
  const nlohmann::json old_fields = describe(before), new_fields = describe(l);
  for (auto it = new_fields.begin(); it != new_fields.end(); ++it) {
    if (old_fields.at(it.key()) != it.value())
      changes[it.key()] = {{"from", old_fields.at(it.key())}, {"to", it.value()}};
  }
  if (changes.empty()) return l;
  if (auto ok =
          loterias_.update(l, draw_fields, AuditEntry{actor.user_id, "loteria.updated", "loterias", l.id, changes});
      !ok) {
    return ok.error();
  }
  return l;
}

}  // namespace rifa::engine
