#include "storage/one_time_statement.hpp"
#include "storage/repositories/sql_user_repository.hpp"

#include <map>

#include <nlohmann/json.hpp>

#include "storage/repositories/sql_support.hpp"
#include "storage/timestamps.hpp"

namespace rifa::storage {
namespace {

// Booleans are read through CASE so both backends hand SOCI a plain integer.
const char* kColumns =
    "SELECT id, nombre, email, telefono, hashed_password, rol, creado_en, CASE WHEN is_active THEN 1 ELSE 0 END, "
    "email_skeleton, tokens_valid_from_s, notificaciones, fecha_nacimiento, documento_tipo, documento_numero, "
    "consentimiento_version, consentimiento_en, anonimizado_en FROM users ";

// users.notificaciones: a JSON object of channel → boolean, NULL for none set.
std::map<std::string, bool> read_channels(const std::string& text) {
  std::map<std::string, bool> channels;
  const nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (!doc.is_object()) return channels;
  for (const auto& [channel, on] : doc.items()) {
    if (on.is_boolean()) channels[channel] = on.get<bool>();
  }
  return channels;
}

struct UserRow {
  std::string id, nombre, email, telefono, hashed_password, rol, creado_en, email_skeleton;
  soci::indicator telefono_ind = soci::i_null;
  soci::indicator skeleton_ind = soci::i_null;
  std::string notificaciones;
  soci::indicator notificaciones_ind = soci::i_null;
  int is_active = 0;
  long long tokens_valid_from_s = 0;
  // Issue 15's columns, in kColumns order.
  std::string extra[6];
  soci::indicator extra_ind[6] = {soci::i_null, soci::i_null, soci::i_null, soci::i_null, soci::i_null, soci::i_null};

  void bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(nombre));
    st.exchange(soci::into(email));
    st.exchange(soci::into(telefono, telefono_ind));
    st.exchange(soci::into(hashed_password));
    st.exchange(soci::into(rol));
    st.exchange(soci::into(creado_en));
    st.exchange(soci::into(is_active));
    st.exchange(soci::into(email_skeleton, skeleton_ind));
    st.exchange(soci::into(tokens_valid_from_s));
    st.exchange(soci::into(notificaciones, notificaciones_ind));
    for (int i = 0; i < 6; ++i) st.exchange(soci::into(extra[i], extra_ind[i]));
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
    u.email_skeleton = skeleton_ind == soci::i_ok ? email_skeleton : std::string();
    u.tokens_valid_from_s = tokens_valid_from_s;
    if (notificaciones_ind == soci::i_ok) u.notificaciones = read_channels(notificaciones);
    u.fecha_nacimiento = optional_text(extra[0], extra_ind[0]);
    u.documento_tipo = optional_text(extra[1], extra_ind[1]);
    u.documento_numero = optional_text(extra[2], extra_ind[2]);
    u.consentimiento_version = optional_text(extra[3], extra_ind[3]);
    if (extra_ind[4] == soci::i_ok) u.consentimiento_en = read_timestamp(extra[4]);
    if (extra_ind[5] == soci::i_ok) u.anonimizado_en = read_timestamp(extra[5]);
    return u;
  }
};

std::optional<engine::User> select_user(soci::session& sql, const std::string& condition, const std::string& value) {
  UserRow row;
  soci::statement st(sql);
  row.bind(st);
  st.exchange(soci::use(value));
  st.alloc();
  st.prepare(std::string(kColumns) + "WHERE " + condition, soci::details::st_one_time_query);
  st.define_and_bind();
  if (!st.execute(true)) return std::nullopt;
  return row.to_user();
}

constexpr const char* kEmailTaken = "email: an account with this email already exists (or with one that looks like it)";

}  // namespace

