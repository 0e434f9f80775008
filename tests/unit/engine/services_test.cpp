#include <gtest/gtest.h>

#include "engine/account_service.hpp"
#include "engine/catalog_service.hpp"
#include "engine/rifa_service.hpp"
#include "fakes.hpp"

namespace rifa::engine {
namespace {

using namespace rifa::engine::testing;

// A public sign-up's required members (issue 15): an adult's birth date, a CC and the consent.
NewUser adult(std::string nombre, std::string email, std::string password, std::optional<std::string> telefono) {
  NewUser in;
  in.nombre = std::move(nombre);
  in.email = std::move(email);
  in.password = std::move(password);
  in.telefono = std::move(telefono);
  in.fecha_nacimiento = "1990-05-17";
  in.documento_tipo = "CC";
  in.documento_numero = "1020304050";
  in.acepta_politica_datos = true;
  return in;
}

class AccountServiceTest : public ::testing::Test {
 protected:
  MemoryUsers users_;
  PlainPasswords passwords_;
  FixedClock clock_;
  CountingIds ids_;
  AccountService service_{users_, passwords_, clock_, ids_};

  User make(const std::string& email, Rol rol) {
    auto u = service_.create_user({"N", email, "long-enough-pw", std::nullopt}, rol, cli_actor());
    EXPECT_TRUE(u.ok());
    return *u;
  }
};

TEST_F(AccountServiceTest, RegisterMakesALowerCasedJugador) {
  auto outcome = service_.register_user(adult("Ana", "Ana@X.CO", "long-enough-pw", "123"));
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(*outcome, Registration::kCreated);
  ASSERT_EQ(users_.users_.size(), 1u);
  const User* u = &users_.users_.begin()->second;
  EXPECT_EQ(u->email, "ana@x.co");
  EXPECT_EQ(u->rol, Rol::kJugador);
  EXPECT_EQ(u->creado_en, clock_.now_);
  EXPECT_EQ(u->hashed_password, "hash:long-enough-pw");
  EXPECT_TRUE(users_.audit_.empty());  // self sign-up grants nothing worth auditing
  auto weak = service_.register_user(adult("Ana", "b@x.co", "short", std::nullopt));
  EXPECT_EQ(weak.error().message, "password: too short");
  auto bad_name = service_.register_user(adult("", "c@x.co", "long-enough-pw", std::nullopt));
  EXPECT_EQ(bad_name.error().message, "nombre: must not be empty");
}

TEST_F(AccountServiceTest, LoginFailuresShareOneMessage) {
  auto u = make("a@x.co", Rol::kJugador);
  EXPECT_TRUE(service_.login("A@X.CO", "long-enough-pw").ok());
  EXPECT_EQ(service_.login("a@x.co", "wrong-password").error().message, kBadCredentials);
  EXPECT_EQ(service_.login("nobody@x.co", "long-enough-pw").error().message, kBadCredentials);
  ASSERT_TRUE(service_.deactivate(Actor{"admin", Rol::kAdmin}, u.id).ok());
  auto inactive = service_.login("a@x.co", "long-enough-pw");
  EXPECT_EQ(inactive.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(inactive.error().message, kBadCredentials);
}

TEST_F(AccountServiceTest, AccessRules) {
  auto a = make("a@x.co", Rol::kJugador);
  auto b = make("b@x.co", Rol::kJugador);
  const Actor as_a{a.id, Rol::kJugador};
  EXPECT_TRUE(service_.get(as_a, a.id).ok());
  EXPECT_EQ(service_.get(as_a, b.id).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_.get(as_a, "missing").error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_.get(Actor{"admin", Rol::kAdmin}, "missing").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_.list(Actor{"op", Rol::kOperador}, PageRequest{}).error().code, ErrorCode::kPermissionDenied);
  UserPatch promote;
  promote.rol = Rol::kAdmin;
  EXPECT_EQ(service_.update(as_a, a.id, promote).error().message, "rol: only an admin may change roles");
  EXPECT_EQ(service_.deactivate(as_a, a.id).error().code, ErrorCode::kPermissionDenied);
}

TEST_F(AccountServiceTest, RoleChangesAndDeactivationsAreAudited) {
  auto a = make("a@x.co", Rol::kJugador);
  users_.audit_.clear();
  const Actor admin{"admin-1", Rol::kAdmin};
  UserPatch patch;
  patch.rol = Rol::kOperador;
  patch.nombre = "Nuevo";
  ASSERT_TRUE(service_.update(admin, a.id, patch).ok());
  ASSERT_EQ(users_.audit_.size(), 1u);
  EXPECT_EQ(users_.audit_[0].action, "user.role_changed");
  EXPECT_EQ(users_.audit_[0].actor, "admin-1");
  EXPECT_EQ(users_.audit_[0].data, (nlohmann::json{{"from", "jugador"}, {"to", "operador"}}));
  ASSERT_TRUE(service_.update(admin, a.id, patch).ok());  // same role again: nothing to audit
  EXPECT_EQ(users_.audit_.size(), 1u);
  ASSERT_TRUE(service_.deactivate(admin, a.id).ok());
  ASSERT_EQ(users_.audit_.size(), 2u);
  EXPECT_EQ(users_.audit_[1].action, "user.deactivated");
  EXPECT_FALSE(users_.users_[a.id].is_active);
}

class RifaServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    categorias_.items_["cat"] = Categoria{"cat", "Oro", std::nullopt, 5000, 0, 2500, 0, 0, std::nullopt};
    categorias_.items_["cat2"] = Categoria{"cat2", "Plata", std::nullopt, 2000, 0, 0, 0, 0, std::nullopt};
    loterias_.items_["lot"] =
        Loteria{"lot", "L", std::nullopt, "semanal", std::nullopt, nlohmann::json::object(), "mock"};
  }
  NewRifa input() {
    NewRifa in;
    in.nombre = "R";
    in.categoria_id = "cat";
    in.loteria_id = "lot";
    in.fecha_inicio = clock_.now_;
    in.fecha_fin = clock_.now_ + std::chrono::hours(24);
    return in;
  }

