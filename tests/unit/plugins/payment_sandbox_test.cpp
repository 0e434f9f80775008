// payment_sandbox as the host sees it: the built library, loaded with dlopen, on a fake host.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "rifa/sdk/testing/fake_host.hpp"
#include "rifa/sdk/testing/plugin_harness.hpp"
#include "rifa/sdk/testing/shared_library.hpp"
#include "sign_webhook.hpp"

namespace rifa::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using sdk::testing::FakeHost;
using sdk::testing::PluginHarness;
using sdk::testing::SharedLibrary;

constexpr const char* kSecret = "unit-test-secret-0123456789";
constexpr const char* kWebhookUrl = "https://hooks.example.test/sandbox";

std::string payment_request(int64_t amount_cents, const std::string& key) {
  return json({{"amount_cents", amount_cents},
               {"currency", "COP"},
               {"idempotency_key", key},
               {"description", "ticket 42"},
               {"metadata", {{"rifa_id", "r1"}}}})
      .dump();
}

class PaymentSandboxTest : public ::testing::Test {
 protected:
  PaymentSandboxTest() : library_(RIFA_PLUGIN_FILE), manifest_(library_.manifest()) {}

  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  std::unique_ptr<PluginHarness> make(json config = json::object()) {
    config["webhook_secret"] = kSecret;
    auto harness = std::make_unique<PluginHarness>(manifest_, host_, "sandbox", config.dump());
    EXPECT_TRUE(harness->created()) << harness->create_outcome().error;
    return harness;
  }

  const fs::path& temp_dir() {
    if (dir_.empty()) {
      dir_ = fs::temp_directory_path() / ("rifa-sandbox-test-" + std::to_string(::getpid()) + "-" +
                                          ::testing::UnitTest::GetInstance()->current_test_info()->name());
      fs::create_directories(dir_);
    }
    return dir_;
  }

  std::string webhook_body(const std::string& type, const std::string& ref) const {
    return json({{"event_id", "evt_test_1"},
                 {"type", type},
                 {"provider_ref", ref},
                 {"amount_cents", 5000},
                 {"currency", "COP"},
                 {"created", host_.now_unix_ms() / 1000}})
        .dump();
  }

  int64_t now_s() const { return host_.now_unix_ms() / 1000; }

  SharedLibrary library_;
  const rifa_plugin_manifest* manifest_;
  FakeHost host_;
  fs::path dir_;
};

