#include "app/config_check.hpp"

#include "plugin_runtime/json_schema.hpp"
#include "plugin_runtime/plugin_library.hpp"

namespace rifa::app {

std::vector<std::string> check_plugin_configs(const settings::Settings& config) {
  std::vector<std::string> problems;
  for (const auto& instance : config.plugins.instances) {
    const std::string position = instance.location.file + ":" + std::to_string(instance.location.line) + ":" +
                                 std::to_string(instance.location.column) + ": error: ";
    const std::string where = position + "plugins.instances." + instance.id;
    const std::filesystem::path path = instance.resolved_library_path.empty() ? std::filesystem::path(instance.library)
                                                                              : instance.resolved_library_path;
    auto library = plugin_runtime::PluginLibrary::load(path);
    if (!library) {
      problems.push_back(where + ".library: " + library.error().message);
      continue;
    }
    const auto& info = (*library)->info();
    const std::string wanted = settings::kind_name(instance.kind);
    if (wanted != plugin_runtime::kind_name(info.kind)) {
      problems.push_back(where + ".kind: configured as " + wanted + " but " + path.string() + " is a " +
                         plugin_runtime::kind_name(info.kind) + " plugin ('" + info.name + "')");
      continue;
    }
    for (const auto& p : plugin_runtime::validate_against_schema(info.config_schema, instance.config,
                                                                 "plugins.instances." + instance.id + ".config")) {
      problems.push_back(position + p);
    }
  }
  return problems;
}

}  // namespace rifa::app
