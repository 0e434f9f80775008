#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include <boost/dll/shared_library.hpp>
#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "rifa/sdk/abi.h"

namespace rifa::plugin_runtime {

// What the host read from a plugin's manifest, copied out of the library.
struct ManifestInfo {
  uint16_t abi_major = 0;
  uint16_t abi_minor = 0;
  rifa_plugin_kind kind = RIFA_KIND_INVALID;
  uint32_t flags = 0;
  std::string name;
  std::string version;
  std::string description;
  nlohmann::json config_schema;
};

const char* kind_name(rifa_plugin_kind kind);

// One loaded plugin library. Instances hold a shared_ptr to it, so the code they run stays mapped
// for as long as any of them lives (Boost.DLL unloads on destruction).
class PluginLibrary {
 public:
  // Loads `path` and checks its manifest. Every failure names the file and the reason: missing
  // file, not a shared library, no entry symbol, ABI major different, ABI minor newer than the
  // host, a struct smaller than ABI 1.0's layout, malformed manifest, config schema outside the
  // supported subset.
  static Result<std::shared_ptr<PluginLibrary>> load(const std::filesystem::path& path);

  const std::filesystem::path& path() const { return path_; }
  // The host's copy of the plugin's manifest and vtable (sdk/ABI.md, "Growth rule"): only the bytes
  // the plugin's struct_size covers are copied, the rest is zero, so a field an older minor lacks
  // is a NULL pointer here. struct_size keeps the plugin's value (RIFA_HAS_FIELD still works); the
  // vtable pointer of the plugin's kind points at the copy, the others are NULL.
  const rifa_plugin_manifest& manifest() const { return manifest_; }
  const ManifestInfo& info() const { return info_; }

 private:
  PluginLibrary() = default;
  std::filesystem::path path_;
  boost::dll::shared_library library_;
  rifa_plugin_manifest manifest_{};
  rifa_lottery_vtable lottery_{};
  rifa_payment_vtable payment_{};
  rifa_notifier_vtable notifier_{};
  ManifestInfo info_;
};

}  // namespace rifa::plugin_runtime
