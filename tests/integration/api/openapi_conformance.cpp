#include "openapi_conformance.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
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

  void check_headers(const std::string& where, const json& response, const ApiReply& reply,
                     std::vector<std::string>& problems) const {
    std::map<std::string, json> declared;  // lower-cased name → header object
    const json headers = response.value("headers", json::object());
    for (const auto& [name, header] : headers.items()) { declared[lower_case(name)] = resolve(header); }
    for (const auto& [name, value] : reply.headers) {
      if (of_every_reply(name) || declared.count(name)) continue;
      problems.push_back(where + ": the reply header " + name + " is not declared for this response");
    }
    for (const auto& [name, header] : declared) {
      if (header.value("required", false) && !reply.headers.count(name)) {
        problems.push_back(where + ": the required reply header " + name + " is missing");
      }
    }
  }

  void check_body(const std::string& where, const json& response, const ApiReply& reply,
                  std::vector<std::string>& problems) const {
    if (!response.contains("content") || reply.body.empty()) return;
    const std::string media = reply.content_type.substr(0, reply.content_type.find(';'));
    if (!response["content"].contains(media)) {
      problems.push_back(where + ": content type " + media +
                         " is not documented (documented: " + response["content"].dump().substr(0, 200) + ")");
      return;
    }
    if (media.find("json") == std::string::npos) return;
    const json schema = inline_schema(response["content"][media].value("schema", json::object()));
    const json body = json::parse(reply.body, nullptr, false);
    if (body.is_discarded()) {
      problems.push_back(where + ": the body is not JSON: " + reply.body.substr(0, 200));
      return;
    }
    for (const auto& error : plugin_runtime::validate_against_schema(schema, body, "body")) {
      problems.push_back(where + ": " + error);
    }
  }

  // The parameters of an operation (path item's and the operation's own, resolved), by location
  // and name; the operation's win.
  std::vector<json> parameters_of(const json& item, const json& operation) const {
    std::map<std::string, json> by_key;
    for (const json* list : {&item, &operation}) {
      for (const auto& p : list->value("parameters", json::array())) {
        const json param = resolve(p);
        by_key[param.value("in", "") + ":" + lower_case(param.value("name", ""))] = param;
      }
    }
    std::vector<json> out;
    for (auto& [key, param] : by_key) out.push_back(std::move(param));
    return out;
  }

  // A parameter's text as the JSON value its schema describes; discarded when it cannot be one.
  static json parameter_value(const json& schema, const std::string& text) {
    const std::string type = schema.value("type", "string");
    if (type == "integer") {
      const bool digits = !text.empty() && text.size() <= 18 &&
                          std::all_of(text.begin() + (text[0] == '-' ? 1 : 0), text.end(),
                                      [](char c) { return c >= '0' && c <= '9'; }) &&
                          text != "-";
      return digits ? json(std::stoll(text)) : json(json::value_t::discarded);
    }
    if (type == "boolean") {
      if (text == "true") return true;
      if (text == "false") return false;
      return json(json::value_t::discarded);
    }
    return text;
  }

  // Why the document says this request is invalid (empty: it is valid).
  std::vector<std::string> request_faults(const json& item, const json& operation, const SentRequest& request) const {
    std::vector<std::string> faults;
    const json security = operation.contains("security") ? operation["security"] : doc.value("security", json::array());
    bool anonymous_allowed = security.empty();
    for (const auto& alternative : security) anonymous_allowed = anonymous_allowed || alternative.empty();
    if (!anonymous_allowed && !request.headers.count("authorization")) faults.push_back("no credentials");

    const auto query = parse_query(request.path_and_query);
    for (const json& param : parameters_of(item, operation)) {
      const std::string in = param.value("in", "");
      const std::string name = param.value("name", "");
      std::optional<std::string> sent;
      if (in == "query") {
        if (auto it = query.find(name); it != query.end()) sent = it->second;
      } else if (in == "header") {
        if (auto it = request.headers.find(lower_case(name)); it != request.headers.end()) sent = it->second;
      } else {
        continue;  // path parameters are whatever matched
      }
      if (!sent) {
        if (param.value("required", false)) faults.push_back(in + " parameter " + name + " is required");
        continue;
      }
      const json schema = inline_schema(param.value("schema", json::object()));
      const json value = parameter_value(schema, *sent);
      if (value.is_discarded()) {
        faults.push_back(in + " parameter " + name + " is not a " + schema.value("type", "string"));
        continue;
      }
      for (const auto& error : plugin_runtime::validate_against_schema(schema, value, in + " parameter " + name)) {
        faults.push_back(error);
      }
    }
    for (const auto& group : operation.value("x-required-one-of", json::array())) {
      bool any = false;
      const json body = json::parse(request.body, nullptr, false);
      for (const auto& alternative : group) {
        const std::string name = alternative.value("name", "");
        if (alternative.value("in", "") == "header") any = any || request.headers.count(lower_case(name));
        if (alternative.value("in", "") == "body") any = any || (body.is_object() && body.contains(name));
      }
      if (!any) faults.push_back("one of " + group.dump() + " is required");
    }

    const bool has_body = request.body.find_first_not_of(" \t\r\n") != std::string::npos;
    if (!operation.contains("requestBody")) {
      if (has_body) faults.push_back("the operation takes no body");
      return faults;
    }
    const json request_body = resolve(operation["requestBody"]);
    if (!has_body) {
      if (request_body.value("required", false)) faults.push_back("a body is required");
      return faults;
    }
    auto content_type = request.headers.find("content-type");
    std::string media = content_type == request.headers.end()
                            ? ""
                            : lower_case(content_type->second.substr(0, content_type->second.find(';')));
    while (!media.empty() && media.back() == ' ') media.pop_back();
    // application/<anything>+json is JSON too (RFC 6839); the document names application/json.
    if (media.starts_with("application/") && media.ends_with("+json")) media = "application/json";
    const json content = request_body.value("content", json::object());
    if (!content.contains(media)) {
      faults.push_back("a body in " + (media.empty() ? std::string("no declared media type") : media) +
                       " (documented: " + content.dump().substr(0, 120) + ")");
      return faults;
    }
    if (media.find("json") == std::string::npos) return faults;
    const json body = json::parse(request.body, nullptr, false);
    if (body.is_discarded()) {
      faults.push_back("the body is not JSON");
      return faults;
    }
    const json schema = inline_schema(content[media].value("schema", json::object()));
    for (const auto& error : plugin_runtime::validate_against_schema(schema, body, "request body")) {
      faults.push_back(error);
    }
    return faults;
  }

  // Names the document requires (or lets stand in for one another) in this operation's request.
  bool documented_as_required(const json& item, const json& operation, const std::string& field) const {
    for (const json& param : parameters_of(item, operation)) {
      if (param.value("name", "") == field && param.value("required", false)) return true;
    }
    // Required only in some cases the schema cannot express (who the caller is): still documented.
    for (const auto& conditional : operation.value("x-required-when", json::array())) {
      if (conditional.value("name", "") == field) return true;
    }
    for (const auto& group : operation.value("x-required-one-of", json::array())) {
      for (const auto& alternative : group) {
        if (alternative.value("name", "") == field) return true;
      }
    }
    if (!operation.contains("requestBody")) return false;
    const json content = resolve(operation["requestBody"]).value("content", json::object());
    for (const auto& [media, body] : content.items()) {
      const json schema = inline_schema(body.value("schema", json::object()));
      for (const auto& name : schema.value("required", json::array())) {
        if (name == field) return true;
      }
    }
    return false;
  }

  void check_request(const std::string& where, const json& item, const json& operation, const SentRequest& request,
                     const ApiReply& reply, std::vector<std::string>& problems) const {
    const auto faults = request_faults(item, operation, request);
    if (!faults.empty() && reply.status >= 200 && reply.status < 300) {
      std::string all;
      for (const auto& fault : faults) all += (all.empty() ? "" : "; ") + fault;
      problems.push_back(where + ": the document says this request is invalid (" + all +
                         ") but the server accepted it");
    }
    if (reply.status != 422) return;
    const json problem = json::parse(reply.body, nullptr, false);
    if (!problem.is_object() || !problem.contains("field") || !problem["field"].is_string()) return;
    const std::string field = problem["field"].get<std::string>();
    const std::string detail = problem.value("detail", "");
    if (detail.find("required") == std::string::npos) return;
    const json body = json::parse(request.body, nullptr, false);
    const bool sent = parse_query(request.path_and_query).count(field) || request.headers.count(lower_case(field)) ||
                      (body.is_object() && body.contains(field));
    if (!sent && !documented_as_required(item, operation, field)) {
      problems.push_back(where + ": the server requires " + field + " (\"" + detail +
                         "\") but the document does not say it is required");
    }
  }

  static std::string lower_case(std::string text) {
    for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
  }

  // Headers of every reply, whatever the operation: transport, caching and security headers
  // (the document's info.description names them) and CORS, which depends on the caller's Origin.
  static bool of_every_reply(const std::string& name) {
    static const std::set<std::string> kHeadersOfEveryReply = {"content-type",
                                                               "content-length",
                                                               "transfer-encoding",
                                                               "connection",
                                                               "keep-alive",
                                                               "date",
                                                               "server",
                                                               "cache-control",
                                                               "x-content-type-options",
                                                               "x-frame-options",
                                                               "referrer-policy",
                                                               "content-security-policy",
                                                               "strict-transport-security",
                                                               "vary"};
    return kHeadersOfEveryReply.count(name) || name.starts_with("access-control-");
  }

  static std::string percent_decode(const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
          std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
        out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        out += s[i] == '+' ? ' ' : s[i];
      }
    }
    return out;
  }

  static std::map<std::string, std::string> parse_query(const std::string& path_and_query) {
    std::map<std::string, std::string> out;
    const auto q = path_and_query.find('?');
    if (q == std::string::npos) return out;
    std::stringstream pairs(path_and_query.substr(q + 1));
    std::string pair;
    while (std::getline(pairs, pair, '&')) {
      if (pair.empty()) continue;
      const auto eq = pair.find('=');
      out.emplace(percent_decode(pair.substr(0, eq)),
                  eq == std::string::npos ? "" : percent_decode(pair.substr(eq + 1)));
    }
    return out;
  }
};

