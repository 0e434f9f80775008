#include "storage/repositories/sql_loteria_repository.hpp"

#include "storage/one_time_statement.hpp"
#include "storage/repositories/sql_support.hpp"

namespace rifa::storage {
namespace {

const char* kColumns =
    "SELECT id, nombre, descripcion, frecuencia, url_resultados, meta, plugin_instance FROM loterias ";

struct LoteriaRow {
  engine::Loteria l;
  std::string descripcion, url, meta;
  soci::indicator descripcion_ind = soci::i_null, url_ind = soci::i_null;

  void bind(soci::statement& st) {
    st.exchange(soci::into(l.id));
    st.exchange(soci::into(l.nombre));
    st.exchange(soci::into(descripcion, descripcion_ind));
    st.exchange(soci::into(l.frecuencia));
    st.exchange(soci::into(url, url_ind));
    st.exchange(soci::into(meta));
    st.exchange(soci::into(l.plugin_instance));
  }

  engine::Loteria get() const {
    engine::Loteria out = l;
    out.descripcion = optional_text(descripcion, descripcion_ind);
    out.url_resultados = optional_text(url, url_ind);
    out.meta = nlohmann::json::parse(meta);  // the column is checked JSON on both backends
    return out;
  }
};

}  // namespace

Result<void> SqlLoteriaRepository::insert(const engine::Loteria& l, const engine::AuditEntry& audit) {
  const Backend backend = db_.backend();
  return db_.transaction([&](soci::session& sql) {
    NullableText descripcion(l.descripcion), url(l.url_resultados);
    const std::string meta = l.meta.dump();
    sql << "INSERT INTO loterias (id, nombre, descripcion, frecuencia, url_resultados, meta, plugin_instance) "
           "VALUES (:id, :nombre, :descripcion, :frecuencia, :url, :meta, :plugin_instance)",
        soci::use(l.id), soci::use(l.nombre), soci::use(descripcion.value, descripcion.indicator),
        soci::use(l.frecuencia), soci::use(url.value, url.indicator), soci::use(meta), soci::use(l.plugin_instance);
    append_audit(sql, backend, audit_record(audit, clock_.now()));
  });
}

Result<void> SqlLoteriaRepository::update(const engine::Loteria& l, const std::vector<std::string>& draw_fields,
                                          const engine::AuditEntry& audit) {
  const Backend backend = db_.backend();
  return db_.transaction([&](soci::session& sql) -> Result<void> {
    // The row lock conflicts with the key-share lock a rifa insert or update referencing this
    // loteria takes on PostgreSQL, so the count below cannot miss a rifa committed in between
    // (SQLite write transactions are serialised anyway).
    std::string found;
    sql << std::string("SELECT id FROM loterias WHERE id = :id") +
               (backend == Backend::kPostgresql ? " FOR UPDATE" : ""),
        soci::use(l.id), soci::into(found);
    if (!sql.got_data()) return make_error(ErrorCode::kNotFound, "loteria " + l.id + " does not exist");
    if (!draw_fields.empty()) {
      long long in_use = 0;
      sql << "SELECT count(*) FROM rifas WHERE loteria_id = :id AND estado IN ('pendiente', 'activa', 'cerrada')",
          soci::use(l.id), soci::into(in_use);
      if (in_use > 0) {
        return make_field_error(ErrorCode::kConflict, draw_fields.front(),
                                "cannot change while " + std::to_string(in_use) +
                                    " rifa(s) that are not resolved or cancelled use this loteria: "
                                    "it decides their draw");
      }
    }
    NullableText descripcion(l.descripcion), url(l.url_resultados);
    const std::string meta = l.meta.dump();
    soci::statement st = one_time_statement(
        sql,
        "UPDATE loterias SET nombre = :nombre, descripcion = :descripcion, frecuencia = :frecuencia, "
        "url_resultados = :url, meta = :meta, plugin_instance = :plugin_instance WHERE id = :id",
        soci::use(l.nombre), soci::use(descripcion.value, descripcion.indicator), soci::use(l.frecuencia),
        soci::use(url.value, url.indicator), soci::use(meta), soci::use(l.plugin_instance), soci::use(l.id));
    st.execute(true);
    if (st.get_affected_rows() != 1) return make_error(ErrorCode::kNotFound, "loteria " + l.id + " does not exist");
    append_audit(sql, backend, audit_record(audit, clock_.now()));
    return {};
  });
}

Result<std::optional<engine::Loteria>> SqlLoteriaRepository::find(const std::string& id) {
  return db_.transaction(
      [&](soci::session& sql) -> std::optional<engine::Loteria> {
        LoteriaRow row;
        soci::statement st(sql);
        row.bind(st);
        st.exchange(soci::use(id));
        st.alloc();
        st.prepare(std::string(kColumns) + "WHERE id = :id");
        st.define_and_bind();
        if (!st.execute(true)) return std::nullopt;
        return row.get();
      },
      TransactionMode::kRead);
}

Result<engine::Page<engine::Loteria>> SqlLoteriaRepository::list(const engine::PageRequest& page) {
  return db_.transaction(
      [&](soci::session& sql) {
        engine::Page<engine::Loteria> out;
        out.page = page.page;
        out.per_page = page.per_page;
        long long total = 0;
        sql << "SELECT count(*) FROM loterias", soci::into(total);
        out.total = total;
        LoteriaRow row;
        soci::statement st(sql);
        row.bind(st);
        st.alloc();
        st.prepare(std::string(kColumns) + "ORDER BY nombre, id" + limit_clause(page.per_page, page.offset()));
        st.define_and_bind();
        for_each_row(st, [&] { out.items.push_back(row.get()); });
        return out;
      },
      TransactionMode::kRead);
}

}  // namespace rifa::storage
