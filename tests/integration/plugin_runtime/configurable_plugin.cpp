// A plugin written straight against abi.h (no C++ wrapper) so each build variant can forge one
// defect the loader must catch. Variants are chosen with compile definitions:
//   FORGE_ABI_MAJOR / FORGE_ABI_MINOR   the ABI version the manifest claims
//   FORGE_KIND                          the kind it claims (RIFA_KIND_*)
//   FORGE_INIT_FAILS                    create returns RIFA_ERR_CONFIG with a message
//   FORGE_INIT_THROWS                   create lets a C++ exception escape (a broken plugin)
//   FORGE_NO_ENTRY                      the entry symbol is not exported
#include <stdexcept>
#include <string>

#include "rifa/sdk/abi.h"

#ifndef FORGE_ABI_MAJOR
#define FORGE_ABI_MAJOR RIFA_ABI_VERSION_MAJOR
#endif
#ifndef FORGE_ABI_MINOR
#define FORGE_ABI_MINOR RIFA_ABI_VERSION_MINOR
#endif
#ifndef FORGE_KIND
#define FORGE_KIND RIFA_KIND_NOTIFIER
#endif

namespace {

struct Instance {
  const rifa_host_api* api;
  rifa_host* host;
  std::string prefix;
};

rifa_status create(const rifa_host_api* api, rifa_host* host, const char*, const char* config_json, rifa_call* call,
                   void** out) {
#ifdef FORGE_INIT_FAILS
  const std::string msg = "prefix must not be 'forbidden'";
  api->call_set_error(call, msg.data(), msg.size());
  (void)host;
  (void)config_json;
  (void)out;
  return RIFA_ERR_CONFIG;
#elif defined(FORGE_INIT_THROWS)
  (void)api;
  (void)host;
  (void)config_json;
  (void)call;
  (void)out;
  throw std::runtime_error("boom from create");
#else
  (void)call;
  *out = new Instance{api, host, config_json};
  return RIFA_OK;
#endif
}

void destroy(void* instance) { delete static_cast<Instance*>(instance); }

rifa_status deliver(void* instance, const char* event_json, rifa_call* call) {
  auto* self = static_cast<Instance*>(instance);
  // An event of type "unreachable" fails as a notifier whose endpoint is down would.
  if (std::string(event_json).find(R"("type":"unreachable")") != std::string::npos) {
    const std::string error = "connection refused by hooks.example.com:443";
    self->api->call_set_error(call, error.data(), error.size());
    return RIFA_ERR_TRANSPORT;
  }
  const std::string echoed = std::string("{\"config\":") + self->prefix + ",\"event\":" + event_json + "}";
  self->api->call_set_result(call, echoed.data(), echoed.size());
  const std::string line = "delivered";
  self->api->log(self->host, RIFA_LOG_INFO, line.data(), line.size());
  return RIFA_OK;
}

rifa_status fetch_draw(void*, const char*, rifa_call*) { return RIFA_NOT_PUBLISHED; }
rifa_status parse_page(void*, const char*, const char*, const char*, size_t, rifa_call*) { return RIFA_NOT_PUBLISHED; }

const rifa_notifier_vtable kNotifier = {sizeof(rifa_notifier_vtable), deliver};
// No schedule and no draw calendar: the host falls back to asking daily.
const rifa_lottery_vtable kLottery = {sizeof(rifa_lottery_vtable), fetch_draw, parse_page, nullptr, nullptr};

const char* kSchema = R"({"type":"object","additionalProperties":false,
  "properties":{"prefix":{"type":"string","minLength":1},"level":{"type":"integer","minimum":1,"maximum":5}}})";

rifa_plugin_manifest make_manifest() {
  rifa_plugin_manifest m{};
  m.struct_size = sizeof(rifa_plugin_manifest);
  m.abi_major = FORGE_ABI_MAJOR;
  m.abi_minor = FORGE_ABI_MINOR;
  m.kind = FORGE_KIND;
  m.flags = 0;
  m.name = "forge";
  m.version = "0.0.1";
  m.description = "loader test plugin";
  m.config_schema_json = kSchema;
  m.create = create;
  m.destroy = destroy;
  if (FORGE_KIND == RIFA_KIND_LOTTERY) {
    m.lottery = &kLottery;
  } else {
    m.notifier = &kNotifier;
  }
  return m;
}

const rifa_plugin_manifest kManifest = make_manifest();

}  // namespace

#ifndef FORGE_NO_ENTRY
extern "C" RIFA_PLUGIN_EXPORT const rifa_plugin_manifest* rifa_plugin_manifest_v1(void) { return &kManifest; }
#else
extern "C" RIFA_PLUGIN_EXPORT const rifa_plugin_manifest* some_other_symbol(void) { return &kManifest; }
#endif
