/* Compiled as strict C99 (-std=c99 -pedantic -Werror -Wall -Wextra): proves abi.h is plain C, and
 * checks at run time the layout promises a host of any version relies on. */
#include <stdio.h>

#include "rifa/sdk/abi.h"

static int failures = 0;

static void expect(int condition, const char* what) {
  if (!condition) {
    fprintf(stderr, "FAIL: %s\n", what);
    ++failures;
  }
}

static rifa_status no_deliver(void* instance, const char* event_json, rifa_call* call) {
  (void)instance;
  (void)event_json;
  (void)call;
  return RIFA_OK;
}

int main(void) {
  rifa_notifier_vtable notifier;
  rifa_lottery_vtable lottery;
  rifa_plugin_manifest manifest;

  /* The first three manifest fields never move: any host can read the ABI version. */
  expect(offsetof(rifa_plugin_manifest, struct_size) == 0, "manifest.struct_size at offset 0");
  expect(offsetof(rifa_plugin_manifest, abi_major) == 4, "manifest.abi_major at offset 4");
  expect(offsetof(rifa_plugin_manifest, abi_minor) == 6, "manifest.abi_minor at offset 6");
  expect(offsetof(rifa_host_api, abi_major) == 4, "host_api.abi_major at offset 4");

  /* Status and kind values are fixed forever. */
  expect(RIFA_OK == 0 && RIFA_NOT_PUBLISHED == 1 && RIFA_ERR_INVALID_ARGUMENT == 100 && RIFA_ERR_CONFIG == 101 &&
             RIFA_ERR_PARSE == 102 && RIFA_ERR_TRANSPORT == 103 && RIFA_ERR_TIMEOUT == 104 &&
             RIFA_ERR_DECLINED == 105 && RIFA_ERR_SIGNATURE == 106 && RIFA_ERR_NOT_FOUND == 107 &&
             RIFA_ERR_UNSUPPORTED == 108 && RIFA_ERR_VALIDATION == 109 && RIFA_ERR_NOT_RECORDED == 110 &&
             RIFA_ERR_INTERNAL == 199,
         "rifa_status values");
  expect(RIFA_KIND_INVALID == 0 && RIFA_KIND_LOTTERY == 1 && RIFA_KIND_PAYMENT == 2 && RIFA_KIND_NOTIFIER == 3,
         "rifa_plugin_kind values");
  expect(RIFA_LOG_INVALID == 0 && RIFA_LOG_DEBUG == 1 && RIFA_LOG_ERROR == 4, "rifa_log_level values");

  /* RIFA_HAS_FIELD: a struct written by an older peer (smaller struct_size) lacks later fields. */
  notifier.struct_size = (uint32_t)sizeof(notifier);
  notifier.deliver = no_deliver;
  expect(RIFA_HAS_FIELD(rifa_notifier_vtable, &notifier, deliver), "deliver inside a full vtable");
  notifier.struct_size = (uint32_t)offsetof(rifa_notifier_vtable, deliver);
  expect(!RIFA_HAS_FIELD(rifa_notifier_vtable, &notifier, deliver), "deliver outside a truncated vtable");
  /* 1.1 appended draw_dates to the lottery vtable: a 1.0 plugin's vtable ends before it. */
  expect(offsetof(rifa_lottery_vtable, draw_dates) == offsetof(rifa_lottery_vtable, schedule) + sizeof(void (*)(void)),
         "lottery.draw_dates appended right after schedule");
  lottery.struct_size = (uint32_t)offsetof(rifa_lottery_vtable, draw_dates);
  expect(!RIFA_HAS_FIELD(rifa_lottery_vtable, &lottery, draw_dates), "draw_dates outside a 1.0 lottery vtable");
  lottery.struct_size = (uint32_t)sizeof(lottery);
  expect(RIFA_HAS_FIELD(rifa_lottery_vtable, &lottery, draw_dates), "draw_dates inside a 1.1 lottery vtable");
  manifest.struct_size = (uint32_t)sizeof(manifest);
  expect(RIFA_HAS_FIELD(rifa_plugin_manifest, &manifest, notifier), "last manifest field inside sizeof");

  if (failures == 0) printf("abi.h %d.%d: C99 layout checks passed\n", RIFA_ABI_VERSION_MAJOR, RIFA_ABI_VERSION_MINOR);
  return failures == 0 ? 0 : 1;
}
