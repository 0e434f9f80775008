// @TARGET@ on the SDK's fake host: no framework needed (any works the same way).
#include <cstdio>
#include <string>

#include "rifa/sdk/testing/fake_host.hpp"
#include "rifa/sdk/testing/plugin_harness.hpp"
#include "rifa/sdk/testing/shared_library.hpp"

namespace {

int failures = 0;

void expect(bool ok, const std::string& what) {
  std::printf("%s  %s\n", ok ? "ok  " : "FAIL", what.c_str());
  if (!ok) ++failures;
}

}  // namespace

int main() {
  rifa::sdk::testing::SharedLibrary library(PLUGIN_FILE);
  rifa::sdk::testing::FakeHost host;
  rifa::sdk::testing::PluginHarness notifier(library.manifest(), host, "@NAME@", R"({"webhook_url": "https://hooks.test/rifa"})");
  const std::string event =
      R"({"event_id": "e-1", "type": "rifa_opened", "occurred_at": "2026-01-22T12:00:00.000Z", "rifa_id": "r", "data": {}})";

  host.respond("https://hooks.test/rifa", 204, "");
  auto first = notifier.deliver(event);
  auto again = notifier.deliver(event);
  expect(first.status == RIFA_OK && again.status == RIFA_OK, "the same event twice: " + first.error + again.error);
  expect(host.requests().size() == 2, "each delivery posts the event");

  host.respond("https://hooks.test/rifa", 503, "");
  auto down = notifier.deliver(event);
  expect(down.status == RIFA_ERR_TRANSPORT, "a 503 is a transport error (the host retries): " + down.error);

  host.respond("https://hooks.test/rifa", 410, "");
  auto gone = notifier.deliver(event);
  expect(gone.status == RIFA_ERR_DECLINED, "a 410 is declined (the host gives the event up): " + gone.error);

  std::printf("%d failure(s)\n", failures);
  return failures == 0 ? 0 : 1;
}
