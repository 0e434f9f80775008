/* A lottery plugin as it would have been built against ABI 1.0: plain C99 that declares its own
 * copies of the 1.0 structs instead of taking abi.h's current ones, so its manifest, lottery vtable
 * and HTTP structs carry the 1.0 struct_size. Proves the growth rule (sdk/ABI.md): a host of a
 * newer minor loads it, reads only what each struct_size covers, and reports the later
 * draw_dates as unsupported instead of reading past the vtable.
 *
 * Built several times from this one file (tests/plugin_abi/CMakeLists.txt):
 *   C_LOTTERY_MINOR=n          the abi_minor the manifest declares (default 0)
 *   C_LOTTERY_SHORT_VTABLE     lottery vtable struct_size ends before schedule, a 1.0 field
 *   C_LOTTERY_SHORT_MANIFEST   manifest struct_size ends before notifier, a 1.0 field
 *
 * Config: {"url": "..."} (required). fetch_draw(date) GETs `url` through the host and answers
 * {"date": DATE, "status": HTTP status, "body": BODY}; fetch_draw("short-response") passes a
 * response struct too short for ABI 1.0 and answers the host's refusal. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rifa/sdk/abi.h"

#ifndef C_LOTTERY_MINOR
#define C_LOTTERY_MINOR 0
#endif

/* ---- ABI 1.0's layouts, copied as the 1.0 header had them. ---- */
typedef struct lottery_vtable_v10 {
  uint32_t struct_size;
  rifa_status (*fetch_draw)(void* instance, const char* date_iso, rifa_call* call);
  rifa_status (*parse_page)(void* instance, const char* date_iso, const char* url, const char* body, size_t body_len,
                            rifa_call* call);
  rifa_status (*schedule)(void* instance, rifa_call* call);
} lottery_vtable_v10;

typedef struct http_request_v10 {
  uint32_t struct_size;
  const char* method;
  const char* url;
  const char* headers;
  const char* body;
  size_t body_len;
  uint32_t timeout_ms;
} http_request_v10;

typedef struct http_response_v10 {
  uint32_t struct_size;
  int32_t status;
  const char* effective_url;
  const char* headers;
  const char* body;
  size_t body_len;
  void* host_private;
} http_response_v10;

typedef struct manifest_v10 {
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;
  rifa_plugin_kind kind;
  uint32_t flags;
  const char* name;
  const char* version;
  const char* description;
  const char* config_schema_json;
  rifa_status (*create)(const rifa_host_api* api, rifa_host* host, const char* instance_id, const char* config_json,
                        rifa_call* call, void** out_instance);
  void (*destroy)(void* instance);
  const lottery_vtable_v10* lottery;
  const rifa_payment_vtable* payment;
  const rifa_notifier_vtable* notifier;
} manifest_v10;

/* ---- the plugin ---- */
typedef struct c_lottery {
  const rifa_host_api* api;
  rifa_host* host;
  char url[256];
} c_lottery;

static void set_error(const rifa_host_api* api, rifa_call* call, const char* message) {
  api->call_set_error(call, message, strlen(message));
}

static rifa_status c_create(const rifa_host_api* api, rifa_host* host, const char* instance_id, const char* config_json,
                            rifa_call* call, void** out_instance) {
  c_lottery* self;
  const char* url;
  const char* end;
  (void)instance_id;
  if (api->abi_major != RIFA_ABI_VERSION_MAJOR || !RIFA_HAS_FIELD(rifa_host_api, api, call_set_error)) {
    return RIFA_ERR_UNSUPPORTED;
  }
  /* Config is {"url": "..."} as the host dumps it: find the string after "url". */
  url = strstr(config_json, "\"url\":\"");
  if (url == NULL) {
    set_error(api, call, "c lottery: config needs a url");
    return RIFA_ERR_CONFIG;
  }
  url += strlen("\"url\":\"");
  end = strchr(url, '"');
  if (end == NULL || (size_t)(end - url) >= sizeof self->url) {
    set_error(api, call, "c lottery: bad url");
    return RIFA_ERR_CONFIG;
  }
  self = (c_lottery*)calloc(1, sizeof *self);
  if (self == NULL) {
    set_error(api, call, "out of memory");
    return RIFA_ERR_INTERNAL;
  }
  self->api = api;
  self->host = host;
  memcpy(self->url, url, (size_t)(end - url));
  *out_instance = self;
  return RIFA_OK;
}

static void c_destroy(void* instance) { free(instance); }

/* A response followed by bytes the host must never write: they are not the plugin's struct. */
typedef struct guarded_response {
  http_response_v10 response;
  unsigned char canary[64];
} guarded_response;

