// Unit test of the example plugin with the SDK's fake host: no real host, no network, no test
// framework (any framework works the same way).
#include <iostream>
#include <string>

#include "rifa/sdk/sha256.hpp"
#include "rifa/sdk/testing/fake_host.hpp"
#include "rifa/sdk/testing/plugin_harness.hpp"
#include "rifa/sdk/testing/shared_library.hpp"

namespace {

int failures = 0;

void check_equal(const std::string& what, const std::string& got, const std::string& expected) {
  if (got != expected) {
    std::cerr << "FAIL " << what << "\n  got:      " << got << "\n  expected: " << expected << "\n";
    ++failures;
  }
}

void check_status(const std::string& what, rifa_status got, rifa_status expected) {
  check_equal(what + " (status)", std::to_string(got), std::to_string(expected));
}

}  // namespace

int main() {
  using rifa::sdk::testing::FakeHost;
  using rifa::sdk::testing::PluginHarness;
  using rifa::sdk::testing::SharedLibrary;

  SharedLibrary library(PLUGIN_FILE);  // the built plugin, loaded as the host would
  FakeHost host;
  PluginHarness lottery(library.manifest(), host, "example", R"({"base_url": "https://results.test/draws"})");
  check_status("create", lottery.create_outcome().status, RIFA_OK);

  const std::string page = "sorteo: 4521\nfecha: 2026-01-22\nnumero: 0042\nserie: 017\n";
  host.respond("https://results.test/draws/2026-01-22.txt", 200, page);
  auto drawn = lottery.fetch_draw("2026-01-22");
  check_status("published draw", drawn.status, RIFA_OK);
  check_equal("published draw", drawn.result,
              R"({"date": "2026-01-22", "draw_number": "4521", "numbers": ["0042"], "series": "017", )"
              R"("source_url": "https://results.test/draws/2026-01-22.txt", "raw_sha256": ")" +
                  rifa::sdk::sha256_hex(page) + "\"}");

  host.respond("https://results.test/draws/2026-01-29.txt", 404, "not found");
  auto pending = lottery.fetch_draw("2026-01-29");
  check_status("404", pending.status, RIFA_NOT_PUBLISHED);
  check_equal("404", pending.error, "no results page for 2026-01-29 yet (HTTP 404)");

  host.fail("https://results.test/draws/2026-02-05.txt", RIFA_ERR_TIMEOUT, "timed out after 10000 ms");
  auto timeout = lottery.fetch_draw("2026-02-05");
  check_status("timeout", timeout.status, RIFA_ERR_TIMEOUT);
  check_equal("timeout", timeout.error, "timed out after 10000 ms");

  auto friday = lottery.fetch_draw("2026-01-23");  // the lottery draws on Thursdays
  check_status("friday", friday.status, RIFA_ERR_NOT_FOUND);
  check_equal("friday", friday.error, "no draw on fridays");

  auto garbage = lottery.parse_page("2026-01-22", "https://results.test/x", "<html>Mantenimiento</html>");
  check_status("garbage", garbage.status, RIFA_ERR_PARSE);
  check_equal("garbage", garbage.error, "results page: no 'sorteo' line");

  auto wrong_day = lottery.parse_page("2026-01-23", "https://results.test/x", page);
  check_status("wrong date", wrong_day.status, RIFA_ERR_VALIDATION);
  check_equal("wrong date", wrong_day.error, "results page is for 2026-01-22, not 2026-01-23");

  if (failures == 0) std::cout << "lottery_example: all checks passed\n";
  return failures == 0 ? 0 : 1;
}
