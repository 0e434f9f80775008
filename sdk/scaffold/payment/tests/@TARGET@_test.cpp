// @TARGET@ on the SDK's fake host: no framework needed (any works the same way).
#include <cstdio>
#include <string>

#include "rifa/sdk/sha256.hpp"
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
  rifa::sdk::testing::PluginHarness payments(library.manifest(), host, "@NAME@",
                                             R"({"base_url": "https://pay.test", "webhook_secret": "s3cret"})");

  host.respond("https://pay.test/payments", 200, R"({"provider_ref": "p-1", "status": "pending"})");
  auto created = payments.create_payment(
      R"({"amount_cents": 5000, "currency": "COP", "idempotency_key": "k-1", "description": "boleta", "metadata": {}})");
  expect(created.status == RIFA_OK && created.result.find("p-1") != std::string::npos, "create_payment: " + created.result + created.error);

  auto malformed = payments.create_payment("{not json");
  expect(malformed.status == RIFA_ERR_INVALID_ARGUMENT, "malformed JSON is invalid_argument: " + malformed.error);

  const std::string event = R"({"event_id": "e-1", "provider_ref": "p-1", "status": "succeeded"})";
  auto signed_ok = payments.verify_webhook("POST", "x-signature: " + rifa::sdk::sha256_hex("s3cret" + event) + "\n", event);
  expect(signed_ok.status == RIFA_OK, "a signed webhook: " + signed_ok.error);
  auto unsigned_body = payments.verify_webhook("POST", "content-type: application/json\n", event);
  expect(unsigned_body.status == RIFA_ERR_SIGNATURE, "an unsigned webhook: " + unsigned_body.error);

  std::printf("%d failure(s)\n", failures);
  return failures == 0 ? 0 : 1;
}
