#include "plugin_runtime/plugin_instance.hpp"

#include <chrono>
#include <optional>

#include "plugin_runtime/host_api.hpp"
#include "plugin_runtime/json_schema.hpp"

namespace rifa::plugin_runtime {
namespace {

std::string where(const PluginSpec& spec) { return "plugin '" + spec.id + "' (" + spec.library_path.string() + ")"; }

}  // namespace

std::string status_name(rifa_status status) {
  switch (status) {
    case RIFA_OK: return "ok";
    case RIFA_NOT_PUBLISHED: return "not_published";
    case RIFA_ERR_INVALID_ARGUMENT: return "invalid_argument";
    case RIFA_ERR_CONFIG: return "config";
    case RIFA_ERR_PARSE: return "parse";
    case RIFA_ERR_TRANSPORT: return "transport";
    case RIFA_ERR_TIMEOUT: return "timeout";
    case RIFA_ERR_DECLINED: return "declined";
    case RIFA_ERR_SIGNATURE: return "signature";
    case RIFA_ERR_NOT_FOUND: return "not_found";
    case RIFA_ERR_UNSUPPORTED: return "unsupported";
    case RIFA_ERR_VALIDATION: return "validation";
    case RIFA_ERR_NOT_RECORDED: return "not_recorded";
    case RIFA_ERR_INTERNAL: return "internal";
  }
  return "status_" + std::to_string(static_cast<int>(status));
}

Result<std::unique_ptr<PluginInstance>> PluginInstance::create(std::shared_ptr<PluginLibrary> library,
                                                               const PluginSpec& spec, HostServices services) {
  const ManifestInfo& info = library->info();
  if (spec.expected_kind != RIFA_KIND_INVALID && info.kind != spec.expected_kind) {
    return make_error(ErrorCode::kPluginLoad, where(spec) + ": configured as a " + kind_name(spec.expected_kind) +
                                                  " plugin, but the library is a " + kind_name(info.kind) +
                                                  " plugin ('" + info.name + "')");
  }
  const auto problems =
      validate_against_schema(info.config_schema, spec.config, "plugins.instances." + spec.id + ".config");
  if (!problems.empty()) {
    std::string message = where(spec) + ": config rejected by the plugin's schema: ";
    for (size_t i = 0; i < problems.size(); ++i) message += (i ? "; " : "") + problems[i];
    return make_error(ErrorCode::kConfigInvalid, message);
  }

  std::unique_ptr<PluginInstance> instance(new PluginInstance());
  instance->library_ = std::move(library);
  instance->host_ = std::make_unique<rifa_host>();
  instance->host_->instance_id = spec.id;
  instance->host_->services = std::move(services);
  instance->serialized_ = (info.flags & RIFA_PLUGIN_FLAG_SERIALIZED) != 0;

  const rifa_plugin_manifest& m = instance->library_->manifest();
  const std::string config_text = spec.config.dump();
  rifa_call call;
  void* handle = nullptr;
  rifa_status status = RIFA_ERR_INTERNAL;
  try {
    status = m.create(host_api_table(), instance->host_.get(), spec.id.c_str(), config_text.c_str(), &call, &handle);
  } catch (const std::exception& e) {
    return make_error(ErrorCode::kPluginLoad,
                      where(spec) + ": init threw an exception across the ABI boundary: " + e.what());
  } catch (...) {
    return make_error(ErrorCode::kPluginLoad, where(spec) + ": init threw an exception across the ABI boundary");
  }
  if (status != RIFA_OK) {
    return make_error(
        status == RIFA_ERR_CONFIG ? ErrorCode::kConfigInvalid : ErrorCode::kPluginLoad,
        where(spec) + ": init failed (" + status_name(status) + ")" + (call.error.empty() ? "" : ": " + call.error));
  }
  if (!handle) { return make_error(ErrorCode::kPluginLoad, where(spec) + ": init returned ok but no instance"); }
  instance->instance_ = handle;
  return instance;
}

PluginInstance::~PluginInstance() {
  if (instance_) {
    std::lock_guard lock(serial_mutex_);
    try {
      library_->manifest().destroy(instance_);
    } catch (...) {
      // Nothing sensible to do while tearing down; the library stays loaded until we return.
    }
  }
}

const std::string& PluginInstance::id() const { return host_->instance_id; }

CallOutcome PluginInstance::invoke(const char* operation, const std::function<rifa_status(rifa_call*)>& fn) {
  rifa_call call;
  CallOutcome outcome;
  const auto started = std::chrono::steady_clock::now();
  {
    std::optional<std::lock_guard<std::mutex>> lock;
    if (serialized_) lock.emplace(serial_mutex_);
    try {
      outcome.status = fn(&call);
    } catch (const std::exception& e) {
      outcome.status = RIFA_ERR_INTERNAL;
      call.error = std::string("plugin threw an exception across the ABI boundary: ") + e.what();
    } catch (...) {
      outcome.status = RIFA_ERR_INTERNAL;
      call.error = "plugin threw an exception across the ABI boundary";
    }
  }
  outcome.result = std::move(call.result);
  outcome.error = std::move(call.error);
  {
    std::lock_guard lock(health_mutex_);
    CallHealth::Call record{std::chrono::system_clock::now(), operation, ""};
    if (is_instance_failure(outcome.status)) {
      record.error = status_name(outcome.status) + ": " + outcome.error.substr(0, 300);
      health_.last_failure = std::move(record);
      ++health_.consecutive_failures;
    } else {
      health_.last_success = std::move(record);
      health_.consecutive_failures = 0;
    }
  }
  if (auto* metrics = host_->services.metrics) {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    metrics
        ->counter("rifa_plugin_calls_total", "Calls into plugin instances",
                  {{"instance", id()}, {"operation", operation}, {"status", status_name(outcome.status)}})
        .inc();
    metrics
        ->histogram("rifa_plugin_call_duration_seconds", "Duration of calls into plugin instances",
                    {{"instance", id()}, {"operation", operation}})
        .observe(elapsed);
    if (outcome.status != RIFA_OK && outcome.status != RIFA_NOT_PUBLISHED) {
      metrics
          ->counter("rifa_plugin_errors_total", "Plugin calls that ended in an error",
                    {{"instance", id()}, {"operation", operation}})
          .inc();
    }
  }
  return outcome;
}

CallHealth PluginInstance::health() const {
  std::lock_guard lock(health_mutex_);
  return health_;
}

bool is_instance_failure(rifa_status status) {
  switch (status) {
    case RIFA_ERR_CONFIG:
    case RIFA_ERR_PARSE:
    case RIFA_ERR_TRANSPORT:
    case RIFA_ERR_TIMEOUT:
    case RIFA_ERR_VALIDATION:
    case RIFA_ERR_NOT_RECORDED:
    case RIFA_ERR_INTERNAL: return true;
    default: return false;
  }
}

namespace {
CallOutcome wrong_kind(const char* op, const std::string& id) {
  CallOutcome o;
  o.status = RIFA_ERR_UNSUPPORTED;
  o.error = std::string(op) + " is not an operation of plugin '" + id + "'";
  return o;
}
}  // namespace

CallOutcome PluginInstance::fetch_draw(const std::string& date_iso) {
  const auto* v = library_->manifest().lottery;
  if (!v) return wrong_kind("fetch_draw", id());
  return invoke("fetch_draw", [&](rifa_call* c) { return v->fetch_draw(instance_, date_iso.c_str(), c); });
}

CallOutcome PluginInstance::parse_page(const std::string& date_iso, const std::string& url, const std::string& body) {
  const auto* v = library_->manifest().lottery;
  if (!v) return wrong_kind("parse_page", id());
  return invoke("parse_page", [&](rifa_call* c) {
    return v->parse_page(instance_, date_iso.c_str(), url.c_str(), body.c_str(), body.size(), c);
  });
}

CallOutcome PluginInstance::schedule() {
  const auto* v = library_->manifest().lottery;
  if (!v) return wrong_kind("schedule", id());
  if (!v->schedule) {
    CallOutcome o;
    o.status = RIFA_ERR_UNSUPPORTED;
    o.error = "plugin '" + id() + "' publishes no schedule";
    return o;
  }
  return invoke("schedule", [&](rifa_call* c) { return v->schedule(instance_, c); });
}

CallOutcome PluginInstance::draw_dates(const std::string& from_iso, const std::string& to_iso) {
  const auto* v = library_->manifest().lottery;
  if (!v) return wrong_kind("draw_dates", id());
  // `v` is the host's copy (PluginLibrary): a 1.0 plugin's vtable ends before draw_dates, so the
  // copy holds NULL there and nothing past the plugin's struct is read.
  if (!v->draw_dates) {
    CallOutcome o;
    o.status = RIFA_ERR_UNSUPPORTED;
    o.error = "plugin '" + id() + "' publishes no draw calendar";
    return o;
  }
  return invoke("draw_dates",
                [&](rifa_call* c) { return v->draw_dates(instance_, from_iso.c_str(), to_iso.c_str(), c); });
}

CallOutcome PluginInstance::create_payment(const std::string& request_json) {
  const auto* v = library_->manifest().payment;
  if (!v) return wrong_kind("create_payment", id());
  return invoke("create_payment", [&](rifa_call* c) { return v->create_payment(instance_, request_json.c_str(), c); });
}

CallOutcome PluginInstance::verify_webhook(const std::string& method, const std::string& headers,
                                           const std::string& body) {
  const auto* v = library_->manifest().payment;
  if (!v) return wrong_kind("verify_webhook", id());
  return invoke("verify_webhook", [&](rifa_call* c) {
    return v->verify_webhook(instance_, method.c_str(), headers.c_str(), body.data(), body.size(), c);
  });
}

CallOutcome PluginInstance::get_payment(const std::string& provider_ref) {
  const auto* v = library_->manifest().payment;
  if (!v) return wrong_kind("get_payment", id());
  return invoke("get_payment", [&](rifa_call* c) { return v->get_payment(instance_, provider_ref.c_str(), c); });
}

CallOutcome PluginInstance::refund(const std::string& request_json) {
  const auto* v = library_->manifest().payment;
  if (!v) return wrong_kind("refund", id());
  return invoke("refund", [&](rifa_call* c) { return v->refund(instance_, request_json.c_str(), c); });
}

CallOutcome PluginInstance::payout(const std::string& request_json) {
  const auto* v = library_->manifest().payment;
  if (!v) return wrong_kind("payout", id());
  return invoke("payout", [&](rifa_call* c) { return v->payout(instance_, request_json.c_str(), c); });
}

CallOutcome PluginInstance::deliver(const std::string& event_json) {
  const auto* v = library_->manifest().notifier;
  if (!v) return wrong_kind("deliver", id());
  return invoke("deliver", [&](rifa_call* c) { return v->deliver(instance_, event_json.c_str(), c); });
}

}  // namespace rifa::plugin_runtime
