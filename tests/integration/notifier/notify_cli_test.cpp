// `rifa-host notify test --instance ID --to ADDRESS` (issue 14, item 5), run as an admin runs it:
// the real binary, a config with a webhook notifier pointing at a loopback HTTP server; and the
// conformance kit (`plugins check`) on both new notifier libraries.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "host_process.hpp"
#include "loopback_http_server.hpp"

namespace rifa::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

RunResult host(const std::vector<std::string>& args) { return run_host(RIFA_HOST_BINARY, args, RIFA_SOURCE_DIR); }

std::string plugin(const std::string& name) { return std::string(RIFA_PLUGIN_DIR) + "/lib" + name + ".so"; }

class NotifyCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("rifa-notify-cli-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write_config(const std::string& hook_url, const std::string& contact) {
    const fs::path file = dir_ / "rifa.yaml";
    std::ofstream(file) << "database: {url: \"sqlite3://" << (dir_ / "rifa.db").string() << "\"}\n"
                        << "plugins:\n"
                        << "  search_path: [" << RIFA_PLUGIN_DIR << "]\n"
                        << "  http: {egress_allow: [\"127.0.0.1\"], retries: 0}\n"
                        << "  instances:\n"
                        << "    mock: {library: lottery_mock, kind: lottery, config: {seed: demo}}\n"
                        << "    sandbox: {library: payment_sandbox, kind: payment, config: {webhook_secret: "
                           "notify-cli-test-secret-0123456789abcdef}}\n"
                        << "    hook:\n"
                        << "      library: notifier_webhook\n"
                        << "      kind: notifier\n"
                        << "      config:\n"
                        << "        endpoints: [{url: \"" << hook_url
                        << "\", secrets: [whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw]}]\n"
                        << "        contact: " << contact << "\n"
                        << "    log: {library: notifier_log, kind: notifier}\n"
                        << "bindings:\n"
                        << "  defaults: {lottery: mock, payment: sandbox, notifiers: [hook]}\n";
    return file;
  }
  fs::path dir_;
};

TEST_F(NotifyCliTest, SendsASampleEventThroughTheNamedNotifierToTheAddress) {
  LoopbackHttpServer server;
  const fs::path config = write_config(server.url("/hook"), "[email, nombre]");
  auto r = host({"--config", config.string(), "notify", "test", "--instance", "hook", "--to", "ops@example.co"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("delivered receipt prueba-"), std::string::npos) << r.out;
  ASSERT_EQ(server.requests().size(), 1u);
  const auto request = server.requests()[0];
  ASSERT_TRUE(request.headers.count("webhook-signature")) << request.body;
  EXPECT_EQ(request.headers.at("webhook-signature").rfind("v1,", 0), 0u);
  const json body = json::parse(request.body);
  EXPECT_EQ(body["type"], "receipt");
  EXPECT_EQ(body["data"]["recipient"]["email"], "ops@example.co");
  EXPECT_EQ(body["data"]["recipient"]["nombre"], "Prueba");
  EXPECT_FALSE(body["data"]["recipient"].contains("telefono"));  // not declared: not given

  auto winner = host({"--config", config.string(), "notify", "test", "--instance", "hook", "--to", "ops@example.co",
                      "--type", "winner"});
  ASSERT_EQ(winner.exit_code, 0) << winner.out << winner.err;
  ASSERT_EQ(server.requests().size(), 2u);
  EXPECT_EQ(json::parse(server.requests()[1].body)["type"], "winner");
}

TEST_F(NotifyCliTest, AFailingNotifierOrAnUnknownInstanceIsReportedWithAnExitStatus) {
  LoopbackHttpServer down([](size_t) { return 503; });
  const fs::path config = write_config(down.url("/hook"), "[email]");
  auto failed = host({"--config", config.string(), "notify", "test", "--instance", "hook", "--to", "ops@example.co"});
  EXPECT_EQ(failed.exit_code, 1) << failed.out << failed.err;
  EXPECT_NE(failed.err.find("answered HTTP 503"), std::string::npos) << failed.err;
  auto unknown = host({"--config", config.string(), "notify", "test", "--instance", "mock", "--to", "ops@example.co"});
  EXPECT_EQ(unknown.exit_code, 4) << unknown.out << unknown.err;
  EXPECT_NE(unknown.err.find("'mock' is not a loaded notifier instance"), std::string::npos) << unknown.err;
  auto usage = host({"--config", config.string(), "notify", "test", "--instance", "hook"});
  EXPECT_EQ(usage.exit_code, 64);
  EXPECT_NE(usage.err.find("'notify test' needs --instance ID and --to ADDRESS"), std::string::npos) << usage.err;
}

// The kit's transport times every request out and its sample event is a rifa_opened, so the
// webhook instance under test takes winners only (delivering nothing is a delivery).
TEST_F(NotifyCliTest, TheConformanceKitPassesBothNewNotifiers) {
  auto webhook = host({"plugins", "check", plugin("notifier_webhook"), "--config-json",
                       R"({"endpoints":[{"url":"http://127.0.0.1:9/","event_types":["winner"],)"
                       R"("secrets":["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]}]})"});
  EXPECT_EQ(webhook.exit_code, 0) << webhook.out << webhook.err;
  auto email = host({"plugins", "check", plugin("notifier_email"), "--config-json",
                     R"({"smtp_url":"smtp://127.0.0.1:9","from":"Rifa <a@b.co>","contact":["email"]})"});
  EXPECT_EQ(email.exit_code, 0) << email.out << email.err;
}

}  // namespace
}  // namespace rifa::testing
