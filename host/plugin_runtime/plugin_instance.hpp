#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>
#include <spdlog/logger.h>

#include "common/metrics.hpp"
#include "plugin_runtime/http_transport.hpp"
#include "plugin_runtime/plugin_library.hpp"

// Host-side definitions of the ABI's opaque handles.
struct rifa_host;
struct rifa_call;

namespace rifa::plugin_runtime {

// What the host gives every instance: log sink, clock, HTTP transport, metrics.
struct HostServices {
  std::shared_ptr<spdlog::logger> logger;
  std::function<int64_t()> now_unix_ms;
  std::shared_ptr<HttpTransport> transport;
  MetricsRegistry* metrics = nullptr;  // optional
};

// One configured instance: id → library + config, in the slot of `expected_kind`.
struct PluginSpec {
  std::string id;
  std::filesystem::path library_path;
  rifa_plugin_kind expected_kind = RIFA_KIND_INVALID;
  nlohmann::json config = nlohmann::json::object();
};

// The answer of one plugin call: status plus the result JSON or the error message.
struct CallOutcome {
  rifa_status status = RIFA_ERR_INTERNAL;
  std::string result;
  std::string error;
  bool ok() const { return status == RIFA_OK; }
};

std::string status_name(rifa_status status);

// What an operator asks of an instance in /api/v1/health: when it last answered, when it last
// failed and how. A failure is the instance or what it talks to not working (transport, timeout,
// internal, config, a page it could not parse or validate); a decline, a forged webhook, a draw not
// yet published or a bad argument are answers, not failures.
struct CallHealth {
  struct Call {
    std::chrono::system_clock::time_point at{};
    std::string operation;
    std::string error;  // failures only
  };
  std::optional<Call> last_success;
  std::optional<Call> last_failure;
  uint64_t consecutive_failures = 0;
};
bool is_instance_failure(rifa_status status);

// A live plugin instance. Keeps its library loaded; serializes calls when the manifest asks for
// it. Every call is guarded so that an exception thrown across the C boundary by a careless
// plugin becomes RIFA_ERR_INTERNAL instead of unwinding through the host.
class PluginInstance {
 public:
  // Validates `spec.config` against the plugin's schema, then calls its create. Errors read
  // "plugin 'ID' (PATH): REASON".
  static Result<std::unique_ptr<PluginInstance>> create(std::shared_ptr<PluginLibrary> library, const PluginSpec& spec,
                                                        HostServices services);
  ~PluginInstance();
  PluginInstance(const PluginInstance&) = delete;
  PluginInstance& operator=(const PluginInstance&) = delete;

  const std::string& id() const;
  const PluginLibrary& library() const { return *library_; }
  rifa_plugin_kind kind() const { return library_->info().kind; }

  // Lottery.
  CallOutcome fetch_draw(const std::string& date_iso);
  CallOutcome parse_page(const std::string& date_iso, const std::string& url, const std::string& body);
  CallOutcome schedule();
  // ABI 1.1: the lottery's own draw calendar for [from_iso, to_iso]. RIFA_ERR_UNSUPPORTED (never
  // a call) when the plugin's vtable predates draw_dates or leaves it NULL.
  CallOutcome draw_dates(const std::string& from_iso, const std::string& to_iso);
  // Payment.
  CallOutcome create_payment(const std::string& request_json);
  CallOutcome verify_webhook(const std::string& method, const std::string& headers, const std::string& body);
  CallOutcome get_payment(const std::string& provider_ref);
  CallOutcome refund(const std::string& request_json);
  CallOutcome payout(const std::string& request_json);
  // Notifier.
  CallOutcome deliver(const std::string& event_json);

  CallHealth health() const;

 private:
  PluginInstance() = default;
  CallOutcome invoke(const char* operation, const std::function<rifa_status(rifa_call*)>& call);

  std::shared_ptr<PluginLibrary> library_;
  std::unique_ptr<rifa_host> host_;
  void* instance_ = nullptr;
  std::mutex serial_mutex_;
  bool serialized_ = false;
  mutable std::mutex health_mutex_;
  CallHealth health_;
};

// The host API table handed to every plugin (one static table; per-instance state is in rifa_host).
const rifa_host_api* host_api_table();

}  // namespace rifa::plugin_runtime
