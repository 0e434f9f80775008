// notifier_webhook, loaded as the host loads it (the real library, the host's libcurl transport),
// posting to a real loopback HTTP server; what arrived is verified by the official Standard
// Webhooks library (the `standardwebhooks` npm package, run with node), as a receiver would: the
// signatures verify under every rotated secret, and a tampered body, an old timestamp or a wrong
// secret fail there. Skipped, saying why, when the package is not installed (scripts/test.sh
// installs it with npm into the build folder).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include "loopback_http_server.hpp"
#include "plugin_runtime/curl_transport.hpp"
#include "plugin_runtime/plugin_registry.hpp"
#include "test_database.hpp"

namespace rifa::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Three keys of 24 bytes, base64.
const std::string kSecretOld = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const std::string kSecretNew = "whsec_c2VjcmV0LWtleS1udW1iZXItdHdvLTI0Yg==";
const std::string kSecretOther = "whsec_b3RoZXItZW5kcG9pbnQta2V5LTAxMjM0NTY3";

fs::path npm_dir() {
  if (const char* dir = std::getenv("RIFA_STANDARDWEBHOOKS_DIR")) return dir;
  return RIFA_NPM_STANDARDWEBHOOKS_DIR;
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class WebhookSignatureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(npm_dir() / "node_modules" / "standardwebhooks" / "package.json")) {
      GTEST_SKIP() << "the standardwebhooks npm package is not installed in " << npm_dir()
                   << " (the standardwebhooks_npm_install CTest fixture installs it; it needs npm and the registry)";
    }
    if (std::system("node --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "node is not installed";
  }

  // Loads an instance of the real plugin; `clock_offset_ms` moves the host clock it is given.
  plugin_runtime::PluginInstance* load(const std::string& id, json config, int64_t clock_offset_ms = 0) {
    plugin_runtime::HostServices services;
    services.logger = std::make_shared<spdlog::logger>("plugin", std::make_shared<spdlog::sinks::null_sink_mt>());
    services.now_unix_ms = [clock_offset_ms] { return now_ms() + clock_offset_ms; };
    plugin_runtime::CurlTransportOptions options;
    options.egress_allow = {"127.0.0.1"};
    options.retries = 0;
    services.transport = std::make_shared<plugin_runtime::CurlTransport>(options);
    auto added =
        registry_.add({id, fs::path(RIFA_PLUGIN_DIR) / "libnotifier_webhook.so", RIFA_KIND_NOTIFIER, config}, services);
    EXPECT_TRUE(added.ok()) << added.error().message;
    return registry_.find(id).get();
  }

  static json event(const std::string& id, const std::string& type) {
    return {{"event_id", id},
            {"type", type},
            {"occurred_at", "2026-12-07T23:00:00.000Z"},
            {"rifa_id", "7d1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f"},
            {"data", {{"numero", 42}, {"monto_ganado", 1250000}, {"nombre_rifa", "Navidad en Bogotá"}}},
            {"recipient", {{"usuario_id", "u-1"}}}};
  }

  // One verification per case, by the official library.
  json verify(const json& cases) {
    const fs::path file = dir_.path() / "cases.json";
    std::ofstream(file) << cases.dump();
    const std::string command =
        "node " + std::string(RIFA_VERIFY_SCRIPT) + " " + npm_dir().string() + " " + file.string();
    std::string out;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) return json();
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
    EXPECT_EQ(::pclose(pipe), 0) << command;
    return json::parse(out);
  }

  static json as_case(const RecordedRequest& r, const std::string& secret, const std::string& body) {
    return {{"secret", secret},
            {"headers",
             {{"webhook-id", r.headers.at("webhook-id")},
              {"webhook-timestamp", r.headers.at("webhook-timestamp")},
              {"webhook-signature", r.headers.at("webhook-signature")}}},
            {"body", body}};
  }

  TempDir dir_;
  plugin_runtime::PluginRegistry registry_;
};