Result<void> SqlUserRepository::insert(const engine::User& user, const std::optional<engine::AuditEntry>& audit) {
  const Backend backend = db_.backend();
  auto done = db_.transaction([&](soci::session& sql) -> Result<void> {
    long long taken = 0;
    sql << "SELECT count(*) FROM users WHERE lower(email) = lower(:email) OR email_skeleton = :skeleton",
        soci::use(user.email), soci::use(user.email_skeleton), soci::into(taken);
    if (taken > 0) return make_error(ErrorCode::kConflict, kEmailTaken);
    NullableText telefono(user.telefono);
    NullableText skeleton(user.email_skeleton.empty() ? std::nullopt : std::optional<std::string>(user.email_skeleton));
    const std::string creado_en = format_timestamp(user.creado_en);
    const std::string rol = engine::to_string(user.rol);
    const int active = user.is_active ? 1 : 0;
    const long long valid_from = user.tokens_valid_from_s;
    NullableText birth(user.fecha_nacimiento), doc_tipo(user.documento_tipo), doc_numero(user.documento_numero);
    NullableText consent_version(user.consentimiento_version);
    NullableText consent_at(
        user.consentimiento_en ? std::optional<std::string>(format_timestamp(*user.consentimiento_en)) : std::nullopt);
    const std::string cast_at = backend == Backend::kPostgresql ? "CAST(:consent_at AS TIMESTAMPTZ)" : ":consent_at";
    sql << "INSERT INTO users (id, nombre, email, telefono, hashed_password, rol, creado_en, is_active, "
           "email_skeleton, tokens_valid_from_s, fecha_nacimiento, documento_tipo, documento_numero, "
           "consentimiento_version, consentimiento_en) "
           "VALUES (:id, :nombre, :email, :telefono, :hash, :rol, :creado_en, (:active = 1), :skeleton, :valid_from, "
           ":birth, :doc_tipo, :doc_numero, :consent_version, " +
               cast_at + ")",
        soci::use(user.id), soci::use(user.nombre), soci::use(user.email),
        soci::use(telefono.value, telefono.indicator), soci::use(user.hashed_password), soci::use(rol),
        soci::use(creado_en), soci::use(active), soci::use(skeleton.value, skeleton.indicator), soci::use(valid_from),
        soci::use(birth.value, birth.indicator), soci::use(doc_tipo.value, doc_tipo.indicator),
        soci::use(doc_numero.value, doc_numero.indicator), soci::use(consent_version.value, consent_version.indicator),
        soci::use(consent_at.value, consent_at.indicator);
    if (audit) append_audit(sql, backend, audit_record(*audit, clock_.now()));
    return {};
  });
  // Two sign-ups racing past the count both reach a unique index; the loser lands here.
  if (!done && is_unique_violation(done.error())) return make_error(ErrorCode::kConflict, kEmailTaken);
  return done;
}

Result<std::optional<engine::User>> SqlUserRepository::find_where(const std::string& condition,
                                                                  const std::string& value) {
  return db_.transaction([&](soci::session& sql) { return select_user(sql, condition, value); },
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
        st.prepare(std::string(kColumns) + "ORDER BY creado_en, id" + limit_clause(page.per_page, page.offset()),
                   soci::details::st_one_time_query);
        st.define_and_bind();
        for_each_row(st, [&] { out.items.push_back(row.to_user()); });
        return out;
      },
      TransactionMode::kRead);
}

