#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/result.hpp"

namespace rifa::plugin_runtime {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  // "Name: value" pairs as the plugin sent them.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  uint32_t timeout_ms = 0;  // 0: the transport's default
};

struct HttpResponse {
  int32_t status = 0;
  std::string effective_url;
  // "name: value" lines separated by "\n", names lower-cased (the ABI's format).
  std::string headers;
  std::string body;
};

// Every way a plugin reaches the outside world. Failures are Errors with kTimeout, kUnavailable
// (connect/DNS/TLS/5xx after retries), kPermissionDenied (egress not allowed), kNotRecorded
// (replay) or kInvalidArgument (bad URL or method).
class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  virtual Result<HttpResponse> perform(const HttpRequest& request) = 0;
};

// Splits "Name: value\n..." (the ABI's header block) into pairs; blank lines are skipped.
std::vector<std::pair<std::string, std::string>> parse_header_lines(const std::string& block);

// Host part of an http(s) URL, lower-cased, without port or credentials; empty when unparsable.
std::string url_host(const std::string& url);

// True when `host` matches one of the globs: "example.com" exactly, "*.example.com" any subdomain,
// "*" anything.
bool egress_allowed(const std::vector<std::string>& allow_globs, const std::string& host);

}  // namespace rifa::plugin_runtime
