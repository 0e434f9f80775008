#pragma once
/// @file
/// rifa::sdk::testing::SharedLibrary: loads a built plugin (.so) with dlopen and returns its
/// manifest, so that tests exercise the real artefact the host will load (POSIX only; link
/// ${CMAKE_DL_LIBS}).
///
/// Lifetime: keep the SharedLibrary alive longer than every PluginHarness and instance made from
/// its manifest: destroying it unloads the code. Not copyable; movable.

#include <dlfcn.h>

#include <stdexcept>
#include <string>
#include <utility>

#include "rifa/sdk/abi.h"

namespace rifa::sdk::testing {

class SharedLibrary {
 public:
  /// dlopen(path, RTLD_NOW | RTLD_LOCAL). Throws std::runtime_error with dlerror() on failure.
  explicit SharedLibrary(const std::string& path) : handle_(::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL)) {
    if (!handle_) {
      const char* reason = ::dlerror();
      throw std::runtime_error("cannot load " + path + ": " + (reason ? reason : "unknown error"));
    }
  }
  ~SharedLibrary() {
    if (handle_) ::dlclose(handle_);
  }
  SharedLibrary(const SharedLibrary&) = delete;
  SharedLibrary& operator=(const SharedLibrary&) = delete;
  SharedLibrary(SharedLibrary&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
  SharedLibrary& operator=(SharedLibrary&& other) noexcept {
    if (this != &other) {
      if (handle_) ::dlclose(handle_);
      handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
  }

  /// Address of `symbol`, or nullptr when the library does not export it.
  void* symbol(const char* name) const noexcept { return ::dlsym(handle_, name); }

  /// Calls the entry symbol and returns the manifest (owned by the library). Throws
  /// std::runtime_error when the entry is missing or returns NULL.
  const rifa_plugin_manifest* manifest() const {
    void* entry = symbol(RIFA_PLUGIN_ENTRY_SYMBOL);
    if (!entry) throw std::runtime_error(std::string("the library does not export ") + RIFA_PLUGIN_ENTRY_SYMBOL);
    const rifa_plugin_manifest* manifest = reinterpret_cast<rifa_plugin_entry_fn>(entry)();
    if (!manifest) throw std::runtime_error(std::string(RIFA_PLUGIN_ENTRY_SYMBOL) + " returned NULL");
    return manifest;
  }

 private:
  void* handle_;
};

}  // namespace rifa::sdk::testing
