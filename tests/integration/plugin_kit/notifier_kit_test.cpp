// The conformance kit on notifiers: the recorded cases of fixtures/notifiers pass on the shipped
// notifier_webhook and notifier_email, each kind of assertion can fail (outcome, retry hint,
// request count, signature, recorded body), and a notifier that calls a 500 delivered fails with
// what it should have done.
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include "app/plugin_check.hpp"
#include "plugin_runtime/cassette.hpp"
#include "plugin_runtime/plugin_notifier_gateway.hpp"
#include "plugin_runtime/plugin_registry.hpp"

namespace rifa::app {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kWebhook = fs::path(RIFA_PLUGIN_DIR) / "libnotifier_webhook.so";
const fs::path kEmail = fs::path(RIFA_PLUGIN_DIR) / "libnotifier_email.so";
const fs::path kKitOk = fs::path(RIFA_KIT_PLUGIN_DIR) / "libnotifier_kit_ok.so";
const fs::path kKitLax = fs::path(RIFA_KIT_PLUGIN_DIR) / "libnotifier_kit_lax.so";
const fs::path kFixtures = fs::path(RIFA_SOURCE_DIR) / "fixtures" / "notifiers";

const char* kWebhookConfig =
    R"({"endpoints":[{"url":"https://hooks.example.co/kit","secrets":["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]}]})";
const char* kEmailConfig = R"({"smtp_url":"smtp://127.0.0.1:9","from":"Rifa <a@b.co>","contact":["email"]})";

struct Checked {
  int failures = 0;
  std::string output;
};

Checked check(const fs::path& library, const fs::path& fixtures, std::optional<std::string> config = std::nullopt) {
  PluginCheckOptions options;
  options.library = library;
  options.config_json = std::move(config);
  options.fixtures_dir = fixtures;
  options.now_unix_ms = 1769176800000;  // 2026-01-23T14:00:00Z
  std::ostringstream out;
  Checked checked;
  checked.failures = run_plugin_check(options, out);
  checked.output = out.str();
  return checked;
}

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("notifier_kit_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

json read_json(const fs::path& file) {
  std::ifstream in(file);
  return json::parse(in);
}

void write_json(const fs::path& file, const json& doc) {
  fs::create_directories(file.parent_path());
  std::ofstream(file) << doc.dump(2) << "\n";
}

// A copy of one shipped case, changed by `edit`, alone in a folder.
fs::path edited_case(const TempDir& dir, const std::string& kind, const std::string& name,
                     const std::function<void(json&)>& edit) {
  const fs::path to = dir.path() / name;
  fs::copy(kFixtures / kind / name, to, fs::copy_options::recursive);
  json doc = read_json(to / "case.json");
  edit(doc);
  write_json(to / "case.json", doc);
  return dir.path();
}

TEST(NotifierKit, TheShippedWebhookCasesPass) {
  const auto checked = check(kWebhook, kFixtures / "webhook", kWebhookConfig);
  EXPECT_EQ(checked.failures, 0) << checked.output;
  EXPECT_NE(checked.output.find("PASS  gone-410: permanent (declined), permanent (declined)"), std::string::npos)
      << checked.output;
  EXPECT_NE(checked.output.find("PASS  redirect-not-followed: retry (transport)"), std::string::npos) << checked.output;
  EXPECT_NE(checked.output.find("10 passed, 0 failed"), std::string::npos) << checked.output;
}

TEST(NotifierKit, TheShippedEmailCasesPassOverALoopbackSmtpResponder) {
  const auto checked = check(kEmail, kFixtures / "email", kEmailConfig);
  EXPECT_EQ(checked.failures, 0) << checked.output;
  EXPECT_NE(checked.output.find("PASS  mailbox-unknown-550: permanent (declined)"), std::string::npos)
      << checked.output;
  EXPECT_NE(checked.output.find("PASS  timeout: retry (timeout)"), std::string::npos) << checked.output;
  EXPECT_NE(checked.output.find("10 passed, 0 failed"), std::string::npos) << checked.output;
}

TEST(NotifierKit, CasesOfAnotherLibraryAreSkipped) {
  const auto checked = check(kWebhook, kFixtures, kWebhookConfig);
  EXPECT_EQ(checked.failures, 0) << checked.output;
  EXPECT_NE(checked.output.find("SKIP  email/delivered-250: for library notifier_email, not libnotifier_webhook.so"),
            std::string::npos)
      << checked.output;
  EXPECT_NE(checked.output.find("10 passed, 0 failed, 10 skipped (other libraries)"), std::string::npos)
      << checked.output;
}

TEST(NotifierKit, AWrongExpectedOutcomeFailsSayingWhatThePluginShouldDo) {
  TempDir dir;
  // The case now claims a 500 is a delivery: the real plugin (right) disagrees, and the kit says so.
  const auto root = edited_case(dir, "webhook", "server-error-500", [](json& doc) {
    doc["steps"][0]["expected"] = {{"outcome", "delivered"}, {"http", doc["steps"][0]["expected"]["http"]}};
  });
  const auto checked = check(kWebhook, root, kWebhookConfig);
  EXPECT_EQ(checked.failures, 1) << checked.output;
  EXPECT_NE(checked.output.find("FAIL  server-error-500: retry (transport)"), std::string::npos) << checked.output;
  EXPECT_NE(checked.output.find("which the host takes as retry; it should answer RIFA_OK"), std::string::npos)
      << checked.output;
}

TEST(NotifierKit, AWrongRetryHintFails) {
  TempDir dir;
  const auto root = edited_case(dir, "webhook", "rate-limited-429",
                                [](json& doc) { doc["steps"][0]["expected"]["retry_after_s"] = 60; });
  const auto checked = check(kWebhook, root, kWebhookConfig);
  EXPECT_EQ(checked.failures, 1) << checked.output;
  EXPECT_NE(checked.output.find("the plugin's retry hint is 120 s; it should answer {\"retry_after_s\": 60}"),
            std::string::npos)
      << checked.output;
}

TEST(NotifierKit, ASignatureThatDoesNotVerifyWithTheCasesSecretFails) {
  TempDir dir;
  const auto root = edited_case(dir, "webhook", "delivered-2xx", [](json& doc) {
    doc["steps"][0]["expected"]["http"][0]["standard_webhooks_secret"] = "whsec_QWxsIHlvdXIgYmFzZSBhcmUgYmVsb25n";
  });
  const auto checked = check(kWebhook, root, kWebhookConfig);
  EXPECT_EQ(checked.failures, 1) << checked.output;
  EXPECT_NE(checked.output.find("no signature in webhook-signature"), std::string::npos) << checked.output;
}

TEST(NotifierKit, ARequestTheCassetteDoesNotHoldFails) {
  TempDir dir;
  // The recorded receiver saw another body: whatever the plugin answers, the step fails on it.
  const auto root = edited_case(dir, "webhook", "server-error-500", [](json&) {});
  json cassette = read_json(root / "server-error-500" / "exchanges.json");
  cassette["exchanges"][0]["request"]["body"] = "{}";
  write_json(root / "server-error-500" / "exchanges.json", cassette);
  const auto checked = check(kWebhook, root, kWebhookConfig);
  EXPECT_EQ(checked.failures, 1) << checked.output;
  EXPECT_NE(checked.output.find("is not in the cassette"), std::string::npos) << checked.output;
}

TEST(NotifierKit, AnEmailCaseExpectingARecipientTheMailDidNotHaveFails) {
  TempDir dir;
  const auto root = edited_case(dir, "email", "delivered-250", [](json& doc) {
    doc["steps"][0]["expected"]["smtp"]["rcpt_to"] = json::array({"<otro@example.co>"});
  });
  const auto checked = check(kEmail, root, kEmailConfig);
  EXPECT_EQ(checked.failures, 1) << checked.output;
  EXPECT_NE(checked.output.find("RCPT TO [\"<ana.gomez@example.co>\"], expected [\"<otro@example.co>\"]"),
            std::string::npos)
      << checked.output;
}

// Cases for the kit notifiers (they post the event as given): a 500, then a 200.
fs::path kit_cases(const TempDir& dir) {
  const json event = {{"event_id", "evt-kit-1"},
                      {"type", "winner"},
                      {"occurred_at", "2026-01-23T13:58:12.000Z"},
                      {"rifa_id", "r-1"},
                      {"data", json::object()}};
  for (const std::string library : {"notifier_kit_ok", "notifier_kit_lax"}) {
    const fs::path folder = dir.path() / library / "server-error-then-ok";
    write_json(
        folder / "case.json",
        {{"version", 1},
         {"library", library},
         {"config", {{"url", "https://receiver.example/events"}}},
         {"now", "2026-01-23T14:00:00.000Z"},
         {"steps",
          {{{"event", event},
            {"expected",
             {{"outcome", "retry"},
              {"because", "the receiver answered 500"},
              {"http", {{{"url", "https://receiver.example/events"}, {"headers", {{"webhook-id", "evt-kit-1"}}}}}}}}},
           {{"event", event},
            {"expected", {{"outcome", "delivered"}, {"http", {{{"url", "https://receiver.example/events"}}}}}}}}}});
    write_json(
        folder / "exchanges.json",
        {{"version", 1},
         {"exchanges",
          {{{"request", {{"method", "POST"}, {"url", "https://receiver.example/events"}, {"body", event.dump()}}},
            {"response", {{"status", 500}, {"headers", ""}}}},
           {{"request", {{"method", "POST"}, {"url", "https://receiver.example/events"}, {"body", event.dump()}}},
            {"response", {{"status", 200}, {"headers", ""}}}}}}});
  }
  return dir.path();
}

TEST(NotifierKit, ANotifierThatRetriesOnA500Passes) {
  TempDir dir;
  const auto checked = check(kKitOk, kit_cases(dir));
  EXPECT_EQ(checked.failures, 0) << checked.output;
  EXPECT_NE(checked.output.find("PASS  notifier_kit_ok/server-error-then-ok: retry (transport), delivered (ok)"),
            std::string::npos)
      << checked.output;
}

TEST(NotifierKit, ANotifierThatCallsA500DeliveredFails) {
  TempDir dir;
  const auto checked = check(kKitLax, kit_cases(dir));
  EXPECT_EQ(checked.failures, 1) << checked.output;
  EXPECT_NE(checked.output.find("FAIL  notifier_kit_lax/server-error-then-ok: delivered"), std::string::npos)
      << checked.output;
  EXPECT_NE(checked.output.find("step 1: the plugin answered ok, which the host takes as delivered; it should answer "
                                "RIFA_ERR_TRANSPORT or RIFA_ERR_TIMEOUT"),
            std::string::npos)
      << checked.output;
  EXPECT_NE(checked.output.find("the receiver answered 500"), std::string::npos) << checked.output;
}

// What the job queue is told (plugin_runtime/plugin_notifier_gateway.cpp): the real notifier_webhook,
// through the host's gateway, over the shipped cases' cassettes.
Error deliver_through_gateway(const std::string& case_name) {
  const fs::path dir = kFixtures / "webhook" / case_name;
  const json doc = read_json(dir / "case.json");
  auto cassette = plugin_runtime::Cassette::load(dir);
  EXPECT_TRUE(cassette.ok());
  plugin_runtime::HostServices services;
  services.logger = std::make_shared<spdlog::logger>("gateway-test", std::make_shared<spdlog::sinks::null_sink_mt>());
  services.now_unix_ms = [] { return int64_t{1769176800000}; };
  services.transport = std::make_shared<plugin_runtime::ReplayTransport>(std::move(*cassette), dir);
  plugin_runtime::PluginRegistry registry;
  auto added = registry.add({"hooks", kWebhook, RIFA_KIND_NOTIFIER, doc["config"]}, services);
  EXPECT_TRUE(added.ok()) << added.error().message;
  plugin_runtime::PluginNotifierGateway gateway(registry);
  auto delivered = gateway.deliver("hooks", "winner", doc["steps"][0]["event"]);
  EXPECT_FALSE(delivered.ok());
  return delivered.ok() ? Error{} : delivered.error();
}

TEST(NotifierGateway, A410IsPermanentAndA429CarriesItsRetryAfter) {
  const Error gone = deliver_through_gateway("gone-410");
  EXPECT_EQ(gone.code, ErrorCode::kPaymentDeclined) << gone.message;  // given up: the notify.deliver JobPolicy
  EXPECT_NE(gone.message.find("(declined)"), std::string::npos) << gone.message;
  const Error busy = deliver_through_gateway("rate-limited-429");
  EXPECT_EQ(busy.code, ErrorCode::kUnavailable) << busy.message;
  EXPECT_EQ(busy.retry_after_s, 120) << busy.message;
  const Error down = deliver_through_gateway("server-error-500");
  EXPECT_EQ(down.code, ErrorCode::kUnavailable);
  EXPECT_EQ(down.retry_after_s, 0) << "no Retry-After: the queue's own backoff";
}

}  // namespace
}  // namespace rifa::app
