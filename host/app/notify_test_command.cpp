#include "app/notify_test_command.hpp"

#include <chrono>
#include <random>

#include <nlohmann/json.hpp>

#include "app/logging.hpp"
#include "app/plugin_wiring.hpp"
#include "common/metrics.hpp"
#include "engine/iso_time.hpp"
#include "plugin_runtime/plugin_notifier_gateway.hpp"
#include "plugin_runtime/plugin_registry.hpp"
#include "settings/settings.hpp"

namespace rifa::app {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitNoNotifier = 4;

std::string random_hex(size_t bytes) {
  std::random_device device;
  static const char* const kHex = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < bytes; ++i) {
    const unsigned value = device() & 0xFF;
    out += kHex[value >> 4];
    out += kHex[value & 0x0F];
  }
  return out;
}

// A sample of each type, with the members the real events carry.
nlohmann::json sample_data(const std::string& type) {
  if (type == "winner") {
    return {{"ganador_id", "prueba-ganador"}, {"ticket_id", "prueba-ticket"}, {"numero", 42},    {"tier", 0},
            {"tier_name", "Premio mayor"},    {"monto_ganado", 1250000},      {"in_kind", false}};
  }
  if (type == "payout_sent" || type == "payout_failed") {
    return {{"ganador_id", "prueba-ganador"}, {"numero", 42},      {"amount_cents", 1250000}, {"currency", "COP"},
            {"payout_ref", "prueba-pago"},    {"reason", "prueba"}};
  }
  return {{"transaccion_id", "prueba-transaccion"}, {"numeros", {7, 42}}, {"total_cents", 2500000}};
}

}  // namespace

int run_notify_test(const settings::Settings& settings, const CliOptions& options, std::ostream& out,
                    std::ostream& err) {
  const settings::Settings* config = &settings;
  setup_logging(LogFormat::kText, "warn");
  MetricsRegistry metrics;
  plugin_runtime::PluginRegistry plugins;
  for (const auto& e : load_plugins(*config, metrics, plugins)) err << "rifa-host: " << e.message << "\n";
  auto instance = plugins.find(options.instance);
  if (!instance || instance->kind() != RIFA_KIND_NOTIFIER) {
    err << "rifa-host: notify test: '" << options.instance << "' is not a loaded notifier instance\n";
    return kExitNoNotifier;
  }
  plugin_runtime::PluginNotifierGateway gateway(plugins, &config->plugins.instances);
  const settlement::NotifierProfile profile = gateway.profile(options.instance);
  nlohmann::json recipient = {{"usuario_id", "prueba"}};
  for (const std::string& field : profile.contact_fields) {
    recipient[field] = field == "nombre" ? std::string("Prueba") : options.to;
  }
  const std::string type = options.notify_type.empty() ? "receipt" : options.notify_type;
  const std::string event_id = "prueba-" + random_hex(16);
  const nlohmann::json event = {{"event_id", event_id},
                                {"type", type},
                                {"occurred_at", engine::format_iso_time(std::chrono::system_clock::now())},
                                {"rifa_id", "00000000-0000-4000-8000-000000000000"},
                                {"data", sample_data(type)},
                                {"recipient", recipient}};
  if (profile.contact_fields.empty()) {
    err << "rifa-host: notify test: '" << options.instance
        << "' declares no contact fields (config 'contact'): " << options.to << " is not handed to it\n";
  }
  auto delivered = gateway.deliver(options.instance, type, event);
  if (!delivered) {
    err << "rifa-host: notify test: " << delivered.error().message << "\n";
    return kExitFailed;
  }
  out << "delivered " << type << " " << event_id << " through " << options.instance << " (" << profile.channel
      << ") to " << recipient.dump() << "\n";
  return kExitOk;
}

}  // namespace rifa::app
