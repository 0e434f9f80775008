#include "plugin_runtime/curl_transport.hpp"

#include <curl/curl.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <thread>

namespace rifa::plugin_runtime {
namespace {

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

void ensure_curl_global() {
  static std::once_flag once;
  static std::unique_ptr<CurlGlobal> global;
  std::call_once(once, [] { global = std::make_unique<CurlGlobal>(); });
}

struct Sink {
  std::string body;
  std::string headers;
  size_t limit = 0;
  bool too_large = false;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const size_t n = size * count;
  if (sink->body.size() + n > sink->limit) {
    sink->too_large = true;
    return 0;  // aborts the transfer
  }
  sink->body.append(data, n);
  return n;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const size_t n = size * count;
  std::string line(data, n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  // A new status line starts a new header block (after 100-continue or a proxy answer).
  if (line.rfind("HTTP/", 0) == 0) {
    sink->headers.clear();
    return n;
  }
  const auto colon = line.find(':');
  if (colon == std::string::npos) return n;
  std::string name = line.substr(0, colon);
  for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  size_t value_start = colon + 1;
  while (value_start < line.size() && line[value_start] == ' ') ++value_start;
  sink->headers += name + ": " + line.substr(value_start) + "\n";
  return n;
}

struct EasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

std::string resolve_location(const std::string& base, const std::string& location) {
  if (location.find("://") != std::string::npos) return location;
  const auto scheme_end = base.find("://");
  const auto path_start = base.find('/', scheme_end + 3);
  const std::string origin = base.substr(0, path_start);
  if (!location.empty() && location.front() == '/') return origin + location;
  const auto last_slash = base.rfind('/');
  return (last_slash == std::string::npos || last_slash < scheme_end + 3 ? origin + "/"
                                                                         : base.substr(0, last_slash + 1)) +
         location;
}

}  // namespace

CurlTransport::CurlTransport(CurlTransportOptions options) : options_(std::move(options)) { ensure_curl_global(); }

Result<HttpResponse> CurlTransport::perform(const HttpRequest& request) {
  HttpRequest hop = request;
  for (int redirects = 0;; ++redirects) {
    Result<HttpResponse> result = perform_once(hop);
    for (int attempt = 0; attempt < options_.retries; ++attempt) {
      const bool retryable =
          !result.ok() ? (result.error().code == ErrorCode::kTimeout || result.error().code == ErrorCode::kUnavailable)
                       : result->status >= 500;
      if (!retryable) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(options_.retry_backoff_ms << attempt));
      result = perform_once(hop);
    }
    if (!result.ok()) return result;
    const int status = result->status;
    if (status < 300 || status >= 400 || status == 304) return result;
    // Only reads are redirected. A POST (a webhook's signed event, a payment request) goes where
    // the plugin sent it and nowhere else: the 3xx is the plugin's answer to judge.
    if (hop.method != "GET" && hop.method != "HEAD") return result;
    std::string location;
    for (const auto& [name, value] : parse_header_lines(result->headers)) {
      if (name == "location") location = value;
    }
    if (location.empty()) return result;
    if (redirects >= options_.max_redirects) {
      return make_error(
          ErrorCode::kUnavailable,
          "too many redirects (more than " + std::to_string(options_.max_redirects) + ") starting at " + request.url);
    }
    hop.url = resolve_location(hop.url, location);
    if (status == 303 || ((status == 301 || status == 302) && hop.method == "POST")) {
      hop.method = "GET";
      hop.body.clear();
    }
  }
}

Result<HttpResponse> CurlTransport::perform_once(const HttpRequest& request) {
  if (request.url.rfind("http://", 0) != 0 && request.url.rfind("https://", 0) != 0) {
    return make_error(ErrorCode::kInvalidArgument,
                      "only http:// and https:// URLs are allowed, got '" + request.url + "'");
  }
  const std::string host = url_host(request.url);
  if (!egress_allowed(options_.egress_allow, host)) {
    return make_error(ErrorCode::kPermissionDenied,
                      "egress to host '" + host + "' is not in plugins.http.egress_allow");
  }

  std::unique_ptr<CURL, EasyDeleter> easy(curl_easy_init());
  if (!easy) return make_error(ErrorCode::kInternal, "curl_easy_init failed");
  CURL* c = easy.get();
  Sink sink;
  sink.limit = options_.max_body_bytes;
  const uint32_t timeout_ms = request.timeout_ms ? request.timeout_ms : options_.default_timeout_ms;

  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min(options_.connect_timeout_ms, timeout_ms)));
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(c, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &sink);

  std::unique_ptr<curl_slist, SlistDeleter> header_list;
  for (const auto& [name, value] : request.headers) {
    const std::string line = name + ": " + value;
    header_list.reset(curl_slist_append(header_list.release(), line.c_str()));
  }
  if (header_list) curl_easy_setopt(c, CURLOPT_HTTPHEADER, header_list.get());

  if (request.method == "GET") {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  } else if (request.method == "HEAD") {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  }

  char error_buffer[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);
  const CURLcode code = curl_easy_perform(c);
  if (code != CURLE_OK) {
    const std::string detail = error_buffer[0] ? error_buffer : curl_easy_strerror(code);
    if (sink.too_large) {
      return make_error(ErrorCode::kUnavailable, request.method + " " + request.url + ": response larger than " +
                                                     std::to_string(options_.max_body_bytes) + " bytes");
    }
    if (code == CURLE_OPERATION_TIMEDOUT) {
      return make_error(ErrorCode::kTimeout, request.method + " " + request.url + ": timed out after " +
                                                 std::to_string(timeout_ms) + " ms (" + detail + ")");
    }
    return make_error(ErrorCode::kUnavailable, request.method + " " + request.url + ": " + detail);
  }

  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  HttpResponse response;
  response.status = static_cast<int32_t>(status);
  response.effective_url = request.url;
  response.headers = std::move(sink.headers);
  response.body = std::move(sink.body);
  return response;
}

}  // namespace rifa::plugin_runtime
