#include "settings/settings.hpp"

namespace rifa::settings {

const char* kind_name(PluginKind kind) {
  switch (kind) {
    case PluginKind::kLottery: return "lottery";
    case PluginKind::kPayment: return "payment";
    case PluginKind::kNotifier: return "notifier";
  }
  return "invalid";
}

const char* mode_name(TransportMode mode) {
  switch (mode) {
    case TransportMode::kLive: return "live";
    case TransportMode::kRecord: return "record";
    case TransportMode::kReplay: return "replay";
  }
  return "invalid";
}

const PluginInstanceSettings* Settings::find_instance(std::string_view id) const {
  for (const auto& instance : plugins.instances) {
    if (instance.id == id) return &instance;
  }
  return nullptr;
}

std::optional<ConfigError> check_tax_year(const Settings& settings, int year) {
  if (!settings.tax.enabled || settings.tax.uvt_pesos_by_year.count(year)) return std::nullopt;
  const SourceLocation& at = settings.tax_uvt_location;
  return ConfigError{at.file.empty() ? settings.config_file.string() : at.file, at.line, at.column, "tax.uvt",
                     "no UVT value for " + std::to_string(year) +
                         " (the year of payment): prizes cannot be paid until it is added (the DIAN sets it by "
                         "resolution each year)"};
}

}  // namespace rifa::settings
