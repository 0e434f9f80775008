#include "settings/plugin_library_path.hpp"

#include <string>

namespace rifa::settings {

namespace fs = std::filesystem;

fs::path resolve_relative(const fs::path& base, const fs::path& path) {
  if (path.is_absolute()) return path.lexically_normal();
  return (base / path).lexically_normal();
}

std::vector<fs::path> plugin_search_path(const Environment& env, const std::vector<fs::path>& configured,
                                         const fs::path& base_dir) {
  std::vector<fs::path> folders;
  if (auto list = env ? env("RIFA_PLUGIN_PATH") : std::nullopt) {
    size_t start = 0;
    while (start <= list->size()) {
      size_t end = list->find(':', start);
      if (end == std::string::npos) end = list->size();
      if (end > start) folders.emplace_back(list->substr(start, end - start));
      start = end + 1;
    }
  }
  for (const auto& folder : configured) folders.push_back(resolve_relative(base_dir, folder));
  return folders;
}

std::string plugin_file_name(std::string_view library) {
  const std::string name(library);
  if (name.size() > 3 && name.compare(name.size() - 3, 3, ".so") == 0) return name;
  return "lib" + name + ".so";
}

fs::path resolve_plugin_library(std::string_view library, const std::vector<fs::path>& search_path,
                                const fs::path& base_dir) {
  if (library.find('/') != std::string_view::npos) return resolve_relative(base_dir, fs::path(library));
  const std::string file = plugin_file_name(library);
  for (const auto& folder : search_path) {
    std::error_code ec;
    const fs::path candidate = folder / file;
    if (fs::is_regular_file(candidate, ec)) return candidate;
  }
  if (search_path.empty()) return {};
  return search_path.front() / file;
}

}  // namespace rifa::settings
