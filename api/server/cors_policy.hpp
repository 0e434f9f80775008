#pragma once

#include <string>
#include <vector>

#include "server/http_types.hpp"

namespace rifa::api {

// Cross-origin access from the allow-list in server.cors_allowed_origins ("https://host[:port]"
// or "*"). The API authenticates with bearer tokens, never cookies, so credentials are never
// allowed and "*" can be answered as is. A disallowed origin gets no Access-Control-* header at
// all, which is what makes the browser refuse; its preflight also gets a 403 problem saying why.
class CorsPolicy {
 public:
  explicit CorsPolicy(std::vector<std::string> allowed_origins);

  // An OPTIONS request carrying Origin and Access-Control-Request-Method.
  static bool is_preflight(const Request& request);

  // The Access-Control-Allow-Origin value for this Origin header: "*", the origin itself, or ""
  // when it is not allowed.
  std::string allow_origin(const std::string& origin) const;

  // The answer to a preflight of a path whose registered methods are `path_methods`: 204 with
  // Allow-Origin, Allow-Methods, Allow-Headers (Authorization, Content-Type, Idempotency-Key,
  // X-Request-Id), Max-Age and Vary when the origin is allowed; 403 cors-rejected otherwise.
  Response preflight(const Request& request, const std::vector<std::string>& path_methods) const;

  // On an actual response: Allow-Origin and Expose-Headers for an allowed origin; Vary: Origin
  // whenever the answer depends on the Origin header (so shared caches keep them apart).
  void decorate(const Request& request, Response& response) const;

 private:
  std::vector<std::string> allowed_;  // lower-cased
  bool any_origin_ = false;
};

}  // namespace rifa::api
