#pragma once

#include <string>
#include <vector>

#include "plugin_runtime/http_transport.hpp"

namespace rifa::plugin_runtime {

struct CurlTransportOptions {
  uint32_t default_timeout_ms = 10000;
  uint32_t connect_timeout_ms = 5000;
  // Extra attempts after a connect failure, a timeout or a 5xx answer, with backoff.
  int retries = 1;
  uint32_t retry_backoff_ms = 200;
  std::vector<std::string> egress_allow;
  size_t max_body_bytes = 16 * 1024 * 1024;
  int max_redirects = 5;
  std::string user_agent = "Rifa1122/1.0 (+https://github.com/rifa1122)";
};

// The live transport: libcurl, one easy handle per exchange. Redirects of GET and HEAD are followed
// by hand so each hop passes the egress allow-list; any other method gets its 3xx as the answer
// (a signed webhook or a payment request is never re-sent somewhere the plugin did not name).
class CurlTransport final : public HttpTransport {
 public:
  explicit CurlTransport(CurlTransportOptions options);
  Result<HttpResponse> perform(const HttpRequest& request) override;

 private:
  Result<HttpResponse> perform_once(const HttpRequest& request);
  CurlTransportOptions options_;
};

}  // namespace rifa::plugin_runtime
