// Admin reports over real HTTP: ingresos by Bogotá day, categoria and rifa (days cut at 05:00 UTC),
// and participacion of one rifa. Sales, refunds, draws and winners are written straight into the
// tables the purchase and settlement paths fill.
#include <gtest/gtest.h>

#include "api_fixture.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;

class ReportsTest : public ApiTest {
 protected:
  void payment(const std::string& id, const std::string& rifa, int64_t amount, const std::string& status,
               const std::string& created_at, const std::string& updated_at = "") {
    exec(
        "INSERT INTO transacciones (id, user_id, rifa_id, amount, provider, status, created_at, updated_at) VALUES ('" +
        id + "', '" + admin_.id + "', '" + rifa + "', " + std::to_string(amount) + ", 'sandbox', '" + status + "', '" +
        created_at + "', '" + (updated_at.empty() ? created_at : updated_at) + "')");
  }
  void sell(const std::string& rifa, int numero, const std::string& user, const std::string& at,
            const std::string& estado = "vendido") {
    exec("UPDATE tickets SET estado = '" + estado + "', usuario_id = '" + user + "', comprado_en = '" + at +
         "' WHERE rifa_id = '" + rifa + "' AND numero = " + std::to_string(numero));
  }
};

TEST_F(ReportsTest, IngresosSplitsByBogotaDayCategoriaAndRifa) {
  const std::string a = create_rifa({{"nombre", "A"}})["id"];  // Oro: 5000 per ticket, rake 0.2500
  const std::string plata = create_categoria("Plata", 9000);
  const std::string b = create_rifa({{"nombre", "B"}, {"categoria_id", plata}})["id"];
  payment("t1", a, 10000, "succeeded", "2030-01-10T04:59:59.000Z");  // still the 9th in Bogotá: outside
  payment("t2", a, 10000, "succeeded", "2030-01-10T05:00:00.000Z");  // the 10th from 05:00 UTC
  payment("t3", a, 5000, "refunded", "2030-01-10T12:00:00.000Z", "2030-01-12T04:00:00.000Z");  // refunded the 11th
  payment("t4", b, 9000, "succeeded", "2030-01-11T23:00:00.000Z");
  payment("t5", b, 9000, "failed", "2030-01-11T23:00:00.000Z");
  payment("t6", b, 9000, "pending", "2030-01-11T23:00:00.000Z");
  payment("t7", b, 9000, "succeeded", "2030-01-12T05:00:00.000Z");  // the 12th: outside
  // A's draw was taken on the 11th (Bogotá) with one winner of 11250.
  sell(a, 7, admin_.id, "2030-01-10T06:00:00.000Z", "ganador");
  exec(
      "INSERT INTO resultados_sorteo (id, rifa_id, plugin_instance, fecha_sorteo, resultado, tomado_en) VALUES "
      "('d1', '" +
      a + "', 'mock', '2030-01-11', '{\"numbers\":[\"0007\"]}', '2030-01-11T15:00:00.000Z')");
  exec(
      "INSERT INTO ganadores (id, ticket_id, tier, monto_ganado) SELECT 'g1', id, 0, 11250 FROM tickets WHERE "
      "rifa_id = '" +
      a + "' AND numero = 7");

  auto reply = call("GET", "/api/v1/admin/reportes/ingresos?desde=2030-01-10&hasta=2030-01-11", "", admin_.token);
  ASSERT_EQ(reply.status, 200) << reply.body;
  const json r = reply.json();
  EXPECT_EQ(r["zona_horaria"], "America/Bogota");
  // 15000 on the 10th (A) and 9000 on the 11th (B); the rake floors the fund per day and rifa.
  EXPECT_EQ(
      r["totales"],
      (json{{"ventas", 24000}, {"rake", 6000}, {"fondo_premios", 18000}, {"premios", 11250}, {"reembolsos", 5000}}));
  EXPECT_EQ(r["por_dia"], (json{{{"dia", "2030-01-10"},
                                 {"ventas", 15000},
                                 {"rake", 3750},
                                 {"fondo_premios", 11250},
                                 {"premios", 0},
                                 {"reembolsos", 0}},
                                {{"dia", "2030-01-11"},
                                 {"ventas", 9000},
                                 {"rake", 2250},
                                 {"fondo_premios", 6750},
                                 {"premios", 11250},
                                 {"reembolsos", 5000}}}));
  ASSERT_EQ(r["por_categoria"].size(), 2u);
  for (const auto& c : r["por_categoria"]) {
    if (c["categoria"] == "Oro") {
      EXPECT_EQ(c["ventas"], 15000);
      EXPECT_EQ(c["premios"], 11250);
      EXPECT_EQ(c["reembolsos"], 5000);
    } else {
      EXPECT_EQ(c["categoria"], "Plata");
      EXPECT_EQ(c["categoria_id"], plata);
      EXPECT_EQ(c["ventas"], 9000);
      EXPECT_EQ(c["rake"], 2250);
    }
  }
  ASSERT_EQ(r["por_rifa"].size(), 2u);
  for (const auto& x : r["por_rifa"]) {
    EXPECT_EQ(x["ventas"], x["rifa_id"] == a ? 15000 : 9000) << x.dump();
    EXPECT_EQ(x["rifa"], x["rifa_id"] == a ? "A" : "B");
  }

  // One day only: the 9th has only t1.
  const json ninth =
      call("GET", "/api/v1/admin/reportes/ingresos?desde=2030-01-09&hasta=2030-01-09", "", admin_.token).json();
  EXPECT_EQ(ninth["totales"]["ventas"], 10000);
  const json empty =
      call("GET", "/api/v1/admin/reportes/ingresos?desde=2031-01-01&hasta=2031-12-31", "", admin_.token).json();
  EXPECT_EQ(empty["totales"]["ventas"], 0);
  EXPECT_EQ(empty["por_dia"], json::array());
}

