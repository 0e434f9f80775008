// Keeps api/openapi/openapi.json true: every route the real router serves is documented with its
// method and every documented operation is served; each operation has responses and examples;
// every $ref resolves; the problem types match the one table in api/server/error_mapping.
#include <functional>
#include <map>
#include <regex>
#include <set>

#include "api_fixture.hpp"
#include "openapi_conformance.hpp"
#include "openapi/openapi_document.hpp"
#include "server/error_mapping.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;

const std::set<std::string> kHttpMethods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};

// "/rifas/{id}/tickets" and "/rifas/{rifa_id}/tickets" are the same route.
std::string normalize(const std::string& pattern) {
  return std::regex_replace(pattern, std::regex(R"(\{[^}/]*\})"), "{}");
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

class OpenApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    doc_ = json::parse(api::openapi_document(), nullptr, false);
    ASSERT_FALSE(doc_.is_discarded()) << "api/openapi/openapi.json is not valid JSON";
  }

  // A "#/components/..." reference, or a discarded value when it does not resolve.
  json resolve(const json& node) const {
    if (!node.is_object() || !node.contains("$ref")) return node;
    const std::string ref = node["$ref"].get<std::string>();
    if (ref.rfind("#/", 0) != 0) return json(json::value_t::discarded);
    try {
      return resolve(doc_.at(json::json_pointer(ref.substr(1))));
    } catch (const std::exception&) { return json(json::value_t::discarded); }
  }

  // (METHOD, normalized path) → the documented operation.
  std::map<std::pair<std::string, std::string>, std::string> documented_operations() const {
    std::map<std::pair<std::string, std::string>, std::string> ops;
    for (const auto& [path, item] : doc_.at("paths").items()) {
      for (const auto& [key, op] : item.items()) {
        if (kHttpMethods.count(key)) ops[{upper(key), normalize(path)}] = upper(key) + " " + path;
      }
    }
    return ops;
  }

  json doc_;
};

TEST_F(OpenApiTest, IsAnOpenApi31DocumentWithBearerSecurity) {
  EXPECT_TRUE(std::regex_match(doc_.value("openapi", ""), std::regex(R"(3\.1\.\d+)"))) << doc_.value("openapi", "");
  ASSERT_TRUE(doc_.contains("info") && doc_["info"].contains("title") && doc_["info"].contains("version"));
  ASSERT_TRUE(doc_.contains("paths") && doc_["paths"].is_object());
  const auto& bearer = doc_["components"]["securitySchemes"]["bearerAuth"];
  EXPECT_EQ(bearer.value("type", ""), "http");
  EXPECT_EQ(bearer.value("scheme", ""), "bearer");
  EXPECT_EQ(bearer.value("bearerFormat", ""), "JWT");

  // The served document is the embedded one.
  auto served = call("GET", "/api/v1/openapi.json");
  ASSERT_EQ(served.status, 200);
  EXPECT_EQ(served.json(), doc_);
}

TEST_F(OpenApiTest, EveryRegisteredRouteIsDocumentedAndEveryDocumentedOperationIsRegistered) {
  const auto documented = documented_operations();
  std::set<std::pair<std::string, std::string>> registered;
  std::string undocumented;
  for (const auto& [method, pattern] : router_->routes()) {
    if (pattern.rfind("/test/", 0) == 0) continue;  // routes tests add for themselves
    registered.insert({method, normalize(pattern)});
    if (!documented.count({method, normalize(pattern)})) undocumented += "\n  " + method + " " + pattern;
  }
  std::string unserved;
  for (const auto& [key, name] : documented) {
    if (!registered.count(key)) unserved += "\n  " + name;
  }
  EXPECT_TRUE(undocumented.empty()) << "routes the server answers but api/openapi/openapi.json does not document:"
                                    << undocumented;
  EXPECT_TRUE(unserved.empty()) << "operations api/openapi/openapi.json documents but no route serves:" << unserved;
  EXPECT_GE(registered.size(), 20u) << "the fixture's router looks incomplete";
}

