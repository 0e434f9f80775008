#include "app/plugin_check.hpp"

#include <atomic>

#include <nlohmann/json.hpp>

#include "app/logging.hpp"
#include "plugin_runtime/json_schema.hpp"
#include "plugin_runtime/plugin_instance.hpp"
#include "plugin_runtime/plugin_library.hpp"

namespace rifa::app {
namespace {

using nlohmann::json;
using plugin_runtime::CallOutcome;
using plugin_runtime::status_name;

// Every request times out: what a plugin meets when its source is down.
class TimingOutTransport final : public plugin_runtime::HttpTransport {
 public:
  Result<plugin_runtime::HttpResponse> perform(const plugin_runtime::HttpRequest& request) override {
    ++calls;
    return make_error(ErrorCode::kTimeout, request.method + " " + request.url + ": timed out (conformance check)");
  }
  std::atomic<int> calls{0};
};

class Report {
 public:
  explicit Report(std::ostream& out) : out_(out) {}
  void pass(const std::string& name, const std::string& detail = "") { line("PASS", name, detail); }
  void fail(const std::string& name, const std::string& detail) {
    ++failures_;
    line("FAIL", name, detail);
  }
  void skip(const std::string& name, const std::string& detail) { line("SKIP", name, detail); }
  int failures() const { return failures_; }