TEST_F(ReportsTest, IngresosRefusesBadRangesAndNonAdmins) {
  const std::string p = "/api/v1/admin/reportes/ingresos";
  expect_problem(call("GET", p + "?hasta=2030-01-01", "", admin_.token), 422, "desde", "desde: is required");
  expect_problem(call("GET", p + "?desde=2030-02-30&hasta=2030-03-01", "", admin_.token), 422, "desde",
                 "desde: must be a date YYYY-MM-DD");
  expect_problem(call("GET", p + "?desde=2030-01-01&hasta=01/02/2030", "", admin_.token), 422, "hasta");
  expect_problem(call("GET", p + "?desde=2030-01-02&hasta=2030-01-01", "", admin_.token), 422, "hasta",
                 "hasta: must not be before desde");
  expect_problem(call("GET", p + "?desde=2030-01-01&hasta=2031-01-02", "", admin_.token), 422, "hasta",
                 "hasta: the range is at most 366 days");
  auto op = make_user("op@example.com", engine::Rol::kOperador);
  expect_problem(call("GET", p + "?desde=2030-01-01&hasta=2030-01-02", "", op.token), 403);
  expect_problem(call("GET", p + "?desde=2030-01-01&hasta=2030-01-02"), 401);
}

TEST_F(ReportsTest, ParticipacionCountsTicketsPlayersAndSalesByDay) {
  const std::string a = create_rifa({{"nombre", "A"}})["id"];
  auto x = register_jugador("x@example.com");
  auto y = register_jugador("y@example.com");
  sell(a, 1, x.id, "2030-01-10T04:00:00.000Z");  // the 9th in Bogotá
  sell(a, 2, x.id, "2030-01-10T04:30:00.000Z");
  sell(a, 3, y.id, "2030-01-10T06:00:00.000Z");  // the 10th
  sell(a, 7, y.id, "2030-01-10T07:00:00.000Z", "ganador");
  exec("UPDATE tickets SET estado = 'reservado', usuario_id = '" + x.id +
       "', hold_expires_at = '2030-01-10T08:00:00.000Z' "
       "WHERE rifa_id = '" +
       a + "' AND numero = 9");  // held, not sold: not counted

  auto reply = call("GET", "/api/v1/admin/reportes/participacion?rifa_id=" + a, "", admin_.token);
  ASSERT_EQ(reply.status, 200) << reply.body;
  const json r = reply.json();
  EXPECT_EQ(r["rifa_id"], a);
  EXPECT_EQ(r["total_boletas"], 100);
  EXPECT_EQ(r["vendidas"], 4);
  EXPECT_EQ(r["jugadores"], 2);
  EXPECT_EQ(r["ventas"], 20000);
  EXPECT_EQ(r["ocupacion"], "0.0400");
  EXPECT_EQ(r["por_dia"], (json{{{"dia", "2030-01-09"}, {"boletas", 2}, {"ventas", 10000}},
                                {{"dia", "2030-01-10"}, {"boletas", 2}, {"ventas", 10000}}}));

  expect_problem(call("GET", "/api/v1/admin/reportes/participacion", "", admin_.token), 422, "rifa_id");
  expect_problem(call("GET", "/api/v1/admin/reportes/participacion?rifa_id=nope", "", admin_.token), 404);
  expect_problem(call("GET", "/api/v1/admin/reportes/participacion?rifa_id=" + a, "", x.token), 403);
}

}  // namespace
}  // namespace rifa::testing
