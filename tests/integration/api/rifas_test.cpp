#include <gtest/gtest.h>

#include "api_fixture.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;

class RifasTest : public ApiTest {
 protected:
  void sell_one(const std::string& rifa_id, const std::string& estado = "vendido") {
    exec("UPDATE tickets SET estado = '" + estado + "'" +
         (estado == "reservado" ? ", hold_expires_at = '2030-01-01T00:00:00.000Z'" : std::string()) +
         " WHERE rifa_id = '" + rifa_id + "' AND numero = 7");
  }
};

TEST_F(RifasTest, CreationMakesExactlyTotalBoletasTickets) {
  const json serie_wins = {{"tiers", {{{"match", {{"field", "serie"}, {"digits", "exact"}}}, {"share_bp", 10000}}}}};
  auto rifa = create_rifa({{"total_boletas", 250}, {"reglas", serie_wins}});
  EXPECT_EQ(rifa["total_boletas"], 250);
  EXPECT_EQ(rifa["estado"], "pendiente");
  EXPECT_EQ(rifa["assignment"], "sequential");
  EXPECT_EQ(rifa["numero_ganadores"], 1);
  EXPECT_EQ(rifa["vendidas"], 0);
  EXPECT_EQ(rifa["disponibles"], 250);
  EXPECT_EQ(rifa["fecha_inicio"], "2030-01-01T00:00:00.000Z");
  const std::string id = rifa["id"];
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE rifa_id = '" + id + "'"), 250);
  EXPECT_EQ(count("SELECT count(DISTINCT numero) FROM tickets WHERE rifa_id = '" + id + "'"), 250);
  EXPECT_EQ(count("SELECT min(numero) FROM tickets WHERE rifa_id = '" + id + "'"), 0);
  EXPECT_EQ(count("SELECT max(numero) FROM tickets WHERE rifa_id = '" + id + "'"), 249);
  EXPECT_EQ(
      count("SELECT count(*) FROM tickets WHERE rifa_id = '" + id + "' AND estado = 'disponible' AND precio = 5000"),
      250);

  auto defaults = create_rifa({{"nombre", "Por defecto"}, {"assignment", "random"}});
  EXPECT_EQ(defaults["total_boletas"], 100);
  EXPECT_EQ(defaults["assignment"], "random");
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE rifa_id = '" + defaults["id"].get<std::string>() + "'"), 100);
}

