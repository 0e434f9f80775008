#pragma once
/// @file
/// rifa::sdk::Host: the services the host gives one plugin instance (log, clock, HTTP), as C++.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rifa/sdk/abi.h"
#include "rifa/sdk/error.hpp"
#include "rifa/sdk/internal/call_context.hpp"

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

namespace rifa::sdk {

/// An outgoing HTTP request (copied into the C request only for the duration of Host::http).
struct HttpRequest {
  /// "GET", "POST", ...
  std::string method = "GET";
  /// Absolute http:// or https:// URL. The host's egress allow-list may refuse it.
  std::string url;
  /// Extra request headers as (name, value) pairs.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  /// Whole-exchange timeout; 0 means the host's default for this instance.
  uint32_t timeout_ms = 0;
};

/// An HTTP response, copied out of host memory (the host's buffers are already released).
struct HttpResponse {
  /// Any HTTP status, 4xx/5xx included: Host::http only throws on transport failures.
  int32_t status = 0;
  /// URL after redirects.
  std::string effective_url;
  /// "name: value" lines separated by "\n", names lower-cased.
  std::string headers;
  std::string body;

  /// Value of the first header called `name` (case-insensitive), without surrounding blanks.
  std::optional<std::string> header(std::string_view name) const {
    size_t start = 0;
    while (start < headers.size()) {
      size_t end = headers.find('\n', start);
      if (end == std::string::npos) end = headers.size();
      const std::string_view line(headers.data() + start, end - start);
      const size_t colon = line.find(':');
      if (colon != std::string_view::npos && colon == name.size() &&
          equals_ignoring_case(line.substr(0, colon), name)) {
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
        while (!value.empty() && (value.back() == ' ' || value.back() == '\t' || value.back() == '\r'))
          value.remove_suffix(1);
        return std::string(value);
      }
      start = end + 1;
    }
    return std::nullopt;
  }

 private:
  static bool equals_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      const auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
      if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
  }
};

/// The host services of one plugin instance: a cheap, copyable view of (api, host).
///
/// Lifetime: valid from the plugin's constructor until its destructor returns (the host destroys
/// the instance before it invalidates the table). Do not keep a copy past the destructor, e.g. in a
/// thread that outlives the instance: join such threads in the destructor.
///
/// Threading: every method may be called from any thread, including threads the plugin starts
/// itself, concurrently.
class Host {
 public:
  /// Wraps the table and handle the host passed to create. Both must be non-null.
  Host(const rifa_host_api* api, rifa_host* host) noexcept : api_(api), host_(host) {}

  /// Writes `message` into the host's log, tagged with the instance id. Never throws.
  void log(rifa_log_level level, std::string_view message) const noexcept {
    api_->log(host_, level, message.data(), message.size());
  }
  void debug(std::string_view message) const noexcept { log(RIFA_LOG_DEBUG, message); }
  void info(std::string_view message) const noexcept { log(RIFA_LOG_INFO, message); }
  void warn(std::string_view message) const noexcept { log(RIFA_LOG_WARN, message); }
  void error(std::string_view message) const noexcept { log(RIFA_LOG_ERROR, message); }

  /// The host's clock in Unix milliseconds. Use it, not the system clock, for every decision that
  /// depends on time: tests and replays inject the clock.
  int64_t now_unix_ms() const noexcept { return api_->now_unix_ms(host_); }

  /// Performs `request` through the host's transport (timeouts, retries, allow-list, record/replay)
  /// and returns the response, whatever its HTTP status. Redirects are followed for GET and HEAD
  /// only: any other method gets the 3xx itself (ABI.md, "Ownership and lifetime").
  ///
  /// Throws rifa::sdk::Error with the host's status (RIFA_ERR_TRANSPORT, RIFA_ERR_TIMEOUT,
  /// RIFA_ERR_NOT_RECORDED, RIFA_ERR_INVALID_ARGUMENT) when no response was obtained. Inside a call
  /// the host's detailed reason becomes that call's error message (Error::is_reported_by_host());
  /// letting the exception propagate is usually right. Outside a call (constructor, own threads) the
  /// host's reason is not available and what() holds only a summary.
  /// Throws std::bad_alloc when memory runs out.
  HttpResponse http(const HttpRequest& request) const {
    std::string header_lines;
    for (const auto& [name, value] : request.headers) header_lines += name + ": " + value + "\n";

    rifa_http_request c_request{};
    c_request.struct_size = sizeof(rifa_http_request);
    c_request.method = request.method.c_str();
    c_request.url = request.url.c_str();
    c_request.headers = header_lines.empty() ? nullptr : header_lines.c_str();
    c_request.body = request.body.empty() ? nullptr : request.body.data();
    c_request.body_len = request.body.size();
    c_request.timeout_ms = request.timeout_ms;

    rifa_http_response c_response{};
    c_response.struct_size = sizeof(rifa_http_response);
    rifa_call* call = internal::current_call();
    const rifa_status status = api_->http_request(host_, &c_request, &c_response, call);
    if (status != RIFA_OK) {
      std::string summary = request.method + " " + request.url + ": " + status_name(status);
      if (call) throw Error::reported_by_host(status, summary + " (the host's reason is on the call)");
      throw Error(status, summary);
    }
    // Released even when a copy below throws std::bad_alloc.
    struct Release {
      const rifa_host_api* api;
      rifa_host* host;
      rifa_http_response* response;
      ~Release() { api->http_response_release(host, response); }
    } release{api_, host_, &c_response};

    HttpResponse response;
    response.status = c_response.status;
    if (c_response.effective_url) response.effective_url = c_response.effective_url;
    if (c_response.headers) response.headers = c_response.headers;
    if (c_response.body && c_response.body_len) response.body.assign(c_response.body, c_response.body_len);
    return response;
  }

  /// The raw table and handle, for code that talks to the C ABI directly.
  const rifa_host_api* api() const noexcept { return api_; }
  rifa_host* handle() const noexcept { return host_; }

 private:
  const rifa_host_api* api_;
  rifa_host* host_;
};

}  // namespace rifa::sdk

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif
