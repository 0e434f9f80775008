#pragma once

#include <functional>
#include <string>
#include <vector>

#include "server/http_types.hpp"

namespace rifa::api {

using Handler = std::function<Response(Request&)>;

// Routes "METHOD /path/{param}/..." patterns. Segments in braces capture into path_params. A path
// that matches with another method answers 405 with Allow; no match answers 404.
class Router {
 public:
  void add(const std::string& method, const std::string& pattern, Handler handler, std::string route_name = "");

  struct Match {
    const Handler* handler = nullptr;
    std::string route_name;                    // the pattern, used as the metrics label
    std::vector<std::string> allowed_methods;  // filled when the path matched but the method did not
  };
  Match match(Request& request) const;

  // Every registered (method, pattern), for the OpenAPI check.
  std::vector<std::pair<std::string, std::string>> routes() const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
    std::string name;
  };
  std::vector<Route> routes_;
};

}  // namespace rifa::api
