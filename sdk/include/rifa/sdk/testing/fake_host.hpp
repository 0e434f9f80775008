#pragma once
/// @file
/// rifa::sdk::testing::FakeHost: an in-process implementation of rifa_host_api for unit-testing a
/// plugin without the real host: captured logs, a settable clock, canned HTTP responses by URL,
/// and captured requests. Header-only, C++17, no dependency beyond the standard library.
///
/// Lifetime: a FakeHost must outlive every plugin instance created with its api()/handle() (and
/// every thread such an instance started). It cannot be copied or moved, because instances keep
/// its address.
///
/// Threading: every method, and every function of the table it hands out, may be called from any
/// thread concurrently (a mutex guards the state), so plugins that call the host from their own
/// threads can be tested; wait_for_requests() lets a test wait for such calls.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "rifa/sdk/abi.h"
#include "rifa/sdk/abi_layout.hpp"

namespace rifa::sdk::testing {

/// One log line a plugin wrote.
struct LogEntry {
  rifa_log_level level = RIFA_LOG_INVALID;
  std::string message;
};

/// One HTTP request a plugin made, as the fake host received it.
struct RecordedRequest {
  std::string method;
  std::string url;
  /// "Name: value" lines separated by "\n", as the plugin sent them.
  std::string headers;
  std::string body;
  uint32_t timeout_ms = 0;
};

/// What the fake host answers for one URL: a response, or a transport failure.
struct CannedResponse {
  /// RIFA_OK to answer with the fields below; anything else fails the exchange with that status
  /// and `error_message` (e.g. RIFA_ERR_TIMEOUT).
  rifa_status outcome = RIFA_OK;
  int32_t status = 200;
  std::string body;
  /// "name: value" lines, names lower-cased, as the real host gives them.
  std::string headers;
  std::string error_message;
};

/// Where a plugin call puts its answer. Pass handle() as the rifa_call* of one call; read result()
/// and error() afterwards. Each call should get its own FakeCall (or clear() it).
class FakeCall {
 public:
  FakeCall() = default;
  FakeCall(const FakeCall&) = delete;
  FakeCall& operator=(const FakeCall&) = delete;

  /// The opaque handle for the C ABI; valid while this object lives.
  rifa_call* handle() noexcept { return reinterpret_cast<rifa_call*>(this); }
  static FakeCall* from(rifa_call* call) noexcept { return reinterpret_cast<FakeCall*>(call); }

  /// Last result set with call_set_result (empty if none).
  std::string result() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return result_;
  }
  /// Last error message set with call_set_error, by the plugin or by the fake host's http_request.
  std::string error() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return error_;
  }
  void set_result(std::string value) {
    std::lock_guard<std::mutex> lock(mutex_);
    result_ = std::move(value);
  }
  void set_error(std::string value) {
    std::lock_guard<std::mutex> lock(mutex_);
    error_ = std::move(value);
  }
  void clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    result_.clear();
    error_.clear();
  }

 private:
  mutable std::mutex mutex_;
  std::string result_;
  std::string error_;
};

/// The fake host. See the file comment for lifetime and threading.
class FakeHost {
 public:
  /// Starts with the clock at `now_unix_ms` (default 2026-01-22T12:00:00Z) and no canned responses.
  explicit FakeHost(int64_t now_unix_ms = 1769083200000) : now_unix_ms_(now_unix_ms) {}
  FakeHost(const FakeHost&) = delete;
  FakeHost& operator=(const FakeHost&) = delete;

  /// The host API table (static, shared by all FakeHosts) and this host's handle: what a plugin's
  /// create receives.
  static const rifa_host_api* api() noexcept {
    static const rifa_host_api table = {
        sizeof(rifa_host_api),     RIFA_ABI_VERSION_MAJOR, RIFA_ABI_VERSION_MINOR, &log_fn, &now_fn, &http_request_fn,
        &http_response_release_fn, &call_set_result_fn,    &call_set_error_fn,
    };
    return &table;
  }
  rifa_host* handle() noexcept { return reinterpret_cast<rifa_host*>(this); }

