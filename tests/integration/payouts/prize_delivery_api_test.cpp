// POST /api/v1/ganadores/{id}/entregado over real HTTP: an operador hands over a prize in kind.
#include "api_fixture.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;

class PrizeDeliveryApiTest : public ApiTest {
 protected:
  // A rifa whose tier 0 is a prize in kind and tier 1 cash, with ticket 7 winning both.
  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    rifa_ = create_rifa()["id"];
    const json reglas = {{"tiers",
                          {{{"name", "moto"},
                            {"match", {{"field", "numero"}, {"digits", "last"}, {"count", 2}}},
                            {"prize", {{"type", "in_kind"}, {"description", "Una moto"}, {"value_cents", 900000}}}},
                           {{"name", "efectivo"},
                            {"match", {{"field", "serie"}, {"digits", "last"}, {"count", 2}}},
                            {"share_bp", 5000}}}}};
    exec("UPDATE rifas SET estado = 'resuelta', reglas = '" + reglas.dump() + "' WHERE id = '" + rifa_ + "'");
    buyer_ = register_jugador("ganador@example.com");
    exec("UPDATE tickets SET estado = 'ganador', usuario_id = '" + buyer_.id + "' WHERE rifa_id = '" + rifa_ +
         "' AND numero = 7");
    exec(
        "INSERT INTO ganadores (id, ticket_id, tier, monto_ganado) SELECT 'g-in-kind', id, 0, 0 FROM tickets "
        "WHERE rifa_id = '" +
        rifa_ + "' AND numero = 7");
    exec(
        "INSERT INTO ganadores (id, ticket_id, tier, monto_ganado) SELECT 'g-cash', id, 1, 12000 FROM tickets "
        "WHERE rifa_id = '" +
        rifa_ + "' AND numero = 7");
  }

  std::string rifa_;
  Account buyer_;
};

TEST_F(PrizeDeliveryApiTest, AnOperadorMarksAPrizeInKindDeliveredOnce) {
  auto op = make_user("op@example.com", engine::Rol::kOperador);
  auto reply = call("POST", "/api/v1/ganadores/g-in-kind/entregado", "", op.token);
  ASSERT_EQ(reply.status, 200) << reply.body;
  const json body = reply.json();
  EXPECT_EQ(body["id"], "g-in-kind");
  EXPECT_EQ(body["numero"], 7);
  EXPECT_EQ(body["premio"], "moto");
  EXPECT_EQ(body["tipo"], "in_kind");
  EXPECT_EQ(body["descripcion"], "Una moto");
  EXPECT_EQ(body["pago"]["estado"], "entregado");
  EXPECT_EQ(body["pago"]["entregado_por"], op.id);
  EXPECT_TRUE(body["pago"]["fecha_pago"].is_string()) << body;
  EXPECT_EQ(count("SELECT count(*) FROM ganadores WHERE id = 'g-in-kind' AND fecha_pago IS NOT NULL"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'prize.delivered' AND entity_id = 'g-in-kind'"), 1);

  // Again, by an admin, with an empty JSON object: the same row, no second audit entry.
  auto again = call("POST", "/api/v1/ganadores/g-in-kind/entregado", json::object(), admin_.token);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json()["pago"]["entregado_por"], op.id);
  EXPECT_EQ(again.json()["pago"]["fecha_pago"], body["pago"]["fecha_pago"]);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'prize.delivered'"), 1);
}

TEST_F(PrizeDeliveryApiTest, RefusesWhoMayNotAndWhatCannotBeDelivered) {
  expect_problem(call("POST", "/api/v1/ganadores/g-in-kind/entregado", "", ""), 401);
  expect_problem(call("POST", "/api/v1/ganadores/g-in-kind/entregado", "", buyer_.token), 403);
  expect_problem(call("POST", "/api/v1/ganadores/g-cash/entregado", "", admin_.token), 409, "",
                 "ganador g-cash won a cash prize: it is paid through the payment plugin, not marked delivered");
  expect_problem(call("POST", "/api/v1/ganadores/nadie/entregado", "", admin_.token), 404);
  expect_problem(call("POST", "/api/v1/ganadores/g-in-kind/entregado", json{{"nota", "x"}}, admin_.token), 422, "nota");
  expect_problem(call("POST", "/api/v1/ganadores/g-in-kind/entregado", "{", admin_.token), 400);
  EXPECT_EQ(count("SELECT count(*) FROM payouts WHERE estado = 'entregado'"), 0);
}

}  // namespace
}  // namespace rifa::testing