TEST_F(WebhookSignatureTest, TheOfficialLibraryVerifiesEveryRotatedSecretAndRefusesForgeries) {
  LoopbackHttpServer server;
  auto* hook = load("hook", {{"endpoints",
                              {{{"id", "app"}, {"url", server.url("/app")}, {"secrets", {kSecretOld, kSecretNew}}},
                               {{"id", "winners"},
                                {"url", server.url("/winners")},
                                {"secrets", {kSecretOther}},
                                {"event_types", {"winner"}}}}}});
  ASSERT_NE(hook, nullptr);
  auto opened = hook->deliver(event("evt-opened-1", "rifa_opened").dump());
  ASSERT_TRUE(opened.ok()) << opened.error;
  auto won = hook->deliver(event("evt-winner-1", "winner").dump());
  ASSERT_TRUE(won.ok()) << won.error;

  // The filter: /winners took only the winner; /app took both.
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  std::vector<RecordedRequest> app, winners;
  for (const auto& r : requests) (r.target == "/app" ? app : winners).push_back(r);
  ASSERT_EQ(app.size(), 2u);
  ASSERT_EQ(winners.size(), 1u);
  EXPECT_EQ(winners[0].headers.at("webhook-id"), "evt-winner-1");
  EXPECT_EQ(app[0].method, "POST");
  EXPECT_EQ(app[0].headers.at("content-type"), "application/json");
  // Two signatures (the rotation), one per secret.
  EXPECT_EQ(app[0].headers.at("webhook-signature").find("v1,"), 0u);
  EXPECT_NE(app[0].headers.at("webhook-signature").find(" v1,"), std::string::npos);

  json cases = json::array();
  for (const auto& r : app) {
    cases.push_back(as_case(r, kSecretOld, r.body));    // 0, 4: the old secret verifies
    cases.push_back(as_case(r, kSecretNew, r.body));    // 1, 5: so does the new one
    cases.push_back(as_case(r, kSecretOther, r.body));  // 2, 6: a wrong secret does not
    std::string tampered = r.body;
    tampered.replace(tampered.find("42"), 2, "43");
    cases.push_back(as_case(r, kSecretOld, tampered));  // 3, 7: a tampered body does not
  }
  cases.push_back(as_case(winners[0], kSecretOther, winners[0].body));  // 8
  cases.push_back(as_case(winners[0], kSecretOld, winners[0].body));    // 9: not this endpoint's secret
  const json results = verify(cases);
  ASSERT_EQ(results.size(), cases.size()) << results.dump();
  const std::vector<bool> expected = {true, true, false, false, true, true, false, false, true, false};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(results[i]["ok"].get<bool>(), expected[i]) << "case " << i << ": " << results[i].dump();
  }
  // What the library hands the receiver: the event, its id the webhook-id.
  const json& payload = results[4]["payload"];
  EXPECT_EQ(payload["type"], "winner");
  EXPECT_EQ(payload["timestamp"], "2026-12-07T23:00:00.000Z");
  EXPECT_EQ(payload["data"]["event_id"], "evt-winner-1");
  EXPECT_EQ(payload["data"]["numero"], 42);
  EXPECT_EQ(payload["data"]["nombre_rifa"], "Navidad en Bogotá");
  EXPECT_EQ(payload["data"]["recipient"]["usuario_id"], "u-1");
}

TEST_F(WebhookSignatureTest, AMessageSignedTenMinutesAgoIsRefusedAsTooOld) {
  LoopbackHttpServer server;
  // The host's clock, which the plugin signs with, is ten minutes behind the receiver's.
  auto* hook =
      load("late", {{"endpoints", {{{"url", server.url("/app")}, {"secrets", {kSecretOld}}}}}}, -10 * 60 * 1000);
  ASSERT_NE(hook, nullptr);
  ASSERT_TRUE(hook->deliver(event("evt-late", "rifa_closed").dump()).ok());
  ASSERT_EQ(server.requests().size(), 1u);
  const json results = verify(json::array({as_case(server.requests()[0], kSecretOld, server.requests()[0].body)}));
  ASSERT_EQ(results.size(), 1u);
  EXPECT_FALSE(results[0]["ok"].get<bool>());
  EXPECT_NE(results[0]["error"].get<std::string>().find("too old"), std::string::npos) << results[0].dump();
}

}  // namespace
}  // namespace rifa::testing
