#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "plugin_runtime/plugin_instance.hpp"

namespace rifa::plugin_runtime {

// The live plugin instances of one host, by id. Libraries are loaded once per path and shared by
// their instances. Instances are destroyed in reverse order of creation, before their libraries.
class PluginRegistry {
 public:
  // Builds each instance's HostServices (logger, transport) from its id.
  using ServicesFactory = std::function<Result<HostServices>(const PluginSpec&)>;

  ~PluginRegistry();

  // Loads every spec; returns every failure (one message each), not just the first.
  std::vector<Error> load_all(const std::vector<PluginSpec>& specs, const ServicesFactory& services);
  Result<void> add(const PluginSpec& spec, HostServices services);

  PluginInstance* find(const std::string& id) const;
  // Instances in the order they were created.
  std::vector<PluginInstance*> list() const;

 private:
  Result<std::shared_ptr<PluginLibrary>> library_for(const std::filesystem::path& path);

  std::map<std::string, std::shared_ptr<PluginLibrary>> libraries_;
  std::vector<std::unique_ptr<PluginInstance>> instances_;
  std::map<std::string, PluginInstance*> by_id_;
};

}  // namespace rifa::plugin_runtime
