#include <gtest/gtest.h>

#include "api_fixture.hpp"
#include "signup.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;

const std::string kSqlMeta = "'; DROP TABLE users; --";

class ValidationTest : public ApiTest {
 protected:
  struct Endpoint {
    std::string method;
    std::string path;
    json valid_body;
    std::vector<std::string> text_fields;
  };

  std::vector<Endpoint> endpoints() {
    create_rifa();
    const std::string rifa_id = create_rifa({{"nombre", "Objetivo"}})["id"];
    const std::string loteria_path = "/api/v1/loterias/" + loteria_id_;
    return {
        {"POST",
         "/api/v1/auth/register",
         adult_signup({{"nombre", "N"}, {"email", "v@example.com"}, {"password", kStrongPassword}, {"telefono", "1"}}),
         {"nombre", "email", "password", "telefono"}},
        {"POST",
         "/api/v1/auth/login",
         {{"email", "v@example.com"}, {"password", kStrongPassword}},
         {"email", "password"}},
        {"PATCH",
         "/api/v1/users/" + admin_.id,
         {{"nombre", "N"}, {"telefono", "1"}},
         {"nombre", "telefono", "password", "rol"}},
        {"POST",
         "/api/v1/categorias",
         {{"nombre", "C"}, {"valor_boleta", 1}, {"color", "rojo"}, {"comentario", "c"}, {"rake", "0.1"}},
         {"nombre", "color", "comentario", "rake"}},
        {"POST",
         "/api/v1/loterias",
         {{"nombre", "L"},
          {"frecuencia", "diaria"},
          {"plugin_instance", "mock"},
          {"descripcion", "d"},
          {"url_resultados", "u"}},
         {"nombre", "frecuencia", "plugin_instance", "descripcion", "url_resultados"}},
        {"PATCH",
         loteria_path,
         {{"nombre", "L"}},
         {"nombre", "frecuencia", "plugin_instance", "descripcion", "url_resultados"}},
        {"POST",
         "/api/v1/rifas",
         {{"nombre", "R"},
          {"categoria_id", categoria_id_},
          {"loteria_id", loteria_id_},
          {"fecha_inicio", "2030-01-01"},
          {"fecha_fin", "2030-02-01"}},
         {"nombre", "categoria_id", "loteria_id", "fecha_inicio", "fecha_fin", "assignment"}},
        {"PATCH",
         "/api/v1/rifas/" + rifa_id,
         {{"nombre", "R2"}},
         {"nombre", "categoria_id", "loteria_id", "fecha_inicio", "fecha_fin", "estado"}},
    };
  }
};

TEST_F(ValidationTest, MalformedJsonIs400Everywhere) {
  for (const auto& e : endpoints()) {
    for (const std::string body :
         {"{", "{\"nombre\": }", "not json", "{\"a\":1}}", "\xff\xfe", "{\"nombre\":\"\xc3\x28\"}"}) {
      SCOPED_TRACE(e.method + " " + e.path + " body " + body);
      auto r = call(e.method, e.path, body, admin_.token);
      expect_problem(r, 400, "", "the request body is not valid JSON");
    }
    SCOPED_TRACE(e.method + " " + e.path);
    expect_problem(call(e.method, e.path, "[1,2]", admin_.token), 422, "body", "body: must be a JSON object");
    expect_problem(call(e.method, e.path, "", admin_.token), 400);
  }
}

