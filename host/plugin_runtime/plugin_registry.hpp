#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "plugin_runtime/plugin_instance.hpp"

namespace rifa::plugin_runtime {

// What a reload changed, by instance id.
struct RegistryChanges {
  std::vector<std::string> added;
  std::vector<std::string> changed;  // another library, kind or config: a new instance replaced the old
  std::vector<std::string> removed;
  bool empty() const { return added.empty() && changed.empty() && removed.empty(); }
};

// The live plugin instances of one host, by id. Libraries are loaded once per path and shared by
// their instances.
//
// Thread-safe, and replaceable while it serves: find() hands out a shared_ptr, so a call in
// flight keeps its instance (and the instance its library) alive; reconcile() swaps in new and
// changed instances at once, and an instance it drops is destroyed — and its library unloaded if
// no other instance uses it — when the last call holding it returns.
class PluginRegistry {
 public:
  // Builds each instance's HostServices (logger, transport) from its id.
  using ServicesFactory = std::function<Result<HostServices>(const PluginSpec&)>;

  ~PluginRegistry();

  // Loads every spec; returns every failure (one message each), not just the first.
  std::vector<Error> load_all(const std::vector<PluginSpec>& specs, const ServicesFactory& services);
  Result<void> add(const PluginSpec& spec, HostServices services);

  // Makes the registry hold exactly `specs`: creates the added and changed instances first
  // (libraries loaded, configs checked by the plugins) and, only when every one succeeded, swaps
  // them in and drops the removed ones in one step. On any failure nothing changes and every
  // failure is returned.
  Result<RegistryChanges> reconcile(const std::vector<PluginSpec>& specs, const ServicesFactory& services,
                                    std::vector<Error>* errors);
  // What reconcile(specs) would change, without loading anything.
  RegistryChanges diff(const std::vector<PluginSpec>& specs) const;

  std::shared_ptr<PluginInstance> find(const std::string& id) const;
  // The config the instance was created with (what the YAML said for it); nullopt for an unknown id.
  std::optional<nlohmann::json> config_of(const std::string& id) const;
  // Instances in the order they were created.
  std::vector<std::shared_ptr<PluginInstance>> list() const;

 private:
  struct Entry {
    PluginSpec spec;
    std::shared_ptr<PluginInstance> instance;
  };
  Result<std::shared_ptr<PluginLibrary>> library_for(const std::filesystem::path& path);
  Result<std::shared_ptr<PluginInstance>> create(const PluginSpec& spec, HostServices services);

  mutable std::shared_mutex mutex_;
  std::mutex libraries_mutex_;
  // Weak: a library stays loaded while an instance holds it, and is loaded again when needed after.
  std::map<std::string, std::weak_ptr<PluginLibrary>> libraries_;
  std::vector<Entry> entries_;  // creation order
};

// Same library file, kind and config.
bool same_spec(const PluginSpec& a, const PluginSpec& b);

}  // namespace rifa::plugin_runtime
