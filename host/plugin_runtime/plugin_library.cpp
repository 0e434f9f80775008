#include "plugin_runtime/plugin_library.hpp"

#include <dlfcn.h>

#include <fstream>

#include "plugin_runtime/json_schema.hpp"
#include "rifa/sdk/abi_layout.hpp"

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

// The vtable for the declared kind must be present, reach ABI 1.0's layout and have its 1.0
// functions; the others must be absent, so a plugin cannot be half one kind and half another.
// Copies the vtable into `lib` (read_covered: fields past the plugin's struct_size read as NULL).
std::string check_vtables(const rifa_plugin_manifest& m, rifa_lottery_vtable& lottery, rifa_payment_vtable& payment,
                          rifa_notifier_vtable& notifier) {
  namespace v1_0 = sdk::abi::v1_0;
  const int present = (m.lottery != nullptr) + (m.payment != nullptr) + (m.notifier != nullptr);
  switch (m.kind) {
    case RIFA_KIND_LOTTERY:
      if (!m.lottery || present != 1) return "kind is lottery but the lottery vtable is missing or others are set";
      if (auto p = sdk::abi::size_problem("lottery vtable", m.lottery->struct_size, v1_0::lottery_vtable); !p.empty()) {
        return p;
      }
      lottery = sdk::abi::read_covered(*m.lottery);
      if (!lottery.fetch_draw || !lottery.parse_page) return "lottery vtable lacks fetch_draw or parse_page";
      return "";
    case RIFA_KIND_PAYMENT:
      if (!m.payment || present != 1) return "kind is payment but the payment vtable is missing or others are set";
      if (auto p = sdk::abi::size_problem("payment vtable", m.payment->struct_size, v1_0::payment_vtable); !p.empty()) {
        return p;
      }
      payment = sdk::abi::read_covered(*m.payment);
      if (!payment.create_payment || !payment.verify_webhook || !payment.get_payment || !payment.refund ||
          !payment.payout) {
        return "payment vtable has a NULL function";
      }
      return "";
    case RIFA_KIND_NOTIFIER:
      if (!m.notifier || present != 1) return "kind is notifier but the notifier vtable is missing or others are set";
      if (auto p = sdk::abi::size_problem("notifier vtable", m.notifier->struct_size, v1_0::notifier_vtable);
          !p.empty()) {
        return p;
      }
      notifier = sdk::abi::read_covered(*m.notifier);
      if (!notifier.deliver) return "notifier vtable lacks deliver";
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
    return load_error(path, std::string("cannot be loaded as a shared library: ") + (detail ? detail : ec.message()));
  }
  if (!lib->library_.has(RIFA_PLUGIN_ENTRY_SYMBOL)) {
    return load_error(path, std::string("no entry symbol '") + RIFA_PLUGIN_ENTRY_SYMBOL +
                                "' (build the plugin with the RifaSDK's RIFA_PLUGIN macro or export it)");
  }
  auto entry = lib->library_.get<const rifa_plugin_manifest*()>(RIFA_PLUGIN_ENTRY_SYMBOL);
  const rifa_plugin_manifest* m = nullptr;
  try {
    m = entry();
  } catch (...) { return load_error(path, "the entry symbol threw an exception"); }
  if (!m) return load_error(path, "the entry symbol returned no manifest");
  // The version fields come first in every ABI: read them before anything else.
  if (m->struct_size < sdk::abi::kManifestVersionEnd) {
    return load_error(path, "manifest struct_size " + std::to_string(m->struct_size) +
                                " is too small to hold the ABI version (" +
                                std::to_string(sdk::abi::kManifestVersionEnd) + " bytes); ABI 1.0's manifest is " +
                                std::to_string(sdk::abi::v1_0::manifest) + " bytes");
  }
  const std::string plugin_abi = std::to_string(m->abi_major) + "." + std::to_string(m->abi_minor);
  const std::string host_abi = std::to_string(RIFA_ABI_VERSION_MAJOR) + "." + std::to_string(RIFA_ABI_VERSION_MINOR);
  if (m->abi_major != RIFA_ABI_VERSION_MAJOR) {
    return load_error(path, "ABI major " + std::to_string(m->abi_major) + " (plugin built for " + plugin_abi +
                                "), host supports " + std::to_string(RIFA_ABI_VERSION_MAJOR) + " (" + host_abi +
                                "): rebuild the plugin against RifaSDK " + std::to_string(RIFA_ABI_VERSION_MAJOR) +
                                ".x");
  }
  if (m->abi_minor > RIFA_ABI_VERSION_MINOR) {
    return load_error(path, "ABI " + plugin_abi + " is newer than the host's " + host_abi +
                                ": upgrade the host or build the plugin against an older SDK");
  }
  // The growth rule (sdk/ABI.md): ABI 1.0's layout is the minimum; the host reads only what the
  // plugin's struct_size covers, from its own zero-filled copy, so an older minor's shorter
  // structs load and their missing trailing fields are absent.
  if (auto p = sdk::abi::size_problem("manifest", m->struct_size, sdk::abi::v1_0::manifest); !p.empty()) {
    return load_error(path, p + " (plugin built for " + plugin_abi + ")");
  }
  lib->manifest_ = sdk::abi::read_covered(*m);
  rifa_plugin_manifest& copy = lib->manifest_;
  if (!copy.name || !*copy.name || !copy.version || !*copy.version) {
    return load_error(path, "manifest lacks a name or a version");
  }
  if (!copy.create || !copy.destroy) return load_error(path, "manifest lacks create or destroy");
  if (auto problem = check_vtables(copy, lib->lottery_, lib->payment_, lib->notifier_); !problem.empty()) {
    return load_error(path, problem);
  }
  // Exactly the kind's vtable is set: point it at the host's copy.
  copy.lottery = copy.lottery ? &lib->lottery_ : nullptr;
  copy.payment = copy.payment ? &lib->payment_ : nullptr;
  copy.notifier = copy.notifier ? &lib->notifier_ : nullptr;

  ManifestInfo& info = lib->info_;
  info.abi_major = copy.abi_major;
  info.abi_minor = copy.abi_minor;
  info.kind = copy.kind;
  info.flags = copy.flags;
  info.name = copy.name;
  info.version = copy.version;
  info.description = copy.description ? copy.description : "";
  if (copy.config_schema_json) {
    try {
      info.config_schema = nlohmann::json::parse(copy.config_schema_json);
    } catch (const nlohmann::json::parse_error& e) {
      return load_error(path, std::string("config schema is not valid JSON: ") + e.what());
    }
    if (auto problems = check_schema_subset(info.config_schema); !problems.empty()) {
      return load_error(path, "config schema: " + problems.front());
    }
  } else {
    info.config_schema = {{"type", "object"}, {"additionalProperties", false}};
  }
  return lib;
}

}  // namespace rifa::plugin_runtime