  MemoryRifas rifas_;
  MemoryCategorias categorias_;
  MemoryLoterias loterias_;
  FixedClock clock_;
  CountingIds ids_;
  RifaService service_{rifas_, categorias_, loterias_, clock_, ids_};
  const Actor op_{"op", Rol::kOperador};
};

TEST_F(RifaServiceTest, CreateTakesThePriceFromTheCategoria) {
  auto r = service_.create(op_, input());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(rifas_.precio_[r->rifa.id], 5000);
  EXPECT_EQ(r->disponibles, 100);
  EXPECT_EQ(rifas_.audit_.at(0).action, "rifa.created");
  EXPECT_EQ(service_.create(Actor{"j", Rol::kJugador}, input()).error().code, ErrorCode::kPermissionDenied);
  auto in = input();
  in.categoria_id = "nope";
  EXPECT_EQ(service_.create(op_, in).error().message, "categoria_id: categoria nope does not exist");
  in = input();
  in.fecha_fin = in.fecha_inicio;
  EXPECT_EQ(service_.create(op_, in).error().message, "fecha_fin: must be after fecha_inicio");
}

TEST_F(RifaServiceTest, OnlyChangedMoneyFieldsAskForTheLock) {
  const std::string id = service_.create(op_, input())->rifa.id;
  RifaPatch rename;
  rename.nombre = "Otro";
  rename.total_boletas = 100;  // unchanged: not a locked change
  ASSERT_TRUE(service_.update(op_, id, rename).ok());
  ASSERT_TRUE(rifas_.last_change_);
  EXPECT_FALSE(rifas_.last_change_->require_no_tickets_taken);

  RifaPatch price;
  price.categoria_id = "cat2";
  ASSERT_TRUE(service_.update(op_, id, price).ok());
  EXPECT_TRUE(rifas_.last_change_->require_no_tickets_taken);
  EXPECT_EQ(rifas_.precio_[id], 2000);

  rifas_.taken_[id] = 1;
  RifaPatch reglas;
  reglas.reglas = nlohmann::json{
      {"tiers", {{{"match", {{"field", "numero"}, {"digits", "last"}, {"count", 2}}}, {"share_bp", 10000}}}}};
  EXPECT_EQ(service_.update(op_, id, reglas).error().message,
            "reglas: locked because 1 ticket(s) are already reserved or sold");
}

TEST_F(RifaServiceTest, EstadoTransitions) {
  const std::string id = service_.create(op_, input())->rifa.id;
  RifaPatch close;
  close.estado = RifaEstado::kCerrada;
  auto refused = service_.update(op_, id, close);
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_EQ(field_of(refused.error()), "estado");
  RifaPatch open;
  open.estado = RifaEstado::kActiva;
  ASSERT_TRUE(service_.update(op_, id, open).ok());
  RifaPatch back;
  back.estado = RifaEstado::kPendiente;
  EXPECT_EQ(service_.update(op_, id, back).error().code, ErrorCode::kConflict);
}

// The lifecycle is decided here, not in the repository: what each transition implies is in the
// change the service hands over.
TEST_F(RifaServiceTest, TransitionsDecideFreezeAndRefunds) {
  const std::string id = service_.create(op_, input())->rifa.id;
  RifaPatch rename;
  rename.nombre = "Otro";
  ASSERT_TRUE(service_.update(op_, id, rename).ok());
  EXPECT_FALSE(rifas_.last_change_->freeze_commitment);
  EXPECT_FALSE(rifas_.last_change_->queue_refunds);
  EXPECT_FALSE(rifas_.last_change_->rebuild_tickets_precio);

  RifaPatch open;
  open.estado = RifaEstado::kActiva;
  ASSERT_TRUE(service_.update(op_, id, open).ok());
  EXPECT_TRUE(rifas_.last_change_->freeze_commitment);
  EXPECT_FALSE(rifas_.last_change_->queue_refunds);
  EXPECT_EQ(rifas_.last_change_->before.estado, RifaEstado::kPendiente);
  EXPECT_EQ(rifas_.last_change_->after.estado, RifaEstado::kActiva);
  EXPECT_EQ(rifas_.last_change_->audit.action, "rifa.updated");

  RifaPatch cancel;
  cancel.estado = RifaEstado::kCancelada;
  ASSERT_TRUE(service_.update(op_, id, cancel).ok());
  EXPECT_FALSE(rifas_.last_change_->freeze_commitment);
  EXPECT_TRUE(rifas_.last_change_->queue_refunds);

  // The repository reports the facts; the service words the refusal.
  const std::string other = service_.create(op_, input())->rifa.id;
  RifaPatch resize;
  resize.total_boletas = 200;
  ASSERT_TRUE(service_.update(op_, other, resize).ok());
  EXPECT_EQ(rifas_.last_change_->rebuild_tickets_precio, std::optional<int64_t>(5000));
  EXPECT_TRUE(rifas_.last_change_->require_no_tickets_taken);
}

TEST(CatalogServiceTest, LoteriasMustNameALotteryInstance) {
  MemoryCategorias categorias;
  MemoryLoterias loterias;
  CountingIds ids;
  CatalogService service(categorias, loterias, ids, {"mock"});
  NewLoteria in{"L", std::nullopt, "diaria", std::nullopt, nlohmann::json::object(), "mock"};
  EXPECT_TRUE(service.create_loteria(Actor{"op", Rol::kOperador}, in).ok());
  in.plugin_instance = "sandbox";
  EXPECT_EQ(service.create_loteria(Actor{"op", Rol::kOperador}, in).error().message,
            "plugin_instance: 'sandbox' is not a configured lottery plugin instance (configured: mock)");
  CatalogService none(categorias, loterias, ids, {});
  EXPECT_EQ(none.create_loteria(Actor{"op", Rol::kOperador}, in).error().message,
            "plugin_instance: 'sandbox' is not a configured lottery plugin instance (none configured)");
}

}  // namespace
}  // namespace rifa::engine