TEST_F(PaymentSandboxTest, ImmediateConfirmationSucceedsAndIsIdempotentPerKey) {
  auto sandbox = make();
  auto created = sandbox->create_payment(payment_request(5000, "key-1"));
  ASSERT_EQ(created.status, RIFA_OK) << created.error;
  const json answer = json::parse(created.result);
  const std::string ref = answer["provider_ref"];
  EXPECT_EQ(ref.rfind("sbx_", 0), 0u) << ref;
  EXPECT_EQ(ref.size(), 4u + 24u);
  EXPECT_EQ(answer["status"], "succeeded");

  EXPECT_EQ(sandbox->create_payment(payment_request(5000, "key-1")).result, created.result);
  auto other = sandbox->create_payment(payment_request(5000, "key-2"));
  EXPECT_NE(json::parse(other.result)["provider_ref"], ref);

  auto conflict = sandbox->create_payment(payment_request(6000, "key-1"));
  EXPECT_EQ(conflict.status, RIFA_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(conflict.error, "idempotency key 'key-1' was already used with amount_cents 5000, not 6000");

  auto looked_up = sandbox->get_payment(ref);
  ASSERT_EQ(looked_up.status, RIFA_OK);
  EXPECT_EQ(json::parse(looked_up.result),
            json({{"provider_ref", ref}, {"status", "succeeded"}, {"amount_cents", 5000}, {"currency", "COP"}}));
}

TEST_F(PaymentSandboxTest, ConfiguredAmountsAreDeclinedWithAReason) {
  auto sandbox = make({{"decline_amounts_cents", {13300}}});
  auto declined = sandbox->create_payment(payment_request(13300, "key-d"));
  EXPECT_EQ(declined.status, RIFA_ERR_DECLINED);
  EXPECT_EQ(declined.error, "declined by sandbox: amount 13300 is configured to decline");
  EXPECT_EQ(declined.result, "");
  // The same key keeps its answer.
  EXPECT_EQ(sandbox->create_payment(payment_request(13300, "key-d")).status, RIFA_ERR_DECLINED);
  EXPECT_EQ(sandbox->create_payment(payment_request(13400, "key-ok")).status, RIFA_OK);
}

TEST_F(PaymentSandboxTest, MalformedRequestsAreInvalidArguments) {
  auto sandbox = make();
  auto not_json = sandbox->create_payment("{not json");
  EXPECT_EQ(not_json.status, RIFA_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(not_json.error.rfind("create_payment: the request is not valid JSON (", 0), 0u) << not_json.error;
  auto negative = sandbox->create_payment(R"({"amount_cents": -5, "currency": "COP", "idempotency_key": "k"})");
  EXPECT_EQ(negative.status, RIFA_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(negative.error, "create_payment: amount_cents must be a positive integer");
  auto currency = sandbox->create_payment(R"({"amount_cents": 5, "currency": "pesos", "idempotency_key": "k"})");
  EXPECT_EQ(currency.error, "create_payment: currency must be an ISO 4217 code like COP, got 'pesos'");
  auto missing = sandbox->get_payment("sbx_nope");
  EXPECT_EQ(missing.status, RIFA_ERR_NOT_FOUND);
  EXPECT_EQ(missing.error, "no sandbox payment 'sbx_nope'");
}

TEST_F(PaymentSandboxTest, WebhookWithAValidSignatureIsDecoded) {
  auto sandbox = make({{"confirm", "manual"}});
  const std::string ref = json::parse(sandbox->create_payment(payment_request(5000, "key-m")).result)["provider_ref"];
  EXPECT_EQ(json::parse(sandbox->get_payment(ref).result)["status"], "pending");

  const std::string body = webhook_body("payment.succeeded", ref);
  auto verified = sandbox->verify_webhook(
      "POST", "content-type: application/json\n" + sandbox_signature_header(kSecret, now_s(), body), body);
  ASSERT_EQ(verified.status, RIFA_OK) << verified.error;
  EXPECT_EQ(json::parse(verified.result), json({{"event_id", "evt_test_1"},
                                                {"type", "payment.succeeded"},
                                                {"provider_ref", ref},
                                                {"status", "succeeded"},
                                                {"amount_cents", 5000},
                                                {"currency", "COP"}}));
  // A manual payment stays pending until its webhook arrives.
  EXPECT_EQ(json::parse(sandbox->get_payment(ref).result)["status"], "succeeded");
}

TEST_F(PaymentSandboxTest, WebhookSignatureFailuresSayWhichCheckFailed) {
  auto sandbox = make();
  const std::string body = webhook_body("payment.succeeded", "sbx_x");

  auto missing = sandbox->verify_webhook("POST", "content-type: application/json\n", body);
  EXPECT_EQ(missing.status, RIFA_ERR_SIGNATURE);
  EXPECT_EQ(missing.error, "missing rifa-sandbox-signature header");

  auto malformed = sandbox->verify_webhook("POST", "rifa-sandbox-signature: sha256=abc\n", body);
  EXPECT_EQ(malformed.status, RIFA_ERR_SIGNATURE);
  EXPECT_EQ(malformed.error, "malformed rifa-sandbox-signature header: expected t=<unix seconds>,v1=<hex HMAC-SHA256>");

  auto forged =
      sandbox->verify_webhook("POST", sandbox_signature_header("another-secret-0123456789", now_s(), body), body);
  EXPECT_EQ(forged.status, RIFA_ERR_SIGNATURE);
  EXPECT_EQ(forged.error, "bad signature: no v1 in rifa-sandbox-signature matches the body");

  const std::string tampered = webhook_body("payment.succeeded", "sbx_y");
  auto altered = sandbox->verify_webhook("POST", sandbox_signature_header(kSecret, now_s(), body), tampered);
  EXPECT_EQ(altered.status, RIFA_ERR_SIGNATURE);
  EXPECT_EQ(altered.error, "bad signature: no v1 in rifa-sandbox-signature matches the body");

  auto stale = sandbox->verify_webhook("POST", sandbox_signature_header(kSecret, now_s() - 301, body), body);
  EXPECT_EQ(stale.status, RIFA_ERR_SIGNATURE);
  EXPECT_EQ(stale.error, "timestamp outside tolerance: t=" + std::to_string(now_s() - 301) +
                             " is 301 s from the host clock (tolerance 300 s)");

  auto within = sandbox->verify_webhook("POST", sandbox_signature_header(kSecret, now_s() - 300, body), body);
  EXPECT_EQ(within.status, RIFA_OK) << within.error;
}

TEST_F(PaymentSandboxTest, ToleranceIsConfigurable) {
  auto sandbox = make({{"webhook_tolerance_s", 10}});
  const std::string body = webhook_body("payout.paid", "sbx_po_1");
  auto stale = sandbox->verify_webhook("POST", sandbox_signature_header(kSecret, now_s() + 11, body), body);
  EXPECT_EQ(stale.error, "timestamp outside tolerance: t=" + std::to_string(now_s() + 11) +
                             " is 11 s from the host clock (tolerance 10 s)");
}

TEST_F(PaymentSandboxTest, PayoutIsIdempotentPerKey) {
  auto sandbox = make({{"decline_amounts_cents", {999}}});
  const std::string request =
      R"({"amount_cents": 250000, "currency": "COP", "idempotency_key": "payout-1", "beneficiary": {"name": "Ana"}})";
  auto first = sandbox->payout(request);
  ASSERT_EQ(first.status, RIFA_OK) << first.error;
  const json answer = json::parse(first.result);
  EXPECT_EQ(answer["status"], "paid");
  EXPECT_EQ(answer["payout_ref"].get<std::string>().rfind("sbx_po_", 0), 0u);
  EXPECT_EQ(sandbox->payout(request).result, first.result);

  auto conflict = sandbox->payout(R"({"amount_cents": 1, "currency": "COP", "idempotency_key": "payout-1"})");
  EXPECT_EQ(conflict.status, RIFA_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(conflict.error, "idempotency key 'payout-1' was already used with amount_cents 250000, not 1");

  auto declined = sandbox->payout(R"({"amount_cents": 999, "currency": "COP", "idempotency_key": "payout-2"})");
  EXPECT_EQ(declined.status, RIFA_ERR_DECLINED);
  EXPECT_EQ(declined.error, "declined by sandbox: amount 999 is configured to decline");
}

TEST_F(PaymentSandboxTest, RefundIsIdempotentAndBoundedByThePayment) {
  auto sandbox = make();
  const std::string ref = json::parse(sandbox->create_payment(payment_request(5000, "key-r")).result)["provider_ref"];
  const std::string request =
      json({{"provider_ref", ref}, {"amount_cents", 2000}, {"idempotency_key", "refund-1"}}).dump();
  auto first = sandbox->refund(request);
  ASSERT_EQ(first.status, RIFA_OK) << first.error;
  EXPECT_EQ(json::parse(first.result)["status"], "succeeded");
  EXPECT_EQ(json::parse(first.result)["refund_ref"].get<std::string>().rfind("sbx_re_", 0), 0u);
  EXPECT_EQ(sandbox->refund(request).result, first.result);

  auto conflict =
      sandbox->refund(json({{"provider_ref", ref}, {"amount_cents", 2500}, {"idempotency_key", "refund-1"}}).dump());
  EXPECT_EQ(conflict.status, RIFA_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(conflict.error, "idempotency key 'refund-1' was already used with amount_cents 2000, not 2500");

  auto too_much =
      sandbox->refund(json({{"provider_ref", ref}, {"amount_cents", 3001}, {"idempotency_key", "refund-2"}}).dump());
  EXPECT_EQ(too_much.status, RIFA_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(too_much.error, "refund of 3001 cents exceeds the 3000 cents still refundable on '" + ref + "'");

  ASSERT_EQ(
      sandbox->refund(json({{"provider_ref", ref}, {"amount_cents", 3000}, {"idempotency_key", "refund-3"}}).dump())
          .status,
      RIFA_OK);
  EXPECT_EQ(json::parse(sandbox->get_payment(ref).result)["status"], "refunded");

  auto unknown = sandbox->refund(R"({"provider_ref": "sbx_nope", "amount_cents": 1, "idempotency_key": "refund-4"})");
  EXPECT_EQ(unknown.status, RIFA_ERR_NOT_FOUND);
}

TEST_F(PaymentSandboxTest, DelayedConfirmationPostsASignedWebhookThroughTheHost) {
  host_.respond(kWebhookUrl, 200, "ok");
  auto sandbox = make({{"confirm", "delayed"}, {"confirm_delay_ms", 50}, {"webhook_url", kWebhookUrl}});
  const int64_t created_at_ms = host_.now_unix_ms();
  auto created = sandbox->create_payment(payment_request(7000, "key-delayed"));
  ASSERT_EQ(created.status, RIFA_OK) << created.error;
  EXPECT_EQ(json::parse(created.result)["status"], "pending");
  const std::string ref = json::parse(created.result)["provider_ref"];

  // get_payment follows the host clock, not the webhook thread.
  EXPECT_EQ(json::parse(sandbox->get_payment(ref).result)["status"], "pending");
  host_.set_now_unix_ms(created_at_ms + 50);
  EXPECT_EQ(json::parse(sandbox->get_payment(ref).result)["status"], "succeeded");

  ASSERT_TRUE(host_.wait_for_requests(1, std::chrono::seconds(10))) << "no webhook was POSTed";
  const auto request = host_.requests().at(0);
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.url, kWebhookUrl);
  const json event = json::parse(request.body);
  EXPECT_EQ(event["type"], "payment.succeeded");
  EXPECT_EQ(event["provider_ref"], ref);
  EXPECT_EQ(event["amount_cents"], 7000);
  EXPECT_EQ(event["currency"], "COP");
  const int64_t t = event["created"];
  EXPECT_NE(request.headers.find("Content-Type: application/json\n"), std::string::npos) << request.headers;
  EXPECT_NE(request.headers.find("rifa-sandbox-signature: t=" + std::to_string(t) +
                                 ",v1=" + hmac_sha256_hex(kSecret, std::to_string(t) + "." + request.body) + "\n"),
            std::string::npos)
      << request.headers;
  // The host's webhook endpoint would hand the request back to the plugin: it verifies.
  std::string lowered = request.headers;
  lowered.replace(lowered.find("Content-Type"), 12, "content-type");
  auto verified = sandbox->verify_webhook("POST", lowered, request.body);
  EXPECT_EQ(verified.status, RIFA_OK) << verified.error;
  sandbox.reset();  // joins the webhook thread
  EXPECT_EQ(host_.outstanding_responses(), 0) << "the host's response was not released";
  EXPECT_EQ(host_.requests().size(), 1u) << "the webhook was sent more than once";
}

TEST_F(PaymentSandboxTest, DelayedModeNeedsAWebhookUrl) {
  PluginHarness harness(manifest_, host_, "sandbox",
                        json({{"webhook_secret", kSecret}, {"confirm", "delayed"}}).dump());
  EXPECT_EQ(harness.create_outcome().status, RIFA_ERR_CONFIG);
  EXPECT_EQ(harness.create_outcome().error, "webhook_url is required when confirm is 'delayed'");
}

TEST_F(PaymentSandboxTest, StateFileSurvivesARestartAndPayoutsDoNotDouble) {
  const fs::path state = temp_dir() / "sandbox-state.jsonl";
  const std::string payout_request = R"({"amount_cents": 90000, "currency": "COP", "idempotency_key": "win-1"})";
  std::string ref;
  std::string payout_answer;
  {
    auto first = make({{"state_file", state.string()}, {"confirm", "manual"}});
    ref = json::parse(first->create_payment(payment_request(5000, "key-s")).result)["provider_ref"];
    payout_answer = first->payout(payout_request).result;
    ASSERT_FALSE(payout_answer.empty());
  }
  auto second = make({{"state_file", state.string()}, {"confirm", "manual"}});
  auto payment = second->get_payment(ref);
  ASSERT_EQ(payment.status, RIFA_OK) << payment.error;
  EXPECT_EQ(json::parse(payment.result)["status"], "pending");
  EXPECT_EQ(second->payout(payout_request).result, payout_answer);
  EXPECT_EQ(second->create_payment(payment_request(5000, "key-s")).result,
            json({{"provider_ref", ref}, {"status", "pending"}}).dump());

  std::ifstream in(state);
  std::string line;
  int payout_lines = 0;
  while (std::getline(in, line)) payout_lines += json::parse(line)["kind"] == "payout";
  EXPECT_EQ(payout_lines, 1);
}

// Two hosts running at once on one state file are one provider: a payout key sent to the first
// and retried on the second (the first died before recording the answer) is paid once.
TEST_F(PaymentSandboxTest, TwoLiveInstancesSharingAStateFileHonourEachOthersKeys) {
  const fs::path state = temp_dir() / "shared-state.jsonl";
  auto first = make({{"state_file", state.string()}});
  auto second = make({{"state_file", state.string()}});
  const std::string payout_request = R"({"amount_cents": 70000, "currency": "COP", "idempotency_key": "ganador-7"})";
  const std::string answer = first->payout(payout_request).result;
  ASSERT_FALSE(answer.empty());
  EXPECT_EQ(second->payout(payout_request).result, answer);
  const std::string payment = first->create_payment(payment_request(5000, "key-shared")).result;
  EXPECT_EQ(second->create_payment(payment_request(5000, "key-shared")).result, payment);
  // And the other way round, after the second wrote last.
  const std::string payout_2 = R"({"amount_cents": 10000, "currency": "COP", "idempotency_key": "ganador-8"})";
  const std::string answer_2 = second->payout(payout_2).result;
  EXPECT_EQ(first->payout(payout_2).result, answer_2);

  std::ifstream in(state);
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) {
    ++lines;
    EXPECT_FALSE(json::parse(line, nullptr, false).is_discarded()) << "torn line: " << line;
  }
  EXPECT_EQ(lines, 3);  // one payout, one payment, one payout: no record written twice

  // A line another writer broke is refused by every later call, named by its own line number.
  std::ofstream(state, std::ios::app) << "{broken\n";
  for (int attempt = 0; attempt < 2; ++attempt) {
    const auto refused = first->payout(R"({"amount_cents": 1, "currency": "COP", "idempotency_key": "ganador-9"})");
    EXPECT_EQ(refused.status, RIFA_ERR_INTERNAL);
    EXPECT_NE(refused.error.find("state_file " + state.string() + ":4: not JSON"), std::string::npos) << refused.error;
  }
}

TEST_F(PaymentSandboxTest, CorruptStateFileRefusesTheInstance) {
  const fs::path state = temp_dir() / "broken.jsonl";
  std::ofstream(state) << "{not json\n";
  PluginHarness harness(manifest_, host_, "sandbox",
                        json({{"webhook_secret", kSecret}, {"state_file", state.string()}}).dump());
  EXPECT_EQ(harness.create_outcome().status, RIFA_ERR_CONFIG);
  EXPECT_EQ(harness.create_outcome().error.rfind("state_file " + state.string() + ":1: not JSON (", 0), 0u)
      << harness.create_outcome().error;
}

}  // namespace
}  // namespace rifa::testing
