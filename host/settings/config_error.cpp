#include "settings/config_error.hpp"

#include <algorithm>
#include <tuple>

namespace rifa::settings {

std::string format(const ConfigError& error) {
  std::string out = error.file;
  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on `":" + std::to_string(...)`.
  if (error.line > 0) {
    out += ':';
    out += std::to_string(error.line);
    out += ':';
    out += std::to_string(error.column);
  }
  out += ": error: ";
  if (!error.path.empty()) out += error.path + ": ";
  out += error.message;
  return out;
}

std::string format_errors(const std::vector<ConfigError>& errors) {
  std::string out;
  for (const auto& e : errors) out += format(e) + "\n";
  return out;
}

void sort_by_position(std::vector<ConfigError>& errors) {
  std::stable_sort(errors.begin(), errors.end(), [](const ConfigError& a, const ConfigError& b) {
    return std::tie(a.line, a.column) < std::tie(b.line, b.column);
  });
}

}  // namespace rifa::settings
