#include "openapi_conformance.hpp"

#include <regex>
#include <stdexcept>

#include "openapi/openapi_document.hpp"
#include "plugin_runtime/json_schema.hpp"

namespace rifa::testing {

using nlohmann::json;

struct OpenApiConformance::Impl {
  struct Operation {
    std::string template_path;
    std::regex pattern;
    int literal_segments = 0;  // a literal path beats a templated one ("/rifas/x" vs "/rifas/{id}")
  };
  json doc;
  std::vector<Operation> paths;

  // A response or request body: follows a top-level $ref (to components/responses and the like).
  const json& resolve(const json& node) const {
    if (node.is_object() && node.contains("$ref")) {
      return resolve(doc.at(json::json_pointer(node["$ref"].get<std::string>().substr(1))));
    }
    return node;
  }

  // The validator in plugin_runtime covers the JSON-Schema subset the document uses, except for
  // $ref, const and the `oneOf: [X, {type: null}]` nullable idiom: rewrite those into it.
  json inline_schema(const json& node, int depth = 0) const {
    if (depth > 32) throw std::runtime_error("openapi.json: $ref nesting deeper than 32");
    if (node.is_array()) {
      json out = json::array();
      for (const auto& item : node) out.push_back(inline_schema(item, depth + 1));
      return out;
    }
    if (!node.is_object()) return node;
    if (node.contains("$ref")) {
      const std::string ref = node["$ref"].get<std::string>();
      return inline_schema(doc.at(json::json_pointer(ref.substr(1))), depth + 1);
    }
    if (node.contains("oneOf") && node["oneOf"].size() == 2 && node["oneOf"][1] == json{{"type", "null"}}) {
      json base = inline_schema(node["oneOf"][0], depth + 1);
      if (base.contains("type")) {
        json types = base["type"].is_array() ? base["type"] : json::array({base["type"]});
        types.push_back("null");
        base["type"] = types;
      }
      return base;
    }
    json out = json::object();
    for (const auto& [key, value] : node.items()) {
      if (key == "example" || key == "examples" || key == "description") continue;
      if (key == "const") {
        out["enum"] = json::array({value});
      } else if (key == "properties") {
        out[key] = json::object();
        for (const auto& [name, schema] : value.items()) out[key][name] = inline_schema(schema, depth + 1);
      } else {
        out[key] = inline_schema(value, depth + 1);
      }
    }
    // A member the code sends but the document does not name is drift too: objects that list their
    // properties are closed unless the document says otherwise.
    if (out.contains("properties") && !out.contains("additionalProperties")) out["additionalProperties"] = false;
    return out;
  }
};

OpenApiConformance::~OpenApiConformance() = default;

OpenApiConformance::OpenApiConformance() : impl_(std::make_unique<Impl>()) {
  Impl* impl = impl_.get();
  impl->doc = json::parse(api::openapi_document());
  for (const auto& [path, item] : impl->doc.at("paths").items()) {
    Impl::Operation op;
    op.template_path = path;
    std::string pattern;
    int literal = 0;
    for (size_t i = 0; i < path.size();) {
      if (path[i] == '{') {
        const auto close = path.find('}', i);
        pattern += "[^/]+";
        i = close + 1;
      } else {
        const char c = path[i++];
        if (std::string(".^$|()[]*+?\\").find(c) != std::string::npos) pattern += '\\';
        pattern += c;
        ++literal;
      }
    }
    op.pattern = std::regex(pattern);
    op.literal_segments = literal;
    impl->paths.push_back(std::move(op));
  }
}

const OpenApiConformance& OpenApiConformance::instance() {
  static const OpenApiConformance conformance;
  return conformance;
}

std::vector<std::string> OpenApiConformance::check(const std::string& method, const std::string& path_and_query,
                                                   const ApiReply& reply) const {
  const std::string path = path_and_query.substr(0, path_and_query.find('?'));
  const Impl::Operation* best = nullptr;
  for (const auto& op : impl_->paths) {
    if (std::regex_match(path, op.pattern) && (!best || op.literal_segments > best->literal_segments)) best = &op;
  }
  if (!best || reply.status == 0) return {};
  std::string lower = method;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string where = method + " " + best->template_path + " -> " + std::to_string(reply.status);
  const json& item = impl_->doc.at("paths").at(best->template_path);
  if (!item.contains(lower)) {
    // An undocumented method on a documented path must be refused as such.
    if (reply.status == 405) return {};
    return {where + ": the method is not documented for this path"};
  }
  const json& responses = item[lower].at("responses");
  const std::string status = std::to_string(reply.status);
  json response;
  if (responses.contains(status)) response = impl_->resolve(responses[status]);
  else if (responses.contains("default")) response = impl_->resolve(responses["default"]);
  else return {where + ": status not documented for this operation (api/openapi/openapi.json)"};

  if (!response.contains("content") || reply.body.empty()) return {};
  const std::string media = reply.content_type.substr(0, reply.content_type.find(';'));
  if (!response["content"].contains(media)) {
    return {where + ": content type " + media + " is not documented (documented: " + response["content"].dump().substr(0, 200) + ")"};
  }
  const json schema = impl_->inline_schema(response["content"][media].value("schema", json::object()));
  if (media.find("json") == std::string::npos) return {};
  const json body = json::parse(reply.body, nullptr, false);
  if (body.is_discarded()) return {where + ": the body is not JSON: " + reply.body.substr(0, 200)};
  std::vector<std::string> problems;
  for (const auto& error : plugin_runtime::validate_against_schema(schema, body, "body")) {
    problems.push_back(where + ": " + error);
  }
  return problems;
}

std::vector<std::string> OpenApiConformance::example_problems() const {
  std::vector<std::string> problems;
  auto check_content = [&](const std::string& where, const json& content) {
    for (const auto& [media, body] : content.items()) {
      if (media.find("json") == std::string::npos || !body.contains("schema")) continue;
      std::vector<std::pair<std::string, json>> examples;
      if (body.contains("example")) examples.emplace_back("example", body["example"]);
      const json named = body.value("examples", json::object());
      for (const auto& [name, example] : named.items()) {
        examples.emplace_back("examples." + name, impl_->resolve(example).value("value", json()));
      }
      const json schema = impl_->inline_schema(body["schema"]);
      for (const auto& [name, example] : examples) {
        for (const auto& error : plugin_runtime::validate_against_schema(schema, example, name)) {
          problems.push_back(where + " " + media + ": " + error);
        }
      }
    }
  };
  for (const auto& [path, item] : impl_->doc.at("paths").items()) {
    for (const auto& [method, op] : item.items()) {
      if (!op.is_object() || !op.contains("responses")) continue;
      const std::string where = method + " " + path;
      if (op.contains("requestBody")) {
        const json& body = impl_->resolve(op["requestBody"]);
        if (body.contains("content")) check_content(where + " request", body["content"]);
      }
      for (const auto& [status, response] : op["responses"].items()) {
        const json& resolved = impl_->resolve(response);
        if (resolved.contains("content")) check_content(where + " " + status, resolved["content"]);
      }
    }
  }
  return problems;
}

}  // namespace rifa::testing
