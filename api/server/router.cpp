#include "server/router.hpp"

#include <nlohmann/json.hpp>

#include "server/error_mapping.hpp"

namespace rifa::api {
namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  if (!out.empty() && out.back().empty()) out.pop_back();  // trailing slash
  return out;
}

bool match_segments(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
                    std::map<std::string, std::string>* params) {
  if (pattern.size() != path.size()) return false;
  std::map<std::string, std::string> captured;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const auto& p = pattern[i];
    if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
      if (path[i].empty()) return false;
      captured[p.substr(1, p.size() - 2)] = path[i];
    } else if (p != path[i]) {
      return false;
    }
  }
  if (params) *params = std::move(captured);
  return true;
}

}  // namespace

Response problem(int status, const std::string& type, const std::string& title, const std::string& detail,
                 const std::string& field) {
  nlohmann::json body = {{"type", kProblemTypeBase + type}, {"title", title}, {"status", status}, {"detail", detail}};
  if (!field.empty()) body["field"] = field;
  Response r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = body.dump();
  return r;
}

Response json_response(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

void Router::add(const std::string& method, const std::string& pattern, Handler handler, std::string route_name) {
  if (route_name.empty()) route_name = pattern;
  routes_.push_back(Route{method, pattern, split_path(pattern), std::move(handler), std::move(route_name)});
}

Router::Match Router::match(Request& request) const {
  Match result;
  const auto segments = split_path(request.path);
  for (const auto& route : routes_) {
    std::map<std::string, std::string> params;
    if (!match_segments(route.segments, segments, &params)) continue;
    if (route.method == request.method || (request.method == "HEAD" && route.method == "GET")) {
      request.path_params = std::move(params);
      result.handler = &route.handler;
      result.route_name = route.name;
      result.allowed_methods.clear();
      return result;
    }
    result.allowed_methods.push_back(route.method);
  }
  return result;
}

std::vector<std::pair<std::string, std::string>> Router::routes() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : routes_) out.emplace_back(r.method, r.pattern);
  return out;
}

}  // namespace rifa::api
