// @TARGET@ on the SDK's fake host: no framework needed (any works the same way).
#include <cstdio>
#include <string>

#include "rifa/sdk/testing/fake_host.hpp"
#include "rifa/sdk/testing/plugin_harness.hpp"
#include "rifa/sdk/testing/shared_library.hpp"
#include "rifa/sdk/time.hpp"

namespace {

int failures = 0;

void expect(bool ok, const std::string& what) {
  std::printf("%s  %s\n", ok ? "ok  " : "FAIL", what.c_str());
  if (!ok) ++failures;
}

}  // namespace

int main() {
  using rifa::sdk::testing::PluginHarness;
  rifa::sdk::testing::SharedLibrary library(PLUGIN_FILE);
  rifa::sdk::testing::FakeHost host;
  const std::string base = "https://results.test/@NAME@";
  PluginHarness lottery(library.manifest(), host, "@NAME@", "{\"base_url\": \"" + base + "\"}");

  // The day after Thursday 2026-01-22's draw: published.
  host.set_now_unix_ms(rifa::sdk::bogota_instant_ms({2026, 1, 23}, 12 * 60));
  host.respond(base + "/2026-01-22.txt", 200, "fecha: 2026-01-22\nsorteo: 4521\nnumero: 0042\nserie: 007\n");
  auto draw = lottery.fetch_draw("2026-01-22");
  expect(draw.status == RIFA_OK && draw.result.find("\"numbers\": [\"0042\"]") != std::string::npos,
         "a published draw: " + draw.result + draw.error);

  auto friday = lottery.fetch_draw("2026-01-23");
  expect(friday.status == RIFA_ERR_NOT_FOUND, "a Friday has no draw: " + friday.error);

  host.set_now_unix_ms(rifa::sdk::bogota_instant_ms({2026, 1, 22}, 20 * 60));
  auto early = lottery.fetch_draw("2026-01-22");
  expect(early.status == RIFA_NOT_PUBLISHED, "before 23:30 it is not published: " + early.error);

  host.set_now_unix_ms(rifa::sdk::bogota_instant_ms({2026, 2, 6}, 12 * 60));
  host.fail(base + "/2026-02-05.txt", RIFA_ERR_TIMEOUT, "timed out");
  auto down = lottery.fetch_draw("2026-02-05");
  expect(down.status == RIFA_ERR_TIMEOUT, "the source timing out is the host's timeout: " + down.error);

  auto garbage = lottery.parse_page("2026-01-22", base, "<html>maintenance</html>");
  expect(garbage.status == RIFA_ERR_PARSE, "a page without the draw is a parse error: " + garbage.error);

  std::printf("%d failure(s)\n", failures);
  return failures == 0 ? 0 : 1;
}
