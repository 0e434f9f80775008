// Verifiable draws: the commitment frozen at activation, GET /rifas/{id}/verificacion, the lock on
// committed fields, and the real `rifa-host verify` on the published document (file and URL).
#include <cstdio>
#include <fstream>

#include <gtest/gtest.h>

#include "api_fixture.hpp"
#include "storage/sha256.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;

struct HostRun {
  int exit_code = -1;
  std::string output;
};

HostRun run_host(const std::string& args) {
  HostRun out;
  FILE* pipe = popen((std::string(RIFA_HOST_BINARY " ") + args + " 2>&1").c_str(), "r");
  if (!pipe) return out;
  char buffer[512];
  while (fgets(buffer, sizeof buffer, pipe)) out.output += buffer;
  const int status = pclose(pipe);
  out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

// Two tiers on the Lotería's number: last two digits (70 % of the fund), first two (30 %).
const json kReglas = json::parse(R"({"tiers": [
    {"name": "ultimas dos", "match": {"field": "numero", "digits": "last", "count": 2}, "share_bp": 7000},
    {"name": "primeras dos", "match": {"field": "numero", "digits": "first", "count": 2}, "share_bp": 3000}],
  "unsold": "house"})");

class VerificationTest : public ApiTest {
 protected:
  std::string activated_rifa(const json& overrides = json::object()) {
    json body = {{"reglas", kReglas}, {"fecha_fin", "2030-01-31T03:00:00Z"}};
    body.update(overrides);
    const std::string id = create_rifa(body)["id"];
    auto active = call("PATCH", "/api/v1/rifas/" + id, json{{"estado", "activa"}}, admin_.token);
    EXPECT_EQ(active.status, 200) << active.body;
    return id;
  }

  json verificacion(const std::string& id) {
    auto r = call("GET", "/api/v1/rifas/" + id + "/verificacion");  // no token: it is public
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }

  // What settlement writes, put in directly: numbers sold, the draw 4217 and the two winners
  // (17 takes the last-two-digits tier, 42 the first-two-digits one).
  void settle(const std::string& id, const json& commitment) {
    exec("UPDATE tickets SET estado = 'vendido' WHERE rifa_id = '" + id +
         "' AND numero IN (3, 5, 17, 42, 50, 61, 70, 80, 90, 99)");
    exec("UPDATE tickets SET estado = 'ganador' WHERE rifa_id = '" + id + "' AND numero IN (17, 42)");
    exec(
        "INSERT INTO resultados_sorteo (id, rifa_id, plugin_instance, fecha_sorteo, sorteo, resultado, source_url, "
        "raw_sha256) VALUES ('draw-" +
        id + "', '" + id + "', 'mock', '" + commitment["draw_date"].get<std::string>() +
        "', 4711, '{\"numbers\":[\"4217\"],\"series\":\"045\"}', 'https://loteria.example/resultados', '" +
        std::string(64, 'a') + "')");
    // 10 sold x 5000 = 50000; fund 75 % = 37500; 70 % of it 26250, 30 % 11250.
    for (auto [numero, tier, monto] : {std::tuple{17, 0, 26250}, std::tuple{42, 1, 11250}}) {
      exec("INSERT INTO ganadores (id, ticket_id, tier, monto_ganado) SELECT 'g-" + std::to_string(numero) + "', id, " +
           std::to_string(tier) + ", " + std::to_string(monto) + " FROM tickets WHERE rifa_id = '" + id +
           "' AND numero = " + std::to_string(numero));
    }
    exec("UPDATE rifas SET estado = 'resuelta' WHERE id = '" + id + "'");
  }

  std::string save(const json& doc, const std::string& name) {
    const auto path = (dir_.path() / name).string();
    std::ofstream(path) << doc.dump(2);
    return path;
  }

  TempDir dir_;
};

