#include "server/cors_policy.hpp"

#include <algorithm>
#include <cctype>

#include "server/error_mapping.hpp"

namespace rifa::api {
namespace {

// Browsers cache a preflight at most 2 h (Chromium) and 24 h (Firefox); 10 min keeps a changed
// allow-list effective soon while sparing most preflights.
constexpr const char* kMaxAgeS = "600";
constexpr const char* kAllowHeaders = "Authorization, Content-Type, Idempotency-Key, X-Request-Id";
// Beyond the CORS-safelisted response headers, what API clients read.
constexpr const char* kExposeHeaders = "X-Request-Id, Retry-After, Location, WWW-Authenticate";

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

}  // namespace

CorsPolicy::CorsPolicy(std::vector<std::string> allowed_origins) {
  for (auto& origin : allowed_origins) {
    if (origin == "*") {
      any_origin_ = true;
    } else {
      while (!origin.empty() && origin.back() == '/') origin.pop_back();
      allowed_.push_back(lower(std::move(origin)));
    }
  }
}

bool CorsPolicy::is_preflight(const Request& request) {
  return request.method == "OPTIONS" && !request.header("origin").empty() &&
         !request.header("access-control-request-method").empty();
}

std::string CorsPolicy::allow_origin(const std::string& origin) const {
  if (origin.empty()) return "";
  if (any_origin_) return "*";
  const std::string wanted = lower(origin);
  return std::find(allowed_.begin(), allowed_.end(), wanted) != allowed_.end() ? origin : "";
}

Response CorsPolicy::preflight(const Request& request, const std::vector<std::string>& path_methods) const {
  const std::string origin = request.header("origin");
  const std::string allowed = allow_origin(origin);
  if (allowed.empty()) {
    Response refused = make_problem(ProblemType::kCorsRejected,
                                    "origin '" + origin + "' is not allowed to call this API from a browser");
    refused.headers.emplace_back("Vary", "Origin");
    return refused;
  }
  std::vector<std::string> methods = path_methods;
  methods.push_back("OPTIONS");
  Response r;
  r.status = 204;
  r.content_type.clear();
  r.headers = {{"Access-Control-Allow-Origin", allowed},
               {"Access-Control-Allow-Methods", join(methods)},
               {"Access-Control-Allow-Headers", kAllowHeaders},
               {"Access-Control-Max-Age", kMaxAgeS},
               {"Vary", "Origin"}};
  return r;
}

void CorsPolicy::decorate(const Request& request, Response& response) const {
  if (!any_origin_ && allowed_.empty()) return;
  if (!any_origin_) response.headers.emplace_back("Vary", "Origin");
  const std::string allowed = allow_origin(request.header("origin"));
  if (allowed.empty()) return;
  response.headers.emplace_back("Access-Control-Allow-Origin", allowed);
  response.headers.emplace_back("Access-Control-Expose-Headers", kExposeHeaders);
}

}  // namespace rifa::api
