#include <gtest/gtest.h>

#include "api_fixture.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;

class CatalogTest : public ApiTest {};

TEST_F(CatalogTest, AdminCreatesCategoriasWithAnExactRake) {
  auto r = call("POST", "/api/v1/categorias",
                json{{"nombre", "Platino"},
                     {"color", "#E5E4E2"},
                     {"valor_boleta", 20000},
                     {"rake", "0.1234"},
                     {"premio_por_ganador", 1500000},
                     {"comentario", "la mejor"}},
                admin_.token);
  ASSERT_EQ(r.status, 201) << r.body;
  const json c = r.json();
  EXPECT_EQ(c["nombre"], "Platino");
  EXPECT_EQ(c["color"], "#E5E4E2");
  EXPECT_EQ(c["valor_boleta"], 20000);
  EXPECT_EQ(c["rake"], "0.1234");
  EXPECT_EQ(c["premio_por_ganador"], 1500000);
  EXPECT_EQ(c["total_recaudo"], 0);
  EXPECT_EQ(c["fondo_premios"], 0);
  EXPECT_EQ(c["fondo_acumulado"], 0) << "nothing carried over yet; settlement alone writes it";
  EXPECT_EQ(c["comentario"], "la mejor");
  EXPECT_EQ(count("SELECT rake_bp FROM categoria_rifa WHERE nombre = 'Platino'"), 1234);

  // Short forms are accepted and normalised; GET is public.
  ASSERT_EQ(
      call("POST", "/api/v1/categorias", json{{"nombre", "Bronce"}, {"valor_boleta", 0}, {"rake", "0.5"}}, admin_.token)
          .status,
      201);
  ASSERT_EQ(
      call("POST", "/api/v1/categorias", json{{"nombre", "Hierro"}, {"valor_boleta", 1}, {"rake", "1"}}, admin_.token)
          .status,
      201);
  auto list = call("GET", "/api/v1/categorias");
  ASSERT_EQ(list.status, 200) << list.body;
  const json j = list.json();
  EXPECT_EQ(j["total"], 3);
  ASSERT_EQ(j["items"].size(), 3u);
  EXPECT_EQ(j["items"][0]["nombre"], "Bronce");
  EXPECT_EQ(j["items"][0]["rake"], "0.5000");
  EXPECT_EQ(j["items"][1]["rake"], "1.0000");
  EXPECT_TRUE(j["items"][1]["color"].is_null());
}

TEST_F(CatalogTest, CategoriaInputIsValidated) {
  const std::string rake_detail =
      "rake: must be a decimal between 0 and 1 with at most 4 decimals, as a string (\"0.2500\") or a number (0.25)";
  for (const json& rake :
       {json(true), json("0.25001"), json("1.0001"), json("-0.1"), json("2.5E-1"), json(".25"), json("0."), json("")}) {
    auto r =
        call("POST", "/api/v1/categorias", json{{"nombre", "X"}, {"valor_boleta", 1}, {"rake", rake}}, admin_.token);
    if (rake.is_string()) {
      expect_problem(r, 422, "rake", rake_detail);
    } else {
      expect_problem(r, 422, "rake", "rake: must be a string");
    }
  }
  expect_problem(call("POST", "/api/v1/categorias", json{{"nombre", "X"}, {"valor_boleta", -1}}, admin_.token), 422,
                 "valor_boleta", "valor_boleta: must be an integer between 0 and 1000000000000000");
  expect_problem(call("POST", "/api/v1/categorias", json{{"nombre", "X"}, {"valor_boleta", 10.5}}, admin_.token), 422,
                 "valor_boleta");
  expect_problem(call("POST", "/api/v1/categorias", json{{"nombre", "X"}, {"valor_boleta", "100"}}, admin_.token), 422,
                 "valor_boleta");
  expect_problem(call("POST", "/api/v1/categorias", json{{"valor_boleta", 1}}, admin_.token), 422, "nombre",
                 "nombre: is required");
  expect_problem(call("POST", "/api/v1/categorias", json{{"nombre", "X"}, {"valor_boleta", 1}}, ""), 401);
  ASSERT_EQ(call("POST", "/api/v1/categorias", json{{"nombre", "Oro"}, {"valor_boleta", 1}}, admin_.token).status, 201);
  expect_problem(call("POST", "/api/v1/categorias", json{{"nombre", "Oro"}, {"valor_boleta", 2}}, admin_.token), 409,
                 "nombre");
  EXPECT_EQ(count("SELECT count(*) FROM categoria_rifa"), 1);
}

TEST_F(CatalogTest, LoteriasNameAConfiguredLotteryInstance) {
  auto op = make_user("op@example.com", engine::Rol::kOperador);
  auto r = call("POST", "/api/v1/loterias",
                json{{"nombre", "Lotería de Bogotá"},
                     {"descripcion", "jueves"},
                     {"frecuencia", "semanal"},
                     {"url_resultados", "https://loteriadebogota.com"},
                     {"meta", {{"sorteo", 2750}}},
                     {"plugin_instance", "bogota"}},
                op.token);
  ASSERT_EQ(r.status, 201) << r.body;
  const json l = r.json();
  EXPECT_EQ(l["nombre"], "Lotería de Bogotá");
  EXPECT_EQ(l["meta"], (json{{"sorteo", 2750}}));
  EXPECT_EQ(l["plugin_instance"], "bogota");

  expect_problem(call("POST", "/api/v1/loterias",
                      json{{"nombre", "X"}, {"frecuencia", "diaria"}, {"plugin_instance", "sandbox"}}, op.token),
                 422, "plugin_instance",
                 "plugin_instance: 'sandbox' is not a configured lottery plugin instance (configured: bogota, mock)");
  expect_problem(
      call("POST", "/api/v1/loterias",
           json{{"nombre", "X"}, {"frecuencia", "diaria"}, {"plugin_instance", "mock"}, {"meta", json::array()}},
           op.token),
      422, "meta", "meta: must be a JSON object");

  const std::string path = "/api/v1/loterias/" + l["id"].get<std::string>();
  auto patched = call("PATCH", path, json{{"plugin_instance", "mock"}, {"descripcion", nullptr}}, op.token);
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json()["plugin_instance"], "mock");
  EXPECT_TRUE(patched.json()["descripcion"].is_null());
  expect_problem(call("PATCH", path, json{{"plugin_instance", "nope"}}, op.token), 422, "plugin_instance");
  expect_problem(call("PATCH", "/api/v1/loterias/missing", json{{"nombre", "Y"}}, op.token), 404, "",
                 "loteria missing does not exist");

  auto got = call("GET", path);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.json(), patched.json());
  auto list = call("GET", "/api/v1/loterias").json();
  EXPECT_EQ(list["total"], 1);
}

}  // namespace
}  // namespace rifa::testing