TEST_F(VerificationTest, ActivationFreezesTheCommitmentWithItsHash) {
  const std::string id = activated_rifa();
  const json v = verificacion(id);
  EXPECT_EQ(v["rifa_id"], id);
  EXPECT_EQ(v["estado"], "activa");
  const json& c = v["commitment"];
  ASSERT_TRUE(c.is_object()) << v.dump();
  EXPECT_EQ(c["rifa_id"], id);
  EXPECT_EQ(c["lottery_instance"], "mock");
  EXPECT_EQ(c["loteria_id"], loteria_id_);
  // fecha_fin 2030-01-31T03:00Z is still the 30th in Bogotá (UTC-5); without a lottery calendar
  // (no plugins here) the draw's time is unknown, so the first safe draw date is the next day.
  EXPECT_EQ(c["draw_date"], "2030-01-31");
  EXPECT_EQ(c["reglas"], kReglas);
  EXPECT_EQ(c["total_boletas"], 100);
  EXPECT_EQ(c["numero_ganadores"], 1);
  EXPECT_EQ(c["precio_cents"], 5000);
  EXPECT_EQ(c["rake_bp"], 2500);
  EXPECT_EQ(c["assignment"], "sequential");
  EXPECT_EQ(c["seed_sha256"], nullptr);
  EXPECT_EQ(c["version"], 1);
  // Anyone can recompute the hash: SHA-256 of the compact, key-sorted JSON.
  EXPECT_EQ(v["commitment_hash"], storage::sha256_hex(c.dump()));
  EXPECT_TRUE(v["activada_en"].is_string());
  EXPECT_EQ(v["sorteo"], nullptr);
  EXPECT_EQ(v["vendidos"], json::array());
  EXPECT_EQ(v["ganadores"], json::array());
  EXPECT_NE(v["procedure"].get<std::string>().find("rifa-host verify"), std::string::npos);
  // The activation is in the audit log with the hash.
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'rifa.activated' AND entity_id = '" + id +
                  "' AND CAST(data AS TEXT) LIKE '%" + v["commitment_hash"].get<std::string>() + "%'"),
            1);
  // A pendiente rifa has nothing committed yet; an unknown one is 404.
  const std::string pending = create_rifa({{"nombre", "Pendiente"}})["id"];
  EXPECT_EQ(verificacion(pending)["commitment"], nullptr);
  expect_problem(call("GET", "/api/v1/rifas/no-such-rifa/verificacion"), 404);
}

TEST_F(VerificationTest, CommittedFieldsCannotChangeAfterActivation) {
  const std::string id = activated_rifa();
  const json before = verificacion(id);
  const std::string path = "/api/v1/rifas/" + id;
  const std::string other_loteria = create_loteria("Otra");
  const std::string other_categoria = create_categoria("Plata", 9000);
  const std::vector<std::pair<json, std::string>> committed = {
      {{{"reglas", {{"tiers", json::array()}, {"unsold", "house"}}}}, "reglas"},
      {{{"total_boletas", 200}}, "total_boletas"},
      {{{"numero_ganadores", 2}}, "numero_ganadores"},
      {{{"loteria_id", other_loteria}}, "loteria_id"},
      {{{"categoria_id", other_categoria}}, "categoria_id"},
  };
  for (const auto& [body, field] : committed) {
    expect_problem(call("PATCH", path, body, admin_.token), 409, field,
                   field + ": locked because the rifa is activa: its commitment was frozen when it was activated");
  }
  // fecha_fin is frozen too: sales must end before the committed draw (issue 11).
  expect_problem(call("PATCH", path, json{{"fecha_fin", "2030-01-30T12:00:00Z"}}, admin_.token), 409, "fecha_fin",
                 "fecha_fin: locked because the rifa is activa: its commitment was frozen when it was activated");
  // Fields outside the commitment still change, and the commitment stays as it was.
  auto renamed = call("PATCH", path, json{{"nombre", "Renombrada"}}, admin_.token);
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  const json after = verificacion(id);
  EXPECT_EQ(after["commitment"], before["commitment"]);
  EXPECT_EQ(after["commitment_hash"], before["commitment_hash"]);
  // The database itself refuses any other writer.
  EXPECT_FALSE(test_db_->db().execute("UPDATE rifas SET total_boletas = 50 WHERE id = '" + id + "'").ok());
  EXPECT_FALSE(test_db_->db().execute("UPDATE rifas SET commitment_hash = 'x' WHERE id = '" + id + "'").ok());
  EXPECT_EQ(count("SELECT total_boletas FROM rifas WHERE id = '" + id + "'"), 100);
}