static rifa_status c_fetch_draw(void* instance, const char* date_iso, rifa_call* call) {
  c_lottery* self = (c_lottery*)instance;
  http_request_v10 request;
  guarded_response out;
  rifa_status status;
  char* answer;
  size_t i, length;
  int written;
  memset(&request, 0, sizeof request);
  request.struct_size = (uint32_t)sizeof request;
  request.method = "GET";
  request.url = self->url;
  memset(&out, 0xA5, sizeof out);
  out.response.struct_size = (uint32_t)sizeof out.response;
  if (strcmp(date_iso, "short-response") == 0) {
    out.response.struct_size = (uint32_t)offsetof(http_response_v10, host_private);
  }
  status = self->api->http_request(self->host, (const rifa_http_request*)(const void*)&request,
                                   (rifa_http_response*)(void*)&out.response, call);
  for (i = 0; i < sizeof out.canary; ++i) {
    if (out.canary[i] != 0xA5) {
      set_error(self->api, call, "c lottery: the host wrote past the response struct");
      return RIFA_ERR_INTERNAL;
    }
  }
  if (status != RIFA_OK) return status; /* the host put its reason on the call */
  length = out.response.body_len + strlen(date_iso) + 64;
  answer = (char*)malloc(length);
  if (answer == NULL) {
    self->api->http_response_release(self->host, (rifa_http_response*)(void*)&out.response);
    set_error(self->api, call, "out of memory");
    return RIFA_ERR_INTERNAL;
  }
  written = snprintf(answer, length, "{\"date\": \"%s\", \"status\": %d, \"body\": \"%.*s\"}", date_iso,
                     (int)out.response.status, (int)out.response.body_len, out.response.body);
  self->api->http_response_release(self->host, (rifa_http_response*)(void*)&out.response);
  if (out.response.host_private != NULL) {
    free(answer);
    set_error(self->api, call, "c lottery: release left host_private set");
    return RIFA_ERR_INTERNAL;
  }
  self->api->call_set_result(call, answer, (size_t)written);
  free(answer);
  return RIFA_OK;
}

static rifa_status c_parse_page(void* instance, const char* date_iso, const char* url, const char* body,
                                size_t body_len, rifa_call* call) {
  c_lottery* self = (c_lottery*)instance;
  (void)date_iso;
  (void)url;
  (void)body;
  (void)body_len;
  set_error(self->api, call, "c lottery: parse_page not implemented");
  return RIFA_ERR_UNSUPPORTED;
}

static rifa_status c_schedule(void* instance, rifa_call* call) {
  static const char kSchedule[] =
      "{\"timezone\": \"America/Bogota\", \"days\": [\"thursday\"], \"time\": \"22:30\", \"publish_delay_minutes\": "
      "60}";
  c_lottery* self = (c_lottery*)instance;
  self->api->call_set_result(call, kSchedule, sizeof kSchedule - 1);
  return RIFA_OK;
}

/* What would be draw_dates if a host read past the 1.0 vtable: answers something a test notices. */
static rifa_status c_not_mine(void* instance, const char* from_iso, const char* to_iso, rifa_call* call) {
  static const char kWrong[] = "[\"the host read past the 1.0 vtable\"]";
  c_lottery* self = (c_lottery*)instance;
  (void)from_iso;
  (void)to_iso;
  self->api->call_set_result(call, kWrong, sizeof kWrong - 1);
  return RIFA_OK;
}

/* The 1.0 vtable, and right after it in the same object a function pointer where 1.1 put
 * draw_dates: a host that ignores struct_size would find it there and call it. */
static const struct {
  lottery_vtable_v10 vtable;
  rifa_status (*after_the_struct)(void*, const char*, const char*, rifa_call*);
} c_lottery_vtable = {{
#ifdef C_LOTTERY_SHORT_VTABLE
                          (uint32_t)offsetof(lottery_vtable_v10, schedule),
#else
                          (uint32_t)sizeof(lottery_vtable_v10),
#endif
                          c_fetch_draw, c_parse_page, c_schedule},
                      c_not_mine};

static const manifest_v10 c_manifest = {
#ifdef C_LOTTERY_SHORT_MANIFEST
    (uint32_t)offsetof(manifest_v10, notifier),
#else
    (uint32_t)sizeof(manifest_v10),
#endif
    RIFA_ABI_VERSION_MAJOR,
    C_LOTTERY_MINOR,
    RIFA_KIND_LOTTERY,
    RIFA_PLUGIN_FLAG_SERIALIZED,
    "c_lottery_v10",
    "1.0.0",
    "A lottery built against ABI 1.0",
    "{\"type\": \"object\", \"additionalProperties\": false, \"required\": [\"url\"], \"properties\": {\"url\": "
    "{\"type\": \"string\"}}}",
    c_create,
    c_destroy,
    &c_lottery_vtable.vtable,
    NULL,
    NULL};

RIFA_PLUGIN_EXPORT const rifa_plugin_manifest* rifa_plugin_manifest_v1(void);

RIFA_PLUGIN_EXPORT const rifa_plugin_manifest* rifa_plugin_manifest_v1(void) {
  return (const rifa_plugin_manifest*)(const void*)&c_manifest;
}