TEST_F(OpenApiTest, EveryOperationHasAnIdResponsesAndExamples) {
  std::set<std::string> operation_ids;
  std::string problems;
  auto complain = [&](const std::string& where, const std::string& what) { problems += "\n  " + where + ": " + what; };
  // A media type needs an example (directly, or one per named example).
  auto check_content = [&](const std::string& where, const json& content) {
    for (const auto& [media_type, media] : content.items()) {
      if (!media.contains("schema")) complain(where + " " + media_type, "no schema");
      if (!media.contains("example") && !(media.contains("examples") && !media["examples"].empty())) {
        complain(where + " " + media_type, "no example");
      }
    }
  };
  for (const auto& [path, item] : doc_.at("paths").items()) {
    std::set<std::string> declared_params;
    for (const auto& p : item.value("parameters", json::array())) declared_params.insert(resolve(p).value("name", ""));
    for (const auto& [method, op] : item.items()) {
      if (!kHttpMethods.count(method)) continue;
      const std::string where = upper(method) + " " + path;
      const std::string id = op.value("operationId", "");
      if (id.empty()) complain(where, "no operationId");
      if (!operation_ids.insert(id).second) complain(where, "duplicate operationId " + id);
      if (op.value("summary", "").empty()) complain(where, "no summary");
      if (!op.contains("responses") || op["responses"].empty()) {
        complain(where, "no responses");
        continue;
      }
      bool has_success = false;
      for (const auto& [status, response_ref] : op["responses"].items()) {
        const json response = resolve(response_ref);
        if (response.is_discarded()) {
          complain(where + " " + status, "unresolved $ref");
          continue;
        }
        if (!response.contains("description")) complain(where + " " + status, "no description");
        if (status.size() == 3 && status[0] == '2') has_success = true;
        if (response.contains("content")) check_content(where + " " + status, response["content"]);
        if (status.size() == 3 && (status[0] == '4' || status[0] == '5')) {
          const bool problem_json =
              response.contains("content") && response["content"].contains("application/problem+json");
          // The health report says "down" with its own body on purpose (x-not-a-problem).
          if (!problem_json && !response.value("x-not-a-problem", false))
            complain(where + " " + status, "errors must be application/problem+json");
        }
      }
      if (!has_success) complain(where, "no 2xx response");
      if (op.contains("requestBody")) {
        const json body = resolve(op["requestBody"]);
        if (!body.contains("content")) complain(where, "requestBody without content");
        else check_content(where + " requestBody", body["content"]);
      }
      // Every {param} of the path is declared as a path parameter.
      std::set<std::string> params = declared_params;
      for (const auto& p : op.value("parameters", json::array())) params.insert(resolve(p).value("name", ""));
      const std::regex placeholder(R"(\{([^}/]+)\})");
      for (std::sregex_iterator it(path.begin(), path.end(), placeholder), end; it != end; ++it) {
        if (!params.count((*it)[1].str())) complain(where, "path parameter {" + (*it)[1].str() + "} not declared");
      }
    }
  }
  EXPECT_TRUE(problems.empty()) << "api/openapi/openapi.json:" << problems;
}

TEST_F(OpenApiTest, EveryExampleMatchesItsOwnSchema) {
  std::string wrong;
  for (const auto& problem : OpenApiConformance::instance().example_problems()) wrong += "\n  " + problem;
  EXPECT_TRUE(wrong.empty()) << "api/openapi/openapi.json examples that contradict their schema:" << wrong;
}

TEST_F(OpenApiTest, EveryReferenceResolves) {
  std::string broken;
  std::function<void(const json&, const std::string&)> walk = [&](const json& node, const std::string& at) {
    if (node.is_object()) {
      if (node.contains("$ref") && node["$ref"].is_string() && resolve(node).is_discarded()) {
        broken += "\n  " + at + ": " + node["$ref"].get<std::string>();
      }
      for (const auto& [key, child] : node.items()) walk(child, at + "/" + key);
    } else if (node.is_array()) {
      for (size_t i = 0; i < node.size(); ++i) walk(node[i], at + "/" + std::to_string(i));
    }
  };
  walk(doc_, "");
  EXPECT_TRUE(broken.empty()) << "unresolved $ref in api/openapi/openapi.json:" << broken;
}

TEST_F(OpenApiTest, ProblemTypesMatchTheErrorTable) {
  std::map<std::string, int> documented;
  for (const auto& p : doc_.value("x-problem-types", json::array()))
    documented[p.value("type", "")] = p.value("status", 0);
  std::map<std::string, int> table;
  for (const auto& kind : api::problem_catalog()) table[kind.type] = kind.status;
  EXPECT_EQ(documented, table)
      << "x-problem-types in api/openapi/openapi.json differs from api/server/error_mapping.cpp";

  // And every problem example in the document uses a type from the table, with its status.
  std::string wrong;
  std::function<void(const json&)> walk = [&](const json& node) {
    if (node.is_object()) {
      if (node.contains("type") && node["type"].is_string() && node.contains("status") &&
          node["status"].is_number_integer()) {
        const std::string type = node["type"].get<std::string>();
        const std::string base = api::kProblemTypeBase;
        if (type.rfind(base, 0) == 0) {
          auto it = table.find(type.substr(base.size()));
          if (it == table.end() || it->second != node["status"].get<int>()) wrong += "\n  " + node.dump();
        }
      }
      for (const auto& [key, child] : node.items()) walk(child);
    } else if (node.is_array()) {
      for (const auto& child : node) walk(child);
    }
  };
  walk(doc_.at("paths"));
  walk(doc_.at("components"));
  EXPECT_TRUE(wrong.empty()) << "problem examples whose type or status is not in the table:" << wrong;
}

}  // namespace
}  // namespace rifa::testing
