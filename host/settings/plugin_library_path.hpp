#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

#include "settings/environment.hpp"

namespace rifa::settings {

// The folders a bare plugin library name is looked up in, in order: the entries of
// $RIFA_PLUGIN_PATH (colon-separated, empty entries skipped, as given), then the configured
// folders resolved against base_dir.
std::vector<std::filesystem::path> plugin_search_path(const Environment& env,
                                                      const std::vector<std::filesystem::path>& configured,
                                                      const std::filesystem::path& base_dir);

// The file name a bare library name stands for: "lottery_mock" → "liblottery_mock.so"; a name
// already ending in ".so" is taken as the file name.
std::string plugin_file_name(std::string_view library);

// Where a library named in the config is. A name containing '/' is a path, resolved against
// base_dir whether or not it exists. A bare name is the first search folder holding its file;
// if none does, the file in the first search folder (where it was expected), or empty when
// there is no search folder. Whether the file exists and loads is the plugin loader's to report.
std::filesystem::path resolve_plugin_library(std::string_view library,
                                             const std::vector<std::filesystem::path>& search_path,
                                             const std::filesystem::path& base_dir);

// base / path, normalised; an absolute path is returned as is (normalised).
std::filesystem::path resolve_relative(const std::filesystem::path& base, const std::filesystem::path& path);

}  // namespace rifa::settings
