#include "app/secret_policy.hpp"

#include <algorithm>
#include <cctype>

namespace rifa::app {
namespace {

// Every default value shipped in config/*.yaml starts with this, so it can never be mistaken for a
// real secret, and new examples stay covered without a list to keep in step.
constexpr std::string_view kShippedPrefix = "dev-only-";

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

void check_value(const std::string& path, const std::string& value, std::vector<WeakSecret>& out) {
  if (value.rfind(kShippedPrefix, 0) == 0) {
    out.push_back({path, "is a shipped example value ('" + std::string(kShippedPrefix) +
                             "...'), public in the repository: anyone could forge with it"});
  } else if (value.size() < kMinSecretBytes) {
    out.push_back({path, "is " + std::to_string(value.size()) + " bytes; use at least " +
                             std::to_string(kMinSecretBytes) + " random bytes"});
  }
}

void check_plugin_config(const std::string& path, const nlohmann::json& config, std::vector<WeakSecret>& out) {
  if (!config.is_object()) return;
  for (const auto& [key, value] : config.items()) {
    const std::string member = path + "." + key;
    if (value.is_object()) {
      check_plugin_config(member, value, out);
    } else if (value.is_string() && lower(key).find("secret") != std::string::npos) {
      check_value(member, value.get<std::string>(), out);
    }
  }
}

}  // namespace

RunMode run_mode(bool dev_flag, const char* rifa_env) {
  if (dev_flag) return RunMode::kDevelopment;
  if (rifa_env && lower(rifa_env) == "development") return RunMode::kDevelopment;
  return RunMode::kProduction;
}

std::vector<WeakSecret> find_weak_secrets(const settings::Settings& settings) {
  std::vector<WeakSecret> out;
  for (const auto& [name, value] : settings.secrets) {
    if (name == "jwt_secret" && value.empty()) continue;  // unset: a random per-process secret
    check_value("secrets." + name, value, out);
  }
  for (const auto& instance : settings.plugins.instances) {
    check_plugin_config("plugins.instances." + instance.id + ".config", instance.config, out);
  }
  return out;
}

}  // namespace rifa::app
