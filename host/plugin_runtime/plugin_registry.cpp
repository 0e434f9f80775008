#include "plugin_runtime/plugin_registry.hpp"

namespace rifa::plugin_runtime {

PluginRegistry::~PluginRegistry() {
  while (!instances_.empty()) instances_.pop_back();
}

Result<std::shared_ptr<PluginLibrary>> PluginRegistry::library_for(const std::filesystem::path& path) {
  std::error_code ec;
  auto canonical = std::filesystem::weakly_canonical(path, ec);
  const std::string key = ec ? path.string() : canonical.string();
  if (auto it = libraries_.find(key); it != libraries_.end()) return it->second;
  auto loaded = PluginLibrary::load(path);
  if (!loaded) return loaded.error();
  libraries_[key] = *loaded;
  return *loaded;
}

Result<void> PluginRegistry::add(const PluginSpec& spec, HostServices services) {
  if (by_id_.count(spec.id)) {
    return make_error(ErrorCode::kPluginLoad, "plugin '" + spec.id + "' (" + spec.library_path.string() +
                                                  "): duplicate instance id '" + spec.id + "'");
  }
  auto library = library_for(spec.library_path);
  if (!library) {
    return make_error(library.error().code, "plugin '" + spec.id + "': " + library.error().message);
  }
  auto instance = PluginInstance::create(*library, spec, std::move(services));
  if (!instance) return instance.error();
  by_id_[spec.id] = instance->get();
  instances_.push_back(std::move(*instance));
  return {};
}

std::vector<Error> PluginRegistry::load_all(const std::vector<PluginSpec>& specs,
                                            const ServicesFactory& services) {
  std::vector<Error> errors;
  for (const auto& spec : specs) {
    auto host_services = services(spec);
    if (!host_services) {
      errors.push_back(host_services.error());
      continue;
    }
    if (auto added = add(spec, std::move(*host_services)); !added) errors.push_back(added.error());
  }
  return errors;
}

PluginInstance* PluginRegistry::find(const std::string& id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second;
}

std::vector<PluginInstance*> PluginRegistry::list() const {
  std::vector<PluginInstance*> out;
  for (const auto& i : instances_) out.push_back(i.get());
  return out;
}

}  // namespace rifa::plugin_runtime