TEST_F(VerificationTest, SettledRifaShowsDrawAndWinnersAndVerifyRecomputesThem) {
  const std::string id = activated_rifa();
  settle(id, verificacion(id)["commitment"]);
  const json v = verificacion(id);
  EXPECT_EQ(v["estado"], "resuelta");
  EXPECT_EQ(v["vendidos"], (json{3, 5, 17, 42, 50, 61, 70, 80, 90, 99}));
  EXPECT_EQ(v["sorteo"]["resultado"], (json{{"numbers", {"4217"}}, {"series", "045"}}));
  EXPECT_EQ(v["sorteo"]["source_url"], "https://loteria.example/resultados");
  EXPECT_EQ(v["sorteo"]["raw_sha256"], std::string(64, 'a'));
  EXPECT_EQ(v["sorteo"]["fecha_sorteo"], v["commitment"]["draw_date"]);
  EXPECT_EQ(v["sorteo"]["numero_sorteo"], 4711);
  // (issue 15: rows written without a withholding show gross = net, nothing withheld)
  EXPECT_EQ(v["ganadores"], (json{{{"numero", 17},
                                   {"tier", 0},
                                   {"monto_ganado", 26250},
                                   {"monto_bruto", 26250},
                                   {"retencion", 0},
                                   {"monto_neto", 26250}},
                                  {{"numero", 42},
                                   {"tier", 1},
                                   {"monto_ganado", 11250},
                                   {"monto_bruto", 11250},
                                   {"retencion", 0},
                                   {"monto_neto", 11250}}}));
  // Nothing in it names a buyer.
  EXPECT_EQ(v.dump().find("usuario"), std::string::npos);

  auto ok = run_host("verify '" + save(v, "ok.json") + "'");
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_NE(ok.output.find("OK: the commitment and the winners check out"), std::string::npos) << ok.output;
  EXPECT_NE(ok.output.find("2 prize(s) match"), std::string::npos) << ok.output;
  // Straight from the server too.
  auto from_url = run_host("verify '" + url("/api/v1/rifas/" + id + "/verificacion") + "'");
  EXPECT_EQ(from_url.exit_code, 0) << from_url.output;

  // A changed amount, a winner moved to another number, a changed rule: each is named.
  json amount = v;
  amount["ganadores"][0]["monto_ganado"] = 30000;
  auto bad_amount = run_host("verify '" + save(amount, "amount.json") + "'");
  EXPECT_EQ(bad_amount.exit_code, 1) << bad_amount.output;
  EXPECT_NE(bad_amount.output.find("DIFF  winners: expected tier 0 numero 17 monto 26250, not published"),
            std::string::npos)
      << bad_amount.output;
  EXPECT_NE(bad_amount.output.find("DIFF  winners: published tier 0 numero 17 monto 30000, not expected"),
            std::string::npos)
      << bad_amount.output;

  json rules = v;
  rules["commitment"]["reglas"]["tiers"][0]["share_bp"] = 6000;
  auto bad_rules = run_host("verify '" + save(rules, "rules.json") + "'");
  EXPECT_EQ(bad_rules.exit_code, 1) << bad_rules.output;
  EXPECT_NE(bad_rules.output.find("DIFF  commitment_hash: published " + v["commitment_hash"].get<std::string>() +
                                  ", recomputed "),
            std::string::npos)
      << bad_rules.output;

  json sold = v;
  sold["vendidos"] = json{3, 5, 42, 50};  // 17 unsold: its tier goes to the house
  auto bad_sold = run_host("verify '" + save(sold, "sold.json") + "'");
  EXPECT_EQ(bad_sold.exit_code, 1) << bad_sold.output;
  EXPECT_NE(bad_sold.output.find("not expected"), std::string::npos) << bad_sold.output;

  json other_date = v;
  other_date["sorteo"]["fecha_sorteo"] = "2031-01-01";
  auto bad_date = run_host("verify '" + save(other_date, "date.json") + "'");
  EXPECT_EQ(bad_date.exit_code, 1) << bad_date.output;
  EXPECT_NE(bad_date.output.find("DIFF  draw: taken for 2031-01-01 but the commitment names"), std::string::npos)
      << bad_date.output;

  auto missing = run_host("verify '" + (dir_.path() / "nope.json").string() + "'");
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
}

TEST_F(VerificationTest, RandomAssignmentCommitsASeedRevealedOnlyAfterSales) {
  const std::string id = activated_rifa({{"assignment", "random"}});
  const json open = verificacion(id);
  const std::string seed_sha256 = open["commitment"]["seed_sha256"];
  EXPECT_EQ(seed_sha256.size(), 64u);
  EXPECT_EQ(open["assignment_seed"], nullptr) << "the seed stays secret while numbers are handed out";
  auto before_close = run_host("verify '" + save(open, "open.json") + "'");
  EXPECT_EQ(before_close.exit_code, 0) << before_close.output;
  EXPECT_NE(before_close.output.find("no draw has been taken yet"), std::string::npos) << before_close.output;

  exec("UPDATE rifas SET estado = 'cerrada' WHERE id = '" + id + "'");
  const json closed = verificacion(id);
  ASSERT_TRUE(closed["assignment_seed"].is_string());
  EXPECT_EQ(storage::sha256_hex(closed["assignment_seed"].get<std::string>()), seed_sha256);
  auto after_close = run_host("verify '" + save(closed, "closed.json") + "'");
  EXPECT_EQ(after_close.exit_code, 0) << after_close.output;
  EXPECT_NE(after_close.output.find("assignment seed matches its committed hash"), std::string::npos)
      << after_close.output;

  json swapped = closed;
  swapped["assignment_seed"] = std::string(64, '0');
  auto bad_seed = run_host("verify '" + save(swapped, "seed.json") + "'");
  EXPECT_EQ(bad_seed.exit_code, 1) << bad_seed.output;
  EXPECT_NE(bad_seed.output.find("DIFF  assignment_seed: its SHA-256 is"), std::string::npos) << bad_seed.output;
}

}  // namespace
}  // namespace rifa::testing