 private:
  void line(const char* verdict, const std::string& name, const std::string& detail) {
    out_ << verdict << "  " << name << (detail.empty() ? "" : ": " + detail) << "\n";
  }
  std::ostream& out_;
  int failures_ = 0;
};

// A config made of the schema's defaults, for plugins whose required properties all have one.
std::optional<json> default_config(const json& schema) {
  json config = json::object();
  const json properties = schema.value("properties", json::object());
  for (const auto& [name, property] : properties.items()) {
    if (property.contains("default")) config[name] = property["default"];
  }
  for (const auto& name : schema.value("required", json::array())) {
    if (!config.contains(name.get<std::string>())) return std::nullopt;
  }
  return config;
}

bool is_error_status(rifa_status s) { return s != RIFA_OK && s != RIFA_NOT_PUBLISHED; }

void check_lottery(plugin_runtime::PluginInstance& instance, const TimingOutTransport& transport,
                   Report& report) {
  const std::string date = "2026-01-22";
  CallOutcome fetched = instance.fetch_draw(date);
  if (fetched.status == RIFA_ERR_TIMEOUT || fetched.status == RIFA_ERR_TRANSPORT) {
    report.pass("fetch_draw with a timing-out transport", status_name(fetched.status) + ": " + fetched.error);
  } else if (fetched.status == RIFA_OK && transport.calls == 0) {
    report.pass("fetch_draw with a timing-out transport", "the plugin made no HTTP request");
  } else {
    report.fail("fetch_draw with a timing-out transport",
                "expected timeout or transport error, got " + status_name(fetched.status) +
                    (fetched.error.empty() ? "" : " (" + fetched.error + ")"));
  }

  const std::string garbage = "<html><body><h1>Mantenimiento</h1><table><tr><td>-?-</td></tr></table></body></html>";
  CallOutcome parsed = instance.parse_page(date, "https://example.invalid/", garbage);
  if (parsed.status == RIFA_ERR_PARSE || parsed.status == RIFA_NOT_PUBLISHED) {
    report.pass("parse_page on a malformed page", status_name(parsed.status) + ": " + parsed.error);
  } else {
    report.fail("parse_page on a malformed page",
                "expected parse error or not_published, got " + status_name(parsed.status) +
                    (parsed.result.empty() ? "" : " with " + parsed.result));
  }
  if (is_error_status(parsed.status) && parsed.error.empty()) {
    report.fail("error messages", "parse_page failed without saying why");
  }

  CallOutcome schedule = instance.schedule();
  if (schedule.status == RIFA_OK) {
    try {
      auto doc = json::parse(schedule.result);
      if (!doc.contains("timezone") || !doc.contains("days")) throw std::runtime_error("needs timezone and days");
      report.pass("schedule", schedule.result);
    } catch (const std::exception& e) {
      report.fail("schedule", std::string("invalid schedule JSON: ") + e.what());
    }
  } else if (schedule.status == RIFA_ERR_UNSUPPORTED) {
    report.skip("schedule", "plugin publishes no schedule; the host will ask daily");
  } else {
    report.fail("schedule", status_name(schedule.status) + ": " + schedule.error);
  }
}

void check_payment(plugin_runtime::PluginInstance& instance, Report& report) {
  CallOutcome bad = instance.create_payment("{not json");
  if (bad.status == RIFA_ERR_INVALID_ARGUMENT) {
    report.pass("create_payment with malformed JSON", bad.error);
  } else {
    report.fail("create_payment with malformed JSON", "expected invalid_argument, got " + status_name(bad.status));
  }
  CallOutcome forged = instance.verify_webhook("POST", "content-type: application/json\n", R"({"forged":true})");
  if (forged.status == RIFA_ERR_SIGNATURE) {
    report.pass("verify_webhook rejects an unsigned body", forged.error);
  } else {
    report.fail("verify_webhook rejects an unsigned body", "expected signature error, got " + status_name(forged.status));
  }
}

void check_notifier(plugin_runtime::PluginInstance& instance, Report& report) {
  const json event = {{"event_id", "conformance-1"},
                      {"type", "rifa_opened"},
                      {"occurred_at", "2026-01-22T12:00:00Z"},
                      {"rifa_id", "00000000-0000-0000-0000-000000000000"},
                      {"data", json::object()}};
  CallOutcome first = instance.deliver(event.dump());
  CallOutcome again = instance.deliver(event.dump());
  if (first.status == RIFA_OK && again.status == RIFA_OK) {
    report.pass("deliver (twice, same event_id)");
  } else {
    report.fail("deliver (twice, same event_id)", status_name(first.status) + " / " + status_name(again.status) +
                                                      " " + first.error + again.error);
  }
}

}  // namespace

int run_plugin_check(const PluginCheckOptions& options, std::ostream& out) {
  Report report(out);
  auto library = plugin_runtime::PluginLibrary::load(options.library);
  if (!library) {
    report.fail("load", library.error().message);
    return report.failures();
  }
  const auto& info = (*library)->info();
  report.pass("load", info.name + " " + info.version + " (" + plugin_runtime::kind_name(info.kind) + ", ABI " +
                          std::to_string(info.abi_major) + "." + std::to_string(info.abi_minor) + ")");
  report.pass("config schema uses the supported subset");

  const json& schema = info.config_schema;
  if (schema.value("type", "") != "object") {
    report.fail("config schema", "the top level must be {\"type\": \"object\"}");
  } else if (!schema.contains("additionalProperties") || schema["additionalProperties"] != false) {
    report.fail("config schema", "set \"additionalProperties\": false so that typos in configs are refused");
  } else {
    const json typo = {{"rifa_conformance_unknown_key", true}};
    auto problems = plugin_runtime::validate_against_schema(schema, typo);
    if (problems.empty()) {
      report.fail("invalid config is refused", "a config with an unknown key was accepted");
    } else {
      report.pass("invalid config is refused", problems.front());
    }
  }

  json config;
  if (options.config_json) {
    try {
      config = json::parse(*options.config_json);
    } catch (const json::parse_error& e) {
      report.fail("--config-json", e.what());
      return report.failures();
    }
  } else if (auto defaults = default_config(schema)) {
    config = *defaults;
  } else {
    report.skip("instance checks", "the schema has required properties without defaults; pass --config-json");
    return report.failures();
  }

  plugin_runtime::PluginSpec spec;
  spec.id = "conformance";
  spec.library_path = options.library;
  spec.expected_kind = info.kind;
  spec.config = config;
  plugin_runtime::HostServices services;
  services.logger = make_logger("plugin.conformance");
  auto transport = std::make_shared<TimingOutTransport>();
  services.transport = transport;
  auto instance = plugin_runtime::PluginInstance::create(*library, spec, services);
  if (!instance) {
    report.fail("create instance", instance.error().message);
    return report.failures();
  }
  report.pass("create instance", config.dump());

  switch (info.kind) {
    case RIFA_KIND_LOTTERY: check_lottery(**instance, *transport, report); break;
    case RIFA_KIND_PAYMENT: check_payment(**instance, report); break;
    case RIFA_KIND_NOTIFIER: check_notifier(**instance, report); break;
    default: break;
  }
  out << (report.failures() == 0 ? "OK" : "FAILED") << ": " << report.failures() << " check(s) failed\n";
  return report.failures();
}

}  // namespace rifa::app
