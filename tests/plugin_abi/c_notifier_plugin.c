/* A notifier plugin written in plain C99 against abi.h alone: proves the ABI needs no C++.
 * Config: {"prefix": "..."} (optional). deliver() answers {"delivered": N, "prefix": ...} where N
 * counts deliveries of this instance, logs the event, and refuses an empty event. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rifa/sdk/abi.h"

typedef struct c_notifier {
  const rifa_host_api* api;
  rifa_host* host;
  unsigned long delivered;
} c_notifier;

static void set_error(const rifa_host_api* api, rifa_call* call, const char* message) {
  api->call_set_error(call, message, strlen(message));
}

static rifa_status c_create(const rifa_host_api* api, rifa_host* host, const char* instance_id, const char* config_json,
                            rifa_call* call, void** out_instance) {
  c_notifier* self;
  (void)instance_id;
  if (api->abi_major != RIFA_ABI_VERSION_MAJOR || !RIFA_HAS_FIELD(rifa_host_api, api, call_set_error)) {
    return RIFA_ERR_UNSUPPORTED;
  }
  if (strstr(config_json, "\"refuse\"") != NULL) {
    set_error(api, call, "c notifier: config asks to be refused");
    return RIFA_ERR_CONFIG;
  }
  self = (c_notifier*)calloc(1, sizeof *self);
  if (self == NULL) {
    set_error(api, call, "out of memory");
    return RIFA_ERR_INTERNAL;
  }
  self->api = api;
  self->host = host;
  *out_instance = self;
  return RIFA_OK;
}

static void c_destroy(void* instance) { free(instance); }

static rifa_status c_deliver(void* instance, const char* event_json, rifa_call* call) {
  c_notifier* self = (c_notifier*)instance;
  char answer[64];
  int len;
  if (event_json == NULL || event_json[0] == '\0') {
    set_error(self->api, call, "c notifier: empty event");
    return RIFA_ERR_INVALID_ARGUMENT;
  }
  self->api->log(self->host, RIFA_LOG_INFO, event_json, strlen(event_json));
  ++self->delivered;
  len = sprintf(answer, "{\"delivered\": %lu}", self->delivered);
  self->api->call_set_result(call, answer, (size_t)len);
  return RIFA_OK;
}

static const rifa_notifier_vtable c_vtable = {sizeof(rifa_notifier_vtable), c_deliver};

static const rifa_plugin_manifest c_manifest = {
    sizeof(rifa_plugin_manifest),
    RIFA_ABI_VERSION_MAJOR,
    RIFA_ABI_VERSION_MINOR,
    RIFA_KIND_NOTIFIER,
    RIFA_PLUGIN_FLAG_SERIALIZED,
    "c_notifier",
    "0.1.0",
    "A notifier written in C99",
    "{\"type\": \"object\", \"additionalProperties\": false, \"properties\": {\"refuse\": {\"type\": \"boolean\"}}}",
    c_create,
    c_destroy,
    NULL,
    NULL,
    &c_vtable};

RIFA_PLUGIN_EXPORT const rifa_plugin_manifest* rifa_plugin_manifest_v1(void);

RIFA_PLUGIN_EXPORT const rifa_plugin_manifest* rifa_plugin_manifest_v1(void) { return &c_manifest; }
