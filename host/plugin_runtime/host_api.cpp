#include "plugin_runtime/host_api.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

#include "rifa/sdk/abi_layout.hpp"

namespace rifa::plugin_runtime {
namespace {

// Owned by the host, handed to the plugin through rifa_http_response.host_private.
struct ResponseHolder {
  HttpResponse response;
};

void host_log(rifa_host* host, rifa_log_level level, const char* message, size_t len) {
  if (!host || !message) return;
  auto& logger = host->services.logger ? *host->services.logger : *spdlog::default_logger();
  const std::string_view text(message, len);
  spdlog::level::level_enum lvl = spdlog::level::info;
  switch (level) {
    case RIFA_LOG_DEBUG: lvl = spdlog::level::debug; break;
    case RIFA_LOG_INFO: lvl = spdlog::level::info; break;
    case RIFA_LOG_WARN: lvl = spdlog::level::warn; break;
    case RIFA_LOG_ERROR: lvl = spdlog::level::err; break;
    default: lvl = spdlog::level::info; break;
  }
  logger.log(lvl, "[plugin:{}] {}", host->instance_id, text);
}

int64_t host_now_unix_ms(rifa_host* host) {
  if (host && host->services.now_unix_ms) return host->services.now_unix_ms();
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void host_call_set_result(rifa_call* call, const char* data, size_t len) {
  if (call) call->result.assign(data ? data : "", data ? len : 0);
}

void host_call_set_error(rifa_call* call, const char* message, size_t len) {
  if (call) call->error.assign(message ? message : "", message ? len : 0);
}

rifa_status status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::kTimeout: return RIFA_ERR_TIMEOUT;
    case ErrorCode::kNotRecorded: return RIFA_ERR_NOT_RECORDED;
    case ErrorCode::kInvalidArgument: return RIFA_ERR_INVALID_ARGUMENT;
    default: return RIFA_ERR_TRANSPORT;
  }
}

rifa_status host_http_request(rifa_host* host, const rifa_http_request* request, rifa_http_response* response,
                              rifa_call* error_call) {
  auto fail = [&](rifa_status status, const std::string& message) {
    if (error_call) error_call->error = message;
    return status;
  };
  if (!host || !request || !response) return fail(RIFA_ERR_INVALID_ARGUMENT, "http_request: NULL argument");
  // Both structs are the plugin's: read (and later write) only what its struct_size covers.
  for (const std::string& problem :
       {sdk::abi::size_problem("rifa_http_request", request->struct_size, sdk::abi::v1_0::http_request),
        sdk::abi::size_problem("rifa_http_response", response->struct_size, sdk::abi::v1_0::http_response)}) {
    if (!problem.empty()) return fail(RIFA_ERR_INVALID_ARGUMENT, "http_request: " + problem);
  }
  const rifa_http_request in = sdk::abi::read_covered(*request);
  if (!in.url || !in.method) { return fail(RIFA_ERR_INVALID_ARGUMENT, "http_request: method and url are required"); }
  if (!host->services.transport) {
    return fail(RIFA_ERR_TRANSPORT,
                "http_request: this host gives plugin '" + host->instance_id + "' no HTTP transport");
  }
  HttpRequest req;
  req.method = in.method;
  req.url = in.url;
  if (in.headers) req.headers = parse_header_lines(in.headers);
  if (in.body && in.body_len) req.body.assign(in.body, in.body_len);
  req.timeout_ms = in.timeout_ms;

  const auto started = std::chrono::steady_clock::now();
  Result<HttpResponse> result = host->services.transport->perform(req);
  if (auto* metrics = host->services.metrics) {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    metrics
        ->counter("rifa_plugin_http_requests_total", "HTTP exchanges made by plugins",
                  {{"instance", host->instance_id}, {"outcome", result ? "ok" : to_string(result.error().code)}})
        .inc();
    metrics
        ->histogram("rifa_plugin_http_duration_seconds", "Duration of plugin HTTP exchanges",
                    {{"instance", host->instance_id}})
        .observe(elapsed);
  }
  if (!result) return fail(status_for(result.error().code), result.error().message);

  auto* holder = new ResponseHolder{std::move(*result)};
  rifa_http_response out{};
  out.status = holder->response.status;
  out.effective_url = holder->response.effective_url.c_str();
  out.headers = holder->response.headers.c_str();
  out.body = holder->response.body.c_str();  // std::string keeps a NUL after the data
  out.body_len = holder->response.body.size();
  out.host_private = holder;
  sdk::abi::write_covered(*response, out);
  return RIFA_OK;
}

void host_http_response_release(rifa_host*, rifa_http_response* response) {
  // host_private is a 1.0 field: a struct too short to hold it was never filled.
  if (!response || response->struct_size < sdk::abi::v1_0::http_response || !response->host_private) return;
  delete static_cast<ResponseHolder*>(response->host_private);
  sdk::abi::write_covered(*response, rifa_http_response{});
}

}  // namespace

const rifa_host_api* host_api_table() {
  static const rifa_host_api table = {
      sizeof(rifa_host_api), RIFA_ABI_VERSION_MAJOR, RIFA_ABI_VERSION_MINOR,     host_log,
      host_now_unix_ms,      host_http_request,      host_http_response_release, host_call_set_result,
      host_call_set_error,
  };
  return &table;
}

}  // namespace rifa::plugin_runtime
