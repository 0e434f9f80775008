#include "plugin_runtime/plugin_registry.hpp"

#include <algorithm>

namespace rifa::plugin_runtime {
namespace {

std::string library_key(const std::filesystem::path& path) {
  std::error_code ec;
  auto canonical = std::filesystem::weakly_canonical(path, ec);
  return ec ? path.string() : canonical.string();
}

}  // namespace

bool same_spec(const PluginSpec& a, const PluginSpec& b) {
  return a.id == b.id && library_key(a.library_path) == library_key(b.library_path) &&
         a.expected_kind == b.expected_kind && a.config == b.config;
}

PluginRegistry::~PluginRegistry() {
  // Newest first, as they were created; each library goes with its last instance.
  std::unique_lock lock(mutex_);
  while (!entries_.empty()) entries_.pop_back();
}

Result<std::shared_ptr<PluginLibrary>> PluginRegistry::library_for(const std::filesystem::path& path) {
  const std::string key = library_key(path);
  std::lock_guard lock(libraries_mutex_);
  if (auto it = libraries_.find(key); it != libraries_.end()) {
    if (auto loaded = it->second.lock()) return loaded;
  }
  auto loaded = PluginLibrary::load(path);
  if (!loaded) return loaded.error();
  libraries_[key] = *loaded;
  return *loaded;
}

Result<std::shared_ptr<PluginInstance>> PluginRegistry::create(const PluginSpec& spec, HostServices services) {
  auto library = library_for(spec.library_path);
  if (!library) { return make_error(library.error().code, "plugin '" + spec.id + "': " + library.error().message); }
  auto instance = PluginInstance::create(*library, spec, std::move(services));
  if (!instance) return instance.error();
  return std::shared_ptr<PluginInstance>(std::move(*instance));
}

Result<void> PluginRegistry::add(const PluginSpec& spec, HostServices services) {
  {
    std::shared_lock lock(mutex_);
    for (const auto& e : entries_) {
      if (e.spec.id == spec.id) {
        return make_error(ErrorCode::kPluginLoad, "plugin '" + spec.id + "' (" + spec.library_path.string() +
                                                      "): duplicate instance id '" + spec.id + "'");
      }
    }
  }
  auto instance = create(spec, std::move(services));
  if (!instance) return instance.error();
  std::unique_lock lock(mutex_);
  entries_.push_back(Entry{spec, std::move(*instance)});
  return {};
}

std::vector<Error> PluginRegistry::load_all(const std::vector<PluginSpec>& specs, const ServicesFactory& services) {
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

RegistryChanges PluginRegistry::diff(const std::vector<PluginSpec>& specs) const {
  RegistryChanges changes;
  std::shared_lock lock(mutex_);
  for (const auto& spec : specs) {
    auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.spec.id == spec.id; });
    if (it == entries_.end()) {
      changes.added.push_back(spec.id);
    } else if (!same_spec(it->spec, spec)) {
      changes.changed.push_back(spec.id);
    }
  }
  for (const auto& e : entries_) {
    const bool kept = std::any_of(specs.begin(), specs.end(), [&](const PluginSpec& s) { return s.id == e.spec.id; });
    if (!kept) changes.removed.push_back(e.spec.id);
  }
  return changes;
}

Result<RegistryChanges> PluginRegistry::reconcile(const std::vector<PluginSpec>& specs, const ServicesFactory& services,
                                                  std::vector<Error>* errors) {
  const RegistryChanges changes = diff(specs);
  std::map<std::string, std::shared_ptr<PluginInstance>> fresh;
  std::vector<Error> failed;
  for (const auto& spec : specs) {
    const bool wanted = std::count(changes.added.begin(), changes.added.end(), spec.id) ||
                        std::count(changes.changed.begin(), changes.changed.end(), spec.id);
    if (!wanted) continue;
    auto host_services = services(spec);
    if (!host_services) {
      failed.push_back(host_services.error());
      continue;
    }
    auto instance = create(spec, std::move(*host_services));
    if (!instance) {
      failed.push_back(instance.error());
      continue;
    }
    fresh[spec.id] = std::move(*instance);
  }
  if (!failed.empty()) {
    const Error first = failed.front();
    if (errors) *errors = std::move(failed);
    return first;  // `fresh` is destroyed here: nothing the registry serves was touched
  }
  std::vector<Entry> dropped;  // destroyed after the lock is released (their destroy may take time)
  {
    std::unique_lock lock(mutex_);
    std::vector<Entry> next;
    for (auto& e : entries_) {
      auto spec = std::find_if(specs.begin(), specs.end(), [&](const PluginSpec& s) { return s.id == e.spec.id; });
      if (spec == specs.end()) {
        dropped.push_back(std::move(e));
      } else if (auto f = fresh.find(e.spec.id); f != fresh.end()) {
        dropped.push_back(std::move(e));
        next.push_back(Entry{*spec, std::move(f->second)});
        fresh.erase(f);
      } else {
        next.push_back(std::move(e));
      }
    }
    for (const auto& spec : specs) {
      if (auto f = fresh.find(spec.id); f != fresh.end()) next.push_back(Entry{spec, std::move(f->second)});
    }
    entries_ = std::move(next);
  }
  return changes;
}

std::shared_ptr<PluginInstance> PluginRegistry::find(const std::string& id) const {
  std::shared_lock lock(mutex_);
  for (const auto& e : entries_) {
    if (e.spec.id == id) return e.instance;
  }
  return nullptr;
}

std::optional<nlohmann::json> PluginRegistry::config_of(const std::string& id) const {
  std::shared_lock lock(mutex_);
  for (const auto& e : entries_) {
    if (e.spec.id == id) return e.spec.config;
  }
  return std::nullopt;
}

std::vector<std::shared_ptr<PluginInstance>> PluginRegistry::list() const {
  std::shared_lock lock(mutex_);
  std::vector<std::shared_ptr<PluginInstance>> out;
  out.reserve(entries_.size());
  for (const auto& e : entries_) out.push_back(e.instance);
  return out;
}

}  // namespace rifa::plugin_runtime
