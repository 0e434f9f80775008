#include "plugin_runtime/plugin_library.hpp"

#include <dlfcn.h>

#include <fstream>

#include "plugin_runtime/json_schema.hpp"

namespace rifa::plugin_runtime {
namespace {

namespace fs = std::filesystem;

Error load_error(const fs::path& path, const std::string& reason) {
  return make_error(ErrorCode::kPluginLoad, "plugin library " + path.string() + ": " + reason);
}

bool has_elf_magic(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  return in.gcount() == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
}

// The vtable for the declared kind must be present and complete; the others must be absent, so a
// plugin cannot be half one kind and half another.
std::string check_vtables(const rifa_plugin_manifest& m) {
  const int present = (m.lottery != nullptr) + (m.payment != nullptr) + (m.notifier != nullptr);
  switch (m.kind) {
    case RIFA_KIND_LOTTERY:
      if (!m.lottery || present != 1) return "kind is lottery but the lottery vtable is missing or others are set";
      if (m.lottery->struct_size < sizeof(rifa_lottery_vtable)) return "lottery vtable struct_size too small";
      if (!m.lottery->fetch_draw || !m.lottery->parse_page) return "lottery vtable lacks fetch_draw or parse_page";
      return "";
    case RIFA_KIND_PAYMENT:
      if (!m.payment || present != 1) return "kind is payment but the payment vtable is missing or others are set";
      if (m.payment->struct_size < sizeof(rifa_payment_vtable)) return "payment vtable struct_size too small";
      if (!m.payment->create_payment || !m.payment->verify_webhook || !m.payment->get_payment ||
          !m.payment->refund || !m.payment->payout) {
        return "payment vtable has a NULL function";
      }
      return "";
    case RIFA_KIND_NOTIFIER:
      if (!m.notifier || present != 1) return "kind is notifier but the notifier vtable is missing or others are set";
      if (m.notifier->struct_size < sizeof(rifa_notifier_vtable)) return "notifier vtable struct_size too small";
      if (!m.notifier->deliver) return "notifier vtable lacks deliver";
      return "";
    default:
      return "manifest kind " + std::to_string(static_cast<int>(m.kind)) +
             " is not lottery (1), payment (2) or notifier (3)";
  }
}

}  // namespace

const char* kind_name(rifa_plugin_kind kind) {
  switch (kind) {
    case RIFA_KIND_LOTTERY: return "lottery";
    case RIFA_KIND_PAYMENT: return "payment";
    case RIFA_KIND_NOTIFIER: return "notifier";
    default: return "invalid";
  }
}

Result<std::shared_ptr<PluginLibrary>> PluginLibrary::load(const fs::path& path) {
  std::error_code fs_ec;
  if (!fs::exists(path, fs_ec)) return load_error(path, "file not found");
  if (!fs::is_regular_file(path, fs_ec)) return load_error(path, "not a regular file");
  if (!has_elf_magic(path)) return load_error(path, "not a shared library (no ELF header)");

  std::shared_ptr<PluginLibrary> lib(new PluginLibrary());
  lib->path_ = path;
  boost::dll::fs::error_code ec;
  // RTLD_LOCAL keeps one plugin's symbols from satisfying another's.
  lib->library_.load(path, ec, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  if (ec || !lib->library_.is_loaded()) {
    const char* detail = dlerror();
    return load_error(path, std::string("cannot be loaded as a shared library: ") +
                                (detail ? detail : ec.message()));
  }
  if (!lib->library_.has(RIFA_PLUGIN_ENTRY_SYMBOL)) {
    return load_error(path, std::string("no entry symbol '") + RIFA_PLUGIN_ENTRY_SYMBOL +
                                "' (build the plugin with the RifaSDK's RIFA_PLUGIN macro or export it)");
  }
  auto entry = lib->library_.get<const rifa_plugin_manifest*()>(RIFA_PLUGIN_ENTRY_SYMBOL);
  const rifa_plugin_manifest* m = nullptr;
  try {
    m = entry();
  } catch (...) {
    return load_error(path, "the entry symbol threw an exception");
  }
  if (!m) return load_error(path, "the entry symbol returned no manifest");
  if (m->struct_size < offsetof(rifa_plugin_manifest, kind)) {
    return load_error(path, "manifest struct_size " + std::to_string(m->struct_size) + " is too small");
  }
  const std::string plugin_abi = std::to_string(m->abi_major) + "." + std::to_string(m->abi_minor);
  const std::string host_abi =
      std::to_string(RIFA_ABI_VERSION_MAJOR) + "." + std::to_string(RIFA_ABI_VERSION_MINOR);
  if (m->abi_major != RIFA_ABI_VERSION_MAJOR) {
    return load_error(path, "ABI major " + std::to_string(m->abi_major) + " (plugin built for " + plugin_abi +
                                "), host supports " + std::to_string(RIFA_ABI_VERSION_MAJOR) +
                                " (" + host_abi + "): rebuild the plugin against RifaSDK " +
                                std::to_string(RIFA_ABI_VERSION_MAJOR) + ".x");
  }
  if (m->abi_minor > RIFA_ABI_VERSION_MINOR) {
    return load_error(path, "ABI " + plugin_abi + " is newer than the host's " + host_abi +
                                ": upgrade the host or build the plugin against an older SDK");
  }
  if (m->struct_size < sizeof(rifa_plugin_manifest)) {
    return load_error(path, "manifest struct_size " + std::to_string(m->struct_size) +
                                " is smaller than ABI " + plugin_abi + "'s " +
                                std::to_string(sizeof(rifa_plugin_manifest)));
  }
  if (!m->name || !*m->name || !m->version || !*m->version) {
    return load_error(path, "manifest lacks a name or a version");
  }
  if (!m->create || !m->destroy) return load_error(path, "manifest lacks create or destroy");
  if (auto problem = check_vtables(*m); !problem.empty()) return load_error(path, problem);

  ManifestInfo& info = lib->info_;
  info.abi_major = m->abi_major;
  info.abi_minor = m->abi_minor;
  info.kind = m->kind;
  info.flags = m->flags;
  info.name = m->name;
  info.version = m->version;
  info.description = m->description ? m->description : "";
  if (m->config_schema_json) {
    try {
      info.config_schema = nlohmann::json::parse(m->config_schema_json);
    } catch (const nlohmann::json::parse_error& e) {
      return load_error(path, std::string("config schema is not valid JSON: ") + e.what());
    }
    if (auto problems = check_schema_subset(info.config_schema); !problems.empty()) {
      return load_error(path, "config schema: " + problems.front());
    }
  } else {
    info.config_schema = {{"type", "object"}, {"additionalProperties", false}};
  }
  lib->manifest_ = m;
  return lib;
}

}  // namespace rifa::plugin_runtime
