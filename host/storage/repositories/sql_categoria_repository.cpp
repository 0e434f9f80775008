#include "storage/repositories/sql_categoria_repository.hpp"

#include "storage/one_time_statement.hpp"
#include "storage/repositories/sql_support.hpp"

namespace rifa::storage {
namespace {

const char* kColumns =
    "SELECT id, nombre, color, valor_boleta, total_recaudo, rake_bp, fondo_premios, premio_por_ganador, comentario, "
    "fondo_acumulado FROM categoria_rifa ";

struct CategoriaRow {
  engine::Categoria c;
  std::string color, comentario;
  soci::indicator color_ind = soci::i_null, comentario_ind = soci::i_null;
  long long valor_boleta = 0, total_recaudo = 0, fondo_premios = 0, premio_por_ganador = 0, fondo_acumulado = 0;
  int rake_bp = 0;

  void bind(soci::statement& st) {
    st.exchange(soci::into(c.id));
    st.exchange(soci::into(c.nombre));
    st.exchange(soci::into(color, color_ind));
    st.exchange(soci::into(valor_boleta));
    st.exchange(soci::into(total_recaudo));
    st.exchange(soci::into(rake_bp));
    st.exchange(soci::into(fondo_premios));
    st.exchange(soci::into(premio_por_ganador));
    st.exchange(soci::into(comentario, comentario_ind));
    st.exchange(soci::into(fondo_acumulado));
  }

  engine::Categoria get() const {
    engine::Categoria out = c;
    out.color = optional_text(color, color_ind);
    out.comentario = optional_text(comentario, comentario_ind);
    out.valor_boleta = valor_boleta;
    out.total_recaudo = total_recaudo;
    out.rake_bp = rake_bp;
    out.fondo_premios = fondo_premios;
    out.premio_por_ganador = premio_por_ganador;
    out.fondo_acumulado = fondo_acumulado;
    return out;
  }
};

}  // namespace

Result<void> SqlCategoriaRepository::insert(const engine::Categoria& c, const engine::AuditEntry& audit) {
  const Backend backend = db_.backend();
  auto done = db_.transaction([&](soci::session& sql) {
    NullableText color(c.color), comentario(c.comentario);
    const long long valor = c.valor_boleta, recaudo = c.total_recaudo, fondo = c.fondo_premios,
                    premio = c.premio_por_ganador;
    const int rake = c.rake_bp;
    sql << "INSERT INTO categoria_rifa (id, nombre, color, valor_boleta, total_recaudo, rake_bp, fondo_premios, "
           "premio_por_ganador, comentario) VALUES (:id, :nombre, :color, :valor, :recaudo, :rake, :fondo, :premio, "
           ":comentario)",
        soci::use(c.id), soci::use(c.nombre), soci::use(color.value, color.indicator), soci::use(valor),
        soci::use(recaudo), soci::use(rake), soci::use(fondo), soci::use(premio),
        soci::use(comentario.value, comentario.indicator);
    append_audit(sql, backend, audit_record(audit, clock_.now()));
  });
  if (!done && is_unique_violation(done.error())) {
    return make_field_error(ErrorCode::kConflict, "nombre", "a categoria with this nombre already exists");
  }
  return done;
}

Result<std::optional<engine::Categoria>> SqlCategoriaRepository::find(const std::string& id) {
  return db_.transaction(
      [&](soci::session& sql) -> std::optional<engine::Categoria> {
        CategoriaRow row;
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

Result<engine::Page<engine::Categoria>> SqlCategoriaRepository::list(const engine::PageRequest& page) {
  return db_.transaction(
      [&](soci::session& sql) {
        engine::Page<engine::Categoria> out;
        out.page = page.page;
        out.per_page = page.per_page;
        long long total = 0;
        sql << "SELECT count(*) FROM categoria_rifa", soci::into(total);
        out.total = total;
        CategoriaRow row;
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