// The tickets are made set-wise in SQL (issue 12): their ids are still UUIDs (version 8, RFC
// variant), unique, in numero order within the rifa, and new ones when the tickets are rebuilt.
TEST_F(RifasTest, TicketIdsAreUuidsInNumeroOrderAndNewOnRebuild) {
  const std::string id = create_rifa({{"total_boletas", 300}})["id"];
  const std::string of_rifa = "FROM tickets WHERE rifa_id = '" + id + "'";
  EXPECT_EQ(count("SELECT count(DISTINCT id) " + of_rifa), 300);
  EXPECT_EQ(count("SELECT count(*) " + of_rifa +
                  " AND length(id) = 36 AND substr(id, 9, 1) = '-' AND substr(id, 14, 1) = '-' AND "
                  "substr(id, 19, 1) = '-' AND substr(id, 24, 1) = '-' AND substr(id, 15, 1) = '8' AND "
                  "substr(id, 20, 1) IN ('8', '9', 'a', 'b') AND lower(id) = id"),
            300);
  // Sorted by id, the tickets come in numero order: one index page takes a new rifa's tickets.
  EXPECT_EQ(count("SELECT count(*) FROM tickets a JOIN tickets b ON b.rifa_id = a.rifa_id AND b.numero = a.numero + 1 "
                  "WHERE a.rifa_id = '" +
                  id + "' AND b.id <= a.id"),
            0);
  exec("CREATE TABLE old_ticket_ids AS SELECT id " + of_rifa);
  ASSERT_EQ(call("PATCH", "/api/v1/rifas/" + id, json{{"total_boletas", 310}}, admin_.token).status, 200);
  EXPECT_EQ(count("SELECT count(DISTINCT id) " + of_rifa), 310);
  EXPECT_EQ(count("SELECT count(*) " + of_rifa + " AND id IN (SELECT id FROM old_ticket_ids)"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM tickets"), 310);
  exec("DROP TABLE old_ticket_ids");
}

TEST_F(RifasTest, GetShowsSoldAndAvailableCounts) {
  const std::string id = create_rifa()["id"];
  sell_one(id);
  auto r = call("GET", "/api/v1/rifas/" + id);  // public
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["vendidas"], 1);
  EXPECT_EQ(r.json()["disponibles"], 99);
  expect_problem(call("GET", "/api/v1/rifas/nope"), 404, "", "rifa nope does not exist");
}

TEST_F(RifasTest, CreationValidatesReferencesAndRanges) {
  create_rifa();  // makes the categoria and loteria
  const json base = {{"nombre", "R"},
                     {"categoria_id", categoria_id_},
                     {"loteria_id", loteria_id_},
                     {"fecha_inicio", "2030-01-01"},
                     {"fecha_fin", "2030-02-01"}};
  const auto with = [&](json extra) {
    json b = base;
    b.update(extra);
    return call("POST", "/api/v1/rifas", b, admin_.token);
  };
  expect_problem(with({{"categoria_id", "missing"}}), 422, "categoria_id",
                 "categoria_id: categoria missing does not exist");
  expect_problem(with({{"loteria_id", "missing"}}), 422, "loteria_id", "loteria_id: loteria missing does not exist");
  expect_problem(with({{"fecha_fin", "2029-12-31"}}), 422, "fecha_fin", "fecha_fin: must be after fecha_inicio");
  expect_problem(with({{"fecha_inicio", "2030-02-30"}}), 422, "fecha_inicio");
  expect_problem(with({{"fecha_inicio", "mañana"}}), 422, "fecha_inicio");
  expect_problem(with({{"total_boletas", 0}}), 422, "total_boletas");
  expect_problem(with({{"total_boletas", -5}}), 422, "total_boletas");
  expect_problem(with({{"total_boletas", 1000001}}), 422, "total_boletas");
  expect_problem(with({{"numero_ganadores", 11}, {"total_boletas", 10}}), 422, "numero_ganadores",
                 "numero_ganadores: must not exceed total_boletas (10)");
  expect_problem(with({{"reglas", "no"}}), 422, "reglas", "reglas: must be a JSON object");
  expect_problem(with({{"assignment", "lottery"}}), 422, "assignment", "assignment: must be sequential or random");
  EXPECT_EQ(count("SELECT count(*) FROM rifas"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM tickets"), 100);
}

TEST_F(RifasTest, MoneyAndOddsFieldsLockOnceATicketIsTaken) {
  const std::string id = create_rifa()["id"];
  const std::string path = "/api/v1/rifas/" + id;
  // Before any sale they may change; total_boletas rebuilds the tickets.
  auto grown = call("PATCH", path, json{{"total_boletas", 120}}, admin_.token);
  ASSERT_EQ(grown.status, 200) << grown.body;
  EXPECT_EQ(grown.json()["disponibles"], 120);
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE rifa_id = '" + id + "'"), 120);
  const std::string cheaper = create_categoria("Barata", 1000);
  ASSERT_EQ(call("PATCH", path, json{{"categoria_id", cheaper}}, admin_.token).status, 200);
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE rifa_id = '" + id + "' AND precio = 1000"), 120);

  sell_one(id);
  const std::string other_loteria = create_loteria("Otra");
  const std::vector<std::pair<json, std::string>> locked = {
      {{{"reglas",
         {{"tiers", {{{"match", {{"field", "numero"}, {"digits", "last"}, {"count", 3}}}, {"share_bp", 9000}}}}}}},
       "reglas"},
      {{{"total_boletas", 100}}, "total_boletas"},
      {{{"loteria_id", other_loteria}}, "loteria_id"},
      {{{"categoria_id", categoria_id_}}, "categoria_id"},
      {{{"numero_ganadores", 2}}, "numero_ganadores"},
  };
  for (const auto& [body, field] : locked) {
    expect_problem(call("PATCH", path, body, admin_.token), 409, field,
                   field + ": locked because 1 ticket(s) are already reserved or sold");
  }
  // Unchanged values and harmless fields still pass.
  auto renamed =
      call("PATCH", path,
           json{{"nombre", "Nuevo nombre"}, {"total_boletas", 120}, {"fecha_fin", "2030-03-01T12:00:00-05:00"}},
           admin_.token);
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(renamed.json()["nombre"], "Nuevo nombre");
  EXPECT_EQ(renamed.json()["fecha_fin"], "2030-03-01T17:00:00.000Z");
  EXPECT_EQ(renamed.json()["vendidas"], 1);
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE rifa_id = '" + id + "'"), 120);
}

TEST_F(RifasTest, AReservedTicketLocksToo) {
  const std::string id = create_rifa()["id"];
  sell_one(id, "reservado");
  const json reglas = {
      {"tiers", {{{"match", {{"field", "numero"}, {"digits", "first"}, {"count", 2}}}, {"share_bp", 10000}}}}};
  expect_problem(call("PATCH", "/api/v1/rifas/" + id, json{{"reglas", reglas}}, admin_.token), 409, "reglas");
}

TEST_F(RifasTest, EstadoTransitions) {
  const std::string id = create_rifa()["id"];
  const std::string path = "/api/v1/rifas/" + id;
  expect_problem(call("PATCH", path, json{{"estado", "abierta"}}, admin_.token), 422, "estado",
                 "estado: must be one of pendiente, activa, cerrada, resuelta, cancelada");
  expect_problem(call("PATCH", path, json{{"estado", "cerrada"}}, admin_.token), 409, "estado",
                 "estado: cannot change from pendiente to cerrada (allowed here: pendiente→activa, "
                 "pendiente→cancelada, activa→cancelada)");
  auto op = make_user("op@example.com", engine::Rol::kOperador);
  auto active = call("PATCH", path, json{{"estado", "activa"}}, op.token);
  ASSERT_EQ(active.status, 200) << active.body;
  EXPECT_EQ(active.json()["estado"], "activa");
  expect_problem(call("PATCH", path, json{{"estado", "pendiente"}}, op.token), 409, "estado");
  sell_one(id);
  // Cancelling with a ticket sold is allowed: the refunds are queued in the same transaction.
  auto cancelled_sold = call("PATCH", path, json{{"estado", "cancelada"}}, op.token);
  ASSERT_EQ(cancelled_sold.status, 200) << cancelled_sold.body;
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'rifa.refund' AND dedupe_key = 'refund:" + id + "'"), 1);

  const std::string id2 = create_rifa({{"nombre", "Otra"}})["id"];
  auto cancelled = call("PATCH", "/api/v1/rifas/" + id2, json{{"estado", "cancelada"}}, op.token);
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(cancelled.json()["estado"], "cancelada");
}

TEST_F(RifasTest, ListFiltersAndPaginates) {
  create_rifa({{"nombre", "Enero"}, {"fecha_inicio", "2030-01-01"}, {"fecha_fin", "2030-01-31"}});
  const std::string plata = create_categoria("Plata", 2000);
  create_rifa(
      {{"nombre", "Febrero"}, {"fecha_inicio", "2030-02-01"}, {"fecha_fin", "2030-02-28"}, {"categoria_id", plata}});
  const std::string marzo =
      create_rifa({{"nombre", "Marzo"}, {"fecha_inicio", "2030-03-01"}, {"fecha_fin", "2030-03-31"}})["id"];
  ASSERT_EQ(call("PATCH", "/api/v1/rifas/" + marzo, json{{"estado", "activa"}}, admin_.token).status, 200);

  const auto names = [&](const std::string& query) {
    auto r = call("GET", "/api/v1/rifas" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> out;
    const json j = r.json();  // kept alive: a range-for over r.json()["items"] would dangle
    for (const auto& item : j["items"]) out.push_back(item["nombre"]);
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(names(""), (V{"Enero", "Febrero", "Marzo"}));
  EXPECT_EQ(names("?estado=activa"), (V{"Marzo"}));
  EXPECT_EQ(names("?estado=pendiente"), (V{"Enero", "Febrero"}));
  EXPECT_EQ(names("?categoria=Plata"), (V{"Febrero"}));
  EXPECT_EQ(names("?categoria=" + plata), (V{"Febrero"}));
  EXPECT_EQ(names("?categoria=Oro"), (V{"Enero", "Marzo"}));
  // Overlap: a window inside February, and one spanning the end of January and start of February.
  EXPECT_EQ(names("?fecha_inicio=2030-02-10&fecha_fin=2030-02-11"), (V{"Febrero"}));
  EXPECT_EQ(names("?fecha_inicio=2030-01-15&fecha_fin=2030-02-15"), (V{"Enero", "Febrero"}));
  EXPECT_EQ(names("?fecha_inicio=2030-03-15"), (V{"Marzo"}));
  EXPECT_EQ(names("?fecha_fin=2030-01-15T00:00:00Z"), (V{"Enero"}));
  EXPECT_EQ(names("?categoria=%27%3B%20DROP%20TABLE%20rifas%3B%20--"), V{});

  auto page = call("GET", "/api/v1/rifas?per_page=2&page=2").json();
  EXPECT_EQ(page["total"], 3);
  EXPECT_EQ(page["page"], 2);
  ASSERT_EQ(page["items"].size(), 1u);
  EXPECT_EQ(page["items"][0]["nombre"], "Marzo");
  auto filtered = call("GET", "/api/v1/rifas?estado=pendiente&per_page=1").json();
  EXPECT_EQ(filtered["total"], 2);
  EXPECT_EQ(filtered["items"].size(), 1u);

  expect_problem(call("GET", "/api/v1/rifas?estado=bogus"), 422, "estado");
  expect_problem(call("GET", "/api/v1/rifas?fecha_inicio=yesterday"), 422, "fecha_inicio");
  expect_problem(call("GET", "/api/v1/rifas?fecha_inicio=2030-02-01&fecha_fin=2030-01-01"), 422, "fecha_fin",
                 "fecha_fin: must not be before fecha_inicio");
  EXPECT_EQ(count("SELECT count(*) FROM rifas"), 3);
}

}  // namespace
}  // namespace rifa::testing
