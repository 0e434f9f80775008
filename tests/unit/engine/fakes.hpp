#pragma once

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "engine/catalog_repository.hpp"
#include "engine/clock.hpp"
#include "engine/id_generator.hpp"
#include "engine/password_policy.hpp"
#include "engine/user_repository.hpp"
#include "engine/validation.hpp"

// In-memory stand-ins for the engine's ports, so the services' rules are tested alone. The SQL
// implementations are tested against real databases in tests/integration/api.
namespace rifa::engine::testing {

class FixedClock final : public Clock {
 public:
  TimePoint now() const override { return now_; }
  TimePoint now_ = std::chrono::sys_days{std::chrono::year{2030} / 1 / 1};
};

class CountingIds final : public IdGenerator {
 public:
  std::string next() override { return "id-" + std::to_string(++n_); }
  int n_ = 0;
};

// "hash:<password>" — the rules under test do not depend on argon2.
class PlainPasswords final : public PasswordPolicy {
 public:
  std::string weakness(const std::string& p) const override { return p.size() < 10 ? "too short" : ""; }
  Result<std::string> hash(const std::string& p) const override { return "hash:" + p; }
  bool verify(const std::string& encoded, const std::string& p) const override { return encoded == "hash:" + p; }
};

class MemoryUsers final : public UserRepository {
 public:
  Result<void> insert(const User& user, const std::optional<AuditEntry>& audit) override {
    for (const auto& [id, u] : users_) {
      if (ascii_lower(u.email) == ascii_lower(user.email))
        return make_field_error(ErrorCode::kConflict, "email", "taken");
    }
    users_[user.id] = user;
    if (audit) audit_.push_back(*audit);
    return {};
  }
  Result<std::optional<User>> find_by_id(const std::string& id) override {
    auto it = users_.find(id);
    if (it == users_.end()) return std::optional<User>();
    return std::optional<User>(it->second);
  }
  Result<std::optional<User>> find_by_email(const std::string& email) override {
    for (const auto& [id, u] : users_) {
      if (u.email == ascii_lower(email)) return std::optional<User>(u);
    }
    return std::optional<User>();
  }
  Result<Page<User>> list(const PageRequest& page) override {
    Page<User> out{{}, page.page, page.per_page, static_cast<int64_t>(users_.size())};
    for (const auto& [id, u] : users_) out.items.push_back(u);
    return out;
  }
  Result<User> update(const std::string& id, const UserChanges& changes,
                      const std::vector<AuditEntry>& audit) override {
    auto it = users_.find(id);
    if (it == users_.end()) return make_error(ErrorCode::kNotFound, "user " + id + " does not exist");
    User& u = it->second;
    if (changes.nombre) u.nombre = *changes.nombre;
    if (changes.telefono) u.telefono = *changes.telefono;
    if (changes.hashed_password) u.hashed_password = *changes.hashed_password;
    if (changes.rol) u.rol = *changes.rol;
    if (changes.is_active) u.is_active = *changes.is_active;
    if (changes.revoke_tokens_at_s)
      u.tokens_valid_from_s = std::max(u.tokens_valid_from_s, *changes.revoke_tokens_at_s) + 1;
    audit_.insert(audit_.end(), audit.begin(), audit.end());
    return u;
  }
  Result<std::vector<std::pair<std::string, std::string>>> without_email_skeleton() override {
    return std::vector<std::pair<std::string, std::string>>();
  }
  Result<void> set_email_skeleton(const std::string&, const std::string&) override { return {}; }

  std::map<std::string, User> users_;
  std::vector<AuditEntry> audit_;
};

class MemoryCategorias final : public CategoriaRepository {
 public:
  Result<void> insert(const Categoria& c, const AuditEntry&) override {
    items_[c.id] = c;
    return {};
  }
  Result<std::optional<Categoria>> find(const std::string& id) override {
    auto it = items_.find(id);
    return it == items_.end() ? std::optional<Categoria>() : std::optional<Categoria>(it->second);
  }
  Result<Page<Categoria>> list(const PageRequest& page) override {
    return Page<Categoria>{{}, page.page, page.per_page, 0};
  }
  std::map<std::string, Categoria> items_;
};

class MemoryLoterias final : public LoteriaRepository {
 public:
  Result<void> insert(const Loteria& l, const AuditEntry&) override {
    items_[l.id] = l;
    return {};
  }
  Result<std::optional<Loteria>> find(const std::string& id) override {
    auto it = items_.find(id);
    return it == items_.end() ? std::optional<Loteria>() : std::optional<Loteria>(it->second);
  }
  Result<Page<Loteria>> list(const PageRequest& page) override {
    return Page<Loteria>{{}, page.page, page.per_page, 0};
  }
  Result<void> update(const Loteria& l, const std::vector<std::string>&, const AuditEntry&) override {
    items_[l.id] = l;
    return {};
  }
  std::map<std::string, Loteria> items_;
};

// Tickets are only counted: `taken_` stands for reservado + vendido + ganador.
class MemoryRifas final : public RifaRepository {
 public:
  Result<void> create(const Rifa& rifa, int64_t precio, const AuditEntry& audit) override {
    rifas_[rifa.id] = rifa;
    precio_[rifa.id] = precio;
    audit_.push_back(audit);
    return {};
  }
  Result<std::optional<RifaView>> find(const std::string& id) override {
    auto it = rifas_.find(id);
    if (it == rifas_.end()) return std::optional<RifaView>();
    return std::optional<RifaView>(RifaView{it->second, taken_[id], it->second.total_boletas - taken_[id]});
  }
  Result<Page<RifaView>> list(const RifaFilter&, const PageRequest& page) override {
    return Page<RifaView>{{}, page.page, page.per_page, 0};
  }
  // The facts a SQL repository checks on the locked row, from the maps; the last applied change kept.
  Result<RifaChangeOutcome> apply(const RifaChange& change) override {
    const Rifa& rifa = change.after;
    RifaChangeOutcome out;
    auto it = rifas_.find(rifa.id);
    if (it == rifas_.end()) {
      out.status = RifaChangeOutcome::Status::kNotFound;
      return out;
    }
    out.stored_estado = to_string(it->second.estado);
    if (it->second.estado != change.before.estado) {
      out.status = RifaChangeOutcome::Status::kEstadoChanged;
      return out;
    }
    if (change.require_no_tickets_taken && taken_[rifa.id] > 0) {
      out.status = RifaChangeOutcome::Status::kTicketsTaken;
      out.tickets_taken = taken_[rifa.id];
      return out;
    }
    it->second = rifa;
    if (change.rebuild_tickets_precio) precio_[rifa.id] = *change.rebuild_tickets_precio;
    audit_.push_back(change.audit);
    last_change_ = change;
    return out;
  }

  std::map<std::string, Rifa> rifas_;
  std::map<std::string, int64_t> precio_;
  std::map<std::string, int64_t> taken_;
  std::vector<AuditEntry> audit_;
  std::optional<RifaChange> last_change_;
};

}  // namespace rifa::engine::testing
