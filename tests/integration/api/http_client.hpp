#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace rifa::testing {

struct ApiReply {
  long status = 0;
  std::string content_type;
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-cased

  // The body as JSON; a discarded value when it is not JSON (the assertion then shows the body).
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
};

// One HTTP/1.1 request over a real socket (libcurl), any method, with an optional bearer token.
ApiReply http_call(const std::string& method, const std::string& url, const std::string& body = "",
                   const std::string& bearer = "", const std::vector<std::string>& extra_headers = {});

}  // namespace rifa::testing