TEST_F(ValidationTest, UnknownFieldsWrongTypesAndHugeStringsAre422) {
  const std::string huge(10000, 'x');
  for (const auto& e : endpoints()) {
    SCOPED_TRACE(e.method + " " + e.path);
    json unknown = e.valid_body;
    unknown["is_admin"] = true;
    expect_problem(call(e.method, e.path, unknown, admin_.token), 422, "is_admin", "is_admin: unknown field");
    // `field` is carried as data: a member name the old parse of "<field>: ..." could not read back
    // (capitals, a hyphen) is still named.
    json capitalised = e.valid_body;
    capitalised["Is-Admin"] = true;
    expect_problem(call(e.method, e.path, capitalised, admin_.token), 422, "Is-Admin", "Is-Admin: unknown field");
    for (const auto& field : e.text_fields) {
      SCOPED_TRACE(field);
      json long_text = e.valid_body;
      long_text[field] = huge;
      auto r = call(e.method, e.path, long_text, admin_.token);
      EXPECT_EQ(r.status, 422) << r.body;
      EXPECT_EQ(r.json().value("field", ""), field) << r.body;
      json wrong_type = e.valid_body;
      wrong_type[field] = json::array({1});
      expect_problem(call(e.method, e.path, wrong_type, admin_.token), 422, field, field + ": must be a string");
      wrong_type[field] = 12;
      // rake is a decimal: a JSON number is its type too, and 12 is out of its range.
      expect_problem(call(e.method, e.path, wrong_type, admin_.token), 422, field,
                     field == "rake" ? "rake: must be a decimal between 0 and 1 with at most 4 decimals, as a string "
                                       "(\"0.2500\") or a number (0.25)"
                                     : field + ": must be a string");
    }
  }
  EXPECT_EQ(count("SELECT count(*) FROM users"), 1);
}