SentRequest SentRequest::of_http_call(const std::string& method, const std::string& path_and_query,
                                      const std::string& body, const std::string& bearer,
                                      const std::vector<std::string>& extra_headers) {
  SentRequest request{method, path_and_query, {}, body};
  if (!bearer.empty()) request.headers["authorization"] = "Bearer " + bearer;
  if (!body.empty()) request.headers["content-type"] = "application/json";
  for (const auto& line : extra_headers) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(value.begin());
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    request.headers[name] = value;
  }
  return request;
}

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

std::vector<std::string> OpenApiConformance::check(const SentRequest& request, const ApiReply& reply) const {
  const std::string& method = request.method;
  const std::string path = request.path_and_query.substr(0, request.path_and_query.find('?'));
  const Impl::Operation* best = nullptr;
  for (const auto& op : impl_->paths) {
    if (std::regex_match(path, op.pattern) && (!best || op.literal_segments > best->literal_segments)) best = &op;
  }
  if (!best || reply.status == 0) return {};
  std::string lower = method;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string where = method + " " + best->template_path + " -> " + std::to_string(reply.status);
  const json& item = impl_->doc.at("paths").at(best->template_path);
  std::vector<std::string> problems;
  if (!item.contains(lower)) {
    // An undocumented method on a documented path must be refused as such, the way the document's
    // MethodNotAllowed response says; OPTIONS is answered for every path (components/responses/Options).
    const char* shared = reply.status == 405                         ? "#/components/responses/MethodNotAllowed"
                         : lower == "options" && reply.status == 204 ? "#/components/responses/Options"
                                                                     : nullptr;
    if (!shared) return {where + ": the method is not documented for this path"};
    const json response = impl_->resolve(json{{"$ref", shared}});
    impl_->check_headers(where, response, reply, problems);
    impl_->check_body(where, response, reply, problems);
    return problems;
  }
  const json& operation = item[lower];
  const json& responses = operation.at("responses");
  const std::string status = std::to_string(reply.status);
  json response;
  if (responses.contains(status)) response = impl_->resolve(responses[status]);
  else if (responses.contains("default")) response = impl_->resolve(responses["default"]);
  else return {where + ": status not documented for this operation (api/openapi/openapi.json)"};

  impl_->check_headers(where, response, reply, problems);
  impl_->check_body(where, response, reply, problems);
  impl_->check_request(where, item, operation, request, reply, problems);
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