  // Clock.
  void set_now_unix_ms(int64_t now_unix_ms) {
    std::lock_guard<std::mutex> lock(mutex_);
    now_unix_ms_ = now_unix_ms;
  }
  void advance_ms(int64_t delta_ms) {
    std::lock_guard<std::mutex> lock(mutex_);
    now_unix_ms_ += delta_ms;
  }
  int64_t now_unix_ms() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return now_unix_ms_;
  }

  // Logs.
  /// Every line logged so far, in order.
  std::vector<LogEntry> logs() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return logs_;
  }
  /// True when some line at `level` contains `fragment`.
  bool logged(rifa_log_level level, const std::string& fragment) const {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& entry : logs_) {
      if (entry.level == level && entry.message.find(fragment) != std::string::npos) return true;
    }
    return false;
  }
  void clear_logs() {
    std::lock_guard<std::mutex> lock(mutex_);
    logs_.clear();
  }

  // HTTP.
  /// Answers every request to exactly `url` (any method) with `response`. Replaces an earlier one.
  void respond(const std::string& url, CannedResponse response) {
    std::lock_guard<std::mutex> lock(mutex_);
    canned_[url] = std::move(response);
  }
  /// Shorthand: answer `url` with `status` and `body`.
  void respond(const std::string& url, int32_t status, std::string body, std::string headers = "") {
    CannedResponse response;
    response.status = status;
    response.body = std::move(body);
    response.headers = std::move(headers);
    respond(url, std::move(response));
  }
  /// Makes requests to `url` fail with `outcome` (RIFA_ERR_TIMEOUT, RIFA_ERR_TRANSPORT...) and `message`.
  void fail(const std::string& url, rifa_status outcome, std::string message) {
    CannedResponse response;
    response.outcome = outcome;
    response.error_message = std::move(message);
    respond(url, std::move(response));
  }
  /// Every request made so far, in order. A request to a URL with no canned response fails with
  /// RIFA_ERR_NOT_RECORDED ("no canned response for METHOD URL") and is recorded too.
  std::vector<RecordedRequest> requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }
  /// Waits until at least `count` requests were made (by any thread) or `timeout` passed; returns
  /// whether the count was reached.
  bool wait_for_requests(size_t count, std::chrono::milliseconds timeout) const {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return requests_.size() >= count; });
  }
  /// Responses handed out and not yet released (a plugin leaking host memory shows up here).
  int outstanding_responses() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return outstanding_;
  }

 private:
  struct ResponseHolder {
    std::string effective_url;
    std::string headers;
    std::string body;
  };

  static FakeHost* self(rifa_host* host) noexcept { return reinterpret_cast<FakeHost*>(host); }

  static void log_fn(rifa_host* host, rifa_log_level level, const char* message, size_t len) {
    FakeHost* h = self(host);
    std::lock_guard<std::mutex> lock(h->mutex_);
    h->logs_.push_back(LogEntry{level, std::string(message ? message : "", message ? len : 0)});
  }

  static int64_t now_fn(rifa_host* host) { return self(host)->now_unix_ms(); }

  static rifa_status http_request_fn(rifa_host* host, const rifa_http_request* request, rifa_http_response* response,
                                     rifa_call* error_call) {
    auto fail_with = [&](rifa_status status, const std::string& message) {
      if (error_call) FakeCall::from(error_call)->set_error(message);
      return status;
    };
    if (!host || !request || !response) return fail_with(RIFA_ERR_INVALID_ARGUMENT, "http_request: NULL argument");
    // The plugin's structs, read and written only as far as their struct_size reaches, as the host does.
    for (const std::string& problem :
         {abi::size_problem("rifa_http_request", request->struct_size, abi::v1_0::http_request),
          abi::size_problem("rifa_http_response", response->struct_size, abi::v1_0::http_response)}) {
      if (!problem.empty()) return fail_with(RIFA_ERR_INVALID_ARGUMENT, "http_request: " + problem);
    }
    const rifa_http_request in = abi::read_covered(*request);
    request = &in;
    if (!request->method || !request->url) return fail_with(RIFA_ERR_INVALID_ARGUMENT, "http_request: NULL argument");
    FakeHost* h = self(host);
    RecordedRequest recorded;
    recorded.method = request->method;
    recorded.url = request->url;
    if (request->headers) recorded.headers = request->headers;
    if (request->body && request->body_len) recorded.body.assign(request->body, request->body_len);
    recorded.timeout_ms = request->timeout_ms;

    CannedResponse canned;
    bool found = false;
    {
      std::lock_guard<std::mutex> lock(h->mutex_);
      h->requests_.push_back(recorded);
      auto it = h->canned_.find(recorded.url);
      if (it != h->canned_.end()) {
        canned = it->second;
        found = true;
      }
      if (found && canned.outcome == RIFA_OK) ++h->outstanding_;
    }
    h->changed_.notify_all();
    if (!found)
      return fail_with(RIFA_ERR_NOT_RECORDED, "no canned response for " + recorded.method + " " + recorded.url);
    if (canned.outcome != RIFA_OK) return fail_with(canned.outcome, canned.error_message);

    auto* holder = new ResponseHolder{recorded.url, canned.headers, canned.body};
    rifa_http_response out{};
    out.status = canned.status;
    out.effective_url = holder->effective_url.c_str();
    out.headers = holder->headers.c_str();
    out.body = holder->body.c_str();
    out.body_len = holder->body.size();
    out.host_private = holder;
    abi::write_covered(*response, out);
    return RIFA_OK;
  }

  static void http_response_release_fn(rifa_host* host, rifa_http_response* response) {
    if (!response || response->struct_size < abi::v1_0::http_response || !response->host_private) return;
    delete static_cast<ResponseHolder*>(response->host_private);
    abi::write_covered(*response, rifa_http_response{});
    FakeHost* h = self(host);
    std::lock_guard<std::mutex> lock(h->mutex_);
    --h->outstanding_;
  }

  static void call_set_result_fn(rifa_call* call, const char* data, size_t len) {
    if (call) FakeCall::from(call)->set_result(std::string(data ? data : "", data ? len : 0));
  }
  static void call_set_error_fn(rifa_call* call, const char* message, size_t len) {
    if (call) FakeCall::from(call)->set_error(std::string(message ? message : "", message ? len : 0));
  }

  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  int64_t now_unix_ms_;
  std::vector<LogEntry> logs_;
  std::map<std::string, CannedResponse> canned_;
  std::vector<RecordedRequest> requests_;
  int outstanding_ = 0;
};

}  // namespace rifa::sdk::testing
