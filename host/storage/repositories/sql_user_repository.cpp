#include "storage/one_time_statement.hpp"
#include "storage/repositories/sql_user_repository.hpp"

#include "storage/repositories/sql_support.hpp"
#include "storage/timestamps.hpp"

namespace rifa::storage {
namespace {

// Booleans are read through CASE so both backends hand SOCI a plain integer.
const char* kColumns =
    "SELECT id, nombre, email, telefono, hashed_password, rol, creado_en, CASE WHEN is_active THEN 1 ELSE 0 END "
    "FROM users ";

struct UserRow {
  std::string id, nombre, email, telefono, hashed_password, rol, creado_en;
  soci::indicator telefono_ind = soci::i_null;
  int is_active = 0;

  void bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(nombre));
    st.exchange(soci::into(email));
    st.exchange(soci::into(telefono, telefono_ind));
    st.exchange(soci::into(hashed_password));
    st.exchange(soci::into(rol));
    st.exchange(soci::into(creado_en));
    st.exchange(soci::into(is_active));
  }

  engine::User to_user() const {
    engine::User u;
    u.id = id;
    u.nombre = nombre;
    u.email = email;
    u.telefono = optional_text(telefono, telefono_ind);
    u.hashed_password = hashed_password;
    u.rol = engine::parse_rol(rol).value_or(engine::Rol::kJugador);
    u.creado_en = read_timestamp(creado_en);
    u.is_active = is_active != 0;
    return u;
  }
};

}  // namespace

Result<void> SqlUserRepository::insert(const engine::User& user, const std::optional<engine::AuditEntry>& audit) {
  const Backend backend = db_.backend();
  auto done = db_.transaction([&](soci::session& sql) -> Result<void> {
    long long taken = 0;
    sql << "SELECT count(*) FROM users WHERE lower(email) = lower(:email)", soci::use(user.email), soci::into(taken);
    if (taken > 0) return make_error(ErrorCode::kConflict, "email: an account with this email already exists");
    NullableText telefono(user.telefono);
    const std::string creado_en = format_timestamp(user.creado_en);
    const std::string rol = engine::to_string(user.rol);
    const int active = user.is_active ? 1 : 0;
    sql << "INSERT INTO users (id, nombre, email, telefono, hashed_password, rol, creado_en, is_active) "
           "VALUES (:id, :nombre, :email, :telefono, :hash, :rol, :creado_en, (:active = 1))",
        soci::use(user.id), soci::use(user.nombre), soci::use(user.email),
        soci::use(telefono.value, telefono.indicator), soci::use(user.hashed_password), soci::use(rol),
        soci::use(creado_en), soci::use(active);
    if (audit) append_audit(sql, backend, audit_record(*audit, clock_.now()));
    return {};
  });
  // Two sign-ups racing past the count both reach the unique index; the loser lands here.
  if (!done && is_unique_violation(done.error())) {
    return make_error(ErrorCode::kConflict, "email: an account with this email already exists");
  }
  return done;
}

Result<std::optional<engine::User>> SqlUserRepository::find_where(const std::string& condition,
                                                                  const std::string& value) {
  return db_.transaction(
      [&](soci::session& sql) -> std::optional<engine::User> {
        UserRow row;
        soci::statement st(sql);
        row.bind(st);
        st.exchange(soci::use(value));
        st.alloc();
        st.prepare(std::string(kColumns) + "WHERE " + condition, soci::details::st_one_time_query);
        st.define_and_bind();
        if (!st.execute(true)) return std::nullopt;
        return row.to_user();
      },
      TransactionMode::kRead);
}

Result<std::optional<engine::User>> SqlUserRepository::find_by_id(const std::string& id) {
  return find_where("id = :id", id);
}

Result<std::optional<engine::User>> SqlUserRepository::find_by_email(const std::string& email) {
  return find_where("lower(email) = lower(:email)", email);
}

Result<engine::Page<engine::User>> SqlUserRepository::list(const engine::PageRequest& page) {
  return db_.transaction(
      [&](soci::session& sql) {
        engine::Page<engine::User> out;
        out.page = page.page;
        out.per_page = page.per_page;
        long long total = 0;
        sql << "SELECT count(*) FROM users", soci::into(total);
        out.total = total;
        UserRow row;
        soci::statement st(sql);
        row.bind(st);
        st.alloc();
        st.prepare(std::string(kColumns) + "ORDER BY creado_en, id" + limit_clause(page.per_page, page.offset()), soci::details::st_one_time_query);
        st.define_and_bind();
        if (st.execute(true)) {
          do {
            out.items.push_back(row.to_user());
          } while (st.fetch());
        }
        return out;
      },
      TransactionMode::kRead);
}

Result<void> SqlUserRepository::update(const engine::User& user, const std::vector<engine::AuditEntry>& audit) {
  const Backend backend = db_.backend();
  return db_.transaction([&](soci::session& sql) -> Result<void> {
    NullableText telefono(user.telefono);
    const std::string rol = engine::to_string(user.rol);
    const int active = user.is_active ? 1 : 0;
    soci::statement st = one_time_statement(sql, "UPDATE users SET nombre = :nombre, telefono = :telefono, "
                                         "hashed_password = :hash, rol = :rol, is_active = (:active = 1) WHERE id = :id",
                          soci::use(user.nombre), soci::use(telefono.value, telefono.indicator),
                          soci::use(user.hashed_password), soci::use(rol), soci::use(active), soci::use(user.id));
    st.execute(true);
    if (st.get_affected_rows() != 1) return make_error(ErrorCode::kNotFound, "user " + user.id + " does not exist");
    for (const auto& entry : audit) append_audit(sql, backend, audit_record(entry, clock_.now()));
    return {};
  });
}

}  // namespace rifa::storage