TEST_F(ValidationTest, HugeAndNegativeNumbersAre422) {
  create_rifa();
  const std::string base = std::string(R"({"nombre":"R","categoria_id":")") + categoria_id_ + R"(","loteria_id":")" +
                           loteria_id_ + R"(","fecha_inicio":"2030-01-01","fecha_fin":"2030-02-01",)";
  for (const std::string field : {"total_boletas", "numero_ganadores"}) {
    for (const std::string number : {"9223372036854775808", "18446744073709551616", "-9223372036854775809", "-1", "0",
                                     "1.5", "1e3", "true", "\"10\"", "null"}) {
      SCOPED_TRACE(field + "=" + number);
      auto r = call("POST", "/api/v1/rifas", base + "\"" + field + "\":" + number + "}", admin_.token);
      EXPECT_EQ(r.status, 422) << r.body;
      EXPECT_EQ(r.content_type, "application/problem+json");
      EXPECT_EQ(r.json().value("field", ""), field) << r.body;
    }
  }
  // Beyond double range the JSON parser itself gives up: a 400, still a problem body and never a 500.
  for (const std::string number : {"1e400", "-1e400"}) {
    expect_problem(call("POST", "/api/v1/rifas", base + "\"total_boletas\":" + number + "}", admin_.token), 400, "",
                   "the request body is not valid JSON");
  }
  for (const std::string number : {"9223372036854775807", "9223372036854775808", "-1", "-0.0", "1e10"}) {
    SCOPED_TRACE(number);
    auto r = call("POST", "/api/v1/categorias", R"({"nombre":"C","valor_boleta":)" + number + "}", admin_.token);
    expect_problem(r, 422, "valor_boleta");
  }
  EXPECT_EQ(count("SELECT count(*) FROM rifas"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM categoria_rifa"), 1);
}

TEST_F(ValidationTest, SqlMetacharactersAreStoredVerbatim) {
  auto r = call("POST", "/api/v1/auth/register",
                adult_signup(json{{"nombre", kSqlMeta},
                                  {"email", "meta@example.com"},
                                  {"password", kStrongPassword},
                                  {"telefono", "1' OR '1'='1"}}),
                "");
  ASSERT_EQ(r.status, 202) << r.body;
  auto meta = login_as("meta@example.com");
  auto me = call("GET", "/api/v1/users/" + meta.id, "", meta.token);
  EXPECT_EQ(me.json()["nombre"], kSqlMeta);
  EXPECT_EQ(me.json()["telefono"], "1' OR '1'='1");
  // A hostile email is just an invalid email, and a hostile login is just a failed login.
  expect_problem(call("POST", "/api/v1/auth/register",
                      adult_signup(json{{"nombre", "x"}, {"email", kSqlMeta}, {"password", kStrongPassword}}), ""),
                 422, "email");
  expect_problem(call("POST", "/api/v1/auth/login", json{{"email", "' OR 1=1 --"}, {"password", "' OR 1=1 --"}}, ""),
                 401);

  auto c = call("POST", "/api/v1/categorias",
                json{{"nombre", kSqlMeta}, {"valor_boleta", 1}, {"color", "\"; --"}, {"comentario", "Robert'); --"}},
                admin_.token);
  ASSERT_EQ(c.status, 201) << c.body;
  auto l = call("POST", "/api/v1/loterias",
                json{{"nombre", kSqlMeta},
                     {"frecuencia", "'daily'"},
                     {"plugin_instance", "mock"},
                     {"descripcion", "\\'; SELECT pg_sleep(10); --"},
                     {"url_resultados", "http://x/?a='b'"},
                     {"meta", {{"k", kSqlMeta}}}},
                admin_.token);
  ASSERT_EQ(l.status, 201) << l.body;
  auto rifa = call("POST", "/api/v1/rifas",
                   json{{"nombre", kSqlMeta + " ñandú 🎟"},
                        {"categoria_id", c.json()["id"]},
                        {"loteria_id", l.json()["id"]},
                        {"fecha_inicio", "2030-01-01"},
                        {"fecha_fin", "2030-02-01"},
                        {"reglas",
                         {{"tiers",
                           {{{"name", kSqlMeta},
                             {"match", {{"field", "numero"}, {"digits", "last"}, {"count", 2}}},
                             {"share_bp", 10000}}}}}}},
                   admin_.token);
  ASSERT_EQ(rifa.status, 201) << rifa.body;

  auto cats = call("GET", "/api/v1/categorias").json()["items"][0];
  EXPECT_EQ(cats["nombre"], kSqlMeta);
  EXPECT_EQ(cats["color"], "\"; --");
  EXPECT_EQ(cats["comentario"], "Robert'); --");
  auto lot = call("GET", "/api/v1/loterias/" + l.json()["id"].get<std::string>()).json();
  EXPECT_EQ(lot["nombre"], kSqlMeta);
  EXPECT_EQ(lot["frecuencia"], "'daily'");
  EXPECT_EQ(lot["descripcion"], "\\'; SELECT pg_sleep(10); --");
  EXPECT_EQ(lot["meta"]["k"], kSqlMeta);
  auto got = call("GET", "/api/v1/rifas/" + rifa.json()["id"].get<std::string>()).json();
  EXPECT_EQ(got["nombre"], kSqlMeta + " ñandú 🎟");
  EXPECT_EQ(got["reglas"]["tiers"][0]["name"], kSqlMeta);
  EXPECT_EQ(count("SELECT count(*) FROM users"), 2);
}

TEST_F(ValidationTest, LimitsCountCharactersNotBytes) {
  // 120 two-byte characters fit nombre (≤ 120); 121 do not.
  std::string nombre;
  for (int i = 0; i < 120; ++i) nombre += "ñ";
  auto ok = call("POST", "/api/v1/auth/register",
                 adult_signup(json{{"nombre", nombre}, {"email", "n@example.com"}, {"password", kStrongPassword}}), "");
  ASSERT_EQ(ok.status, 202) << ok.body;
  auto n = login_as("n@example.com");
  EXPECT_EQ(call("GET", "/api/v1/users/" + n.id, "", n.token).json()["nombre"], nombre);
  expect_problem(
      call("POST", "/api/v1/auth/register",
           adult_signup(json{{"nombre", nombre + "ñ"}, {"email", "m@example.com"}, {"password", kStrongPassword}}), ""),
      422, "nombre", "nombre: must be at most 120 characters");
}

}  // namespace
}  // namespace rifa::testing