Result<engine::User> SqlUserRepository::update(const std::string& id, const engine::UserChanges& changes,
                                               const std::vector<engine::AuditEntry>& audit) {
  const Backend backend = db_.backend();
  return db_.transaction([&](soci::session& sql) -> Result<engine::User> {
    // Only the columns asked for: a stale copy of the others must never be written back.
    std::string set;
    soci::statement st(sql);
    const auto assign = [&set](const std::string& column_and_value) {
      set += (set.empty() ? "" : ", ") + column_and_value;
    };
    NullableText telefono(changes.telefono.value_or(std::nullopt));
    const std::string rol = changes.rol ? engine::to_string(*changes.rol) : "";
    const int active = changes.is_active.value_or(false) ? 1 : 0;
    const long long revoke_from = changes.revoke_tokens_at_s.value_or(0) + 1;
    const std::string channels =
        changes.notificaciones ? nlohmann::json(*changes.notificaciones).dump() : std::string();
    if (changes.nombre) {
      assign("nombre = :nombre");
      st.exchange(soci::use(*changes.nombre));
    }
    if (changes.telefono) {
      assign("telefono = :telefono");
      st.exchange(soci::use(telefono.value, telefono.indicator));
    }
    if (changes.hashed_password) {
      assign("hashed_password = :hash");
      st.exchange(soci::use(*changes.hashed_password));
    }
    if (changes.rol) {
      assign("rol = :rol");
      st.exchange(soci::use(rol));
    }
    if (changes.is_active) {
      assign("is_active = (:active = 1)");
      st.exchange(soci::use(active));
    }
    if (changes.notificaciones) {
      assign("notificaciones = :notificaciones");
      st.exchange(soci::use(channels));
    }
    if (changes.fecha_nacimiento) {
      assign("fecha_nacimiento = :birth");
      st.exchange(soci::use(*changes.fecha_nacimiento));
    }
    if (changes.documento_numero && changes.documento_tipo) {
      assign("documento_tipo = :doc_tipo, documento_numero = :doc_numero");
      st.exchange(soci::use(*changes.documento_tipo));
      st.exchange(soci::use(*changes.documento_numero));
    }
    if (changes.revoke_tokens_at_s) {
      // max(old + 1, now + 1) in one statement, so two changes in one second still move it.
      assign(
          "tokens_valid_from_s = CASE WHEN tokens_valid_from_s + 1 >= :revoke_from THEN tokens_valid_from_s + 1 "
          "ELSE :revoke_from_again END");
      st.exchange(soci::use(revoke_from));
      st.exchange(soci::use(revoke_from));
    }
    if (!set.empty()) {
      st.exchange(soci::use(id));
      st.alloc();
      st.prepare("UPDATE users SET " + set + " WHERE id = :id", soci::details::st_one_time_query);
      st.define_and_bind();
      st.execute(true);
      if (st.get_affected_rows() != 1) return make_error(ErrorCode::kNotFound, "user " + id + " does not exist");
    }
    auto after = select_user(sql, "id = :id", id);
    if (!after) return make_error(ErrorCode::kNotFound, "user " + id + " does not exist");
    for (const auto& entry : audit) append_audit(sql, backend, audit_record(entry, clock_.now()));
    return std::move(*after);
  });
}

Result<std::vector<std::pair<std::string, std::string>>> SqlUserRepository::without_email_skeleton() {
  return db_.transaction(
      [&](soci::session& sql) {
        std::vector<std::pair<std::string, std::string>> out;
        std::string id, email;
        soci::statement st =
            one_time_statement(sql, "SELECT id, email FROM users WHERE email_skeleton IS NULL ORDER BY creado_en, id",
                               soci::into(id), soci::into(email));
        for_each_row(st, [&] { out.emplace_back(id, email); });
        return out;
      },
      TransactionMode::kRead);
}

Result<void> SqlUserRepository::set_email_skeleton(const std::string& id, const std::string& skeleton) {
  auto done = db_.transaction([&](soci::session& sql) {
    sql << "UPDATE users SET email_skeleton = :skeleton WHERE id = :id", soci::use(skeleton), soci::use(id);
  });
  if (!done && is_unique_violation(done.error())) return make_error(ErrorCode::kConflict, kEmailTaken);
  return done;
}

Result<void> SqlUserRepository::record_login(const std::string& id, engine::TimePoint at) {
  const std::string when = format_timestamp(at);
  const std::string value = db_.backend() == Backend::kPostgresql ? "CAST(:at AS TIMESTAMPTZ)" : ":at";
  return db_.transaction([&](soci::session& sql) {
    sql << "UPDATE users SET ultima_actividad = " + value + " WHERE id = :id", soci::use(when), soci::use(id);
  });
}

}  // namespace rifa::storage
