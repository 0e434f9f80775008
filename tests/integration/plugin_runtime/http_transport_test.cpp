// The host's HTTP transport over real loopback sockets, and record → replay of a plugin's traffic.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <spdlog/sinks/null_sink.h>

#include "plugin_runtime/cassette.hpp"
#include "plugin_runtime/curl_transport.hpp"
#include "server/http_server.hpp"

namespace rifa::plugin_runtime {
namespace {

namespace fs = std::filesystem;

class HttpTransportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.add("GET", "/page", [](api::Request&) {
      api::Response r;
      r.content_type = "text/html";
      r.body = "<html><body>Sorteo 2830</body></html>";
      return r;
    });
    router_.add("POST", "/echo", [](api::Request& req) { return api::json_response(200, req.body); });
    router_.add("GET", "/slow", [](api::Request&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      return api::json_response(200, "{}");
    });
    router_.add("GET", "/moved", [](api::Request&) {
      api::Response r;
      r.status = 302;
      r.headers.emplace_back("Location", "/page");
      return r;
    });
    router_.add("POST", "/moved", [](api::Request&) {
      api::Response r;
      r.status = 307;
      r.headers.emplace_back("Location", "/echo");
      return r;
    });
    api::ServerOptions options;
    options.port = 0;
    options.io_threads = 2;
    server_ = std::make_unique<api::HttpServer>(options, router_, spdlog::null_logger_mt("transport-test-" + unique()),
                                                nullptr);
    ASSERT_TRUE(server_->start().ok());
    base_ = "http://127.0.0.1:" + std::to_string(server_->port());
    dir_ = fs::temp_directory_path() / ("rifa-cassette-" + unique());
  }
  void TearDown() override {
    server_->stop();
    fs::remove_all(dir_);
  }
  static std::string unique() { return std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()); }
  CurlTransportOptions options(std::vector<std::string> allow = {"127.0.0.1"}) {
    CurlTransportOptions o;
    o.egress_allow = std::move(allow);
    o.retries = 0;
    return o;
  }

  api::Router router_;
  std::unique_ptr<api::HttpServer> server_;
  std::string base_;
  fs::path dir_;
};

TEST_F(HttpTransportTest, FetchesAPageOverLoopback) {
  CurlTransport transport(options());
  auto r = transport.perform({"GET", base_ + "/page", {}, "", 0});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "<html><body>Sorteo 2830</body></html>");
  EXPECT_NE(r->headers.find("content-type: text/html"), std::string::npos) << r->headers;
}

TEST_F(HttpTransportTest, TimesOutWithAClearError) {
  CurlTransport transport(options());
  auto started = std::chrono::steady_clock::now();
  auto r = transport.perform({"GET", base_ + "/slow", {}, "", 200});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kTimeout);
  EXPECT_EQ(r.error().message.rfind("GET " + base_ + "/slow: timed out after 200 ms", 0), 0u) << r.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(1400));
}

TEST_F(HttpTransportTest, EgressOutsideTheAllowListIsRefused) {
  CurlTransport transport(options({"*.baloto.com"}));
  auto r = transport.perform({"GET", base_ + "/page", {}, "", 0});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(r.error().message, "egress to host '127.0.0.1' is not in plugins.http.egress_allow");
}

TEST_F(HttpTransportTest, EgressGlobs) {
  EXPECT_TRUE(egress_allowed({"*.baloto.com"}, "www.baloto.com"));
  EXPECT_FALSE(egress_allowed({"*.baloto.com"}, "baloto.com"));
  EXPECT_FALSE(egress_allowed({"*.baloto.com"}, "evilbaloto.com"));
  EXPECT_TRUE(egress_allowed({"baloto.com"}, "baloto.com"));
  EXPECT_TRUE(egress_allowed({"*"}, "anything.example"));
  EXPECT_FALSE(egress_allowed({}, "baloto.com"));
  EXPECT_EQ(url_host("https://user:pw@WWW.Baloto.com:443/resultados?page=1"), "www.baloto.com");
}

TEST_F(HttpTransportTest, FollowsRedirectsAndRejectsOtherSchemes) {
  CurlTransport transport(options());
  auto r = transport.perform({"GET", base_ + "/moved", {}, "", 0});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->effective_url, base_ + "/page");
  auto file = transport.perform({"GET", "file:///etc/passwd", {}, "", 0});
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error().code, ErrorCode::kInvalidArgument);
}

// A POST's body (a signed webhook event) never goes to a place the plugin did not name: the 3xx is
// handed back as the answer.
TEST_F(HttpTransportTest, APostIsNotRedirected) {
  CurlTransport transport(options());
  auto r = transport.perform({"POST", base_ + "/moved", {}, R"({"event":"winner"})", 0});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 307);
  EXPECT_EQ(r->effective_url, base_ + "/moved");
  EXPECT_NE(r->headers.find("location: /echo"), std::string::npos) << r->headers;
}

TEST_F(HttpTransportTest, RecordsThenReplaysWithoutTheNetwork) {
  auto live = std::make_shared<CurlTransport>(options());
  {
    RecordingTransport recorder(live, dir_);
    ASSERT_TRUE(recorder.perform({"GET", base_ + "/page", {}, "", 0}).ok());
    ASSERT_TRUE(recorder.perform({"POST", base_ + "/echo", {}, R"({"sorteo":2830})", 0}).ok());
    auto timed_out = recorder.perform({"GET", base_ + "/slow", {}, "", 200});
    ASSERT_FALSE(timed_out.ok());
  }
  server_->stop();  // from here on, only the cassette can answer

  auto cassette = Cassette::load(dir_);
  ASSERT_TRUE(cassette.ok()) << cassette.error().message;
  ASSERT_EQ(cassette->exchanges().size(), 3u);
  EXPECT_TRUE(fs::exists(dir_ / "001.html"));

  ReplayTransport replay(std::move(*cassette), dir_);
  auto page = replay.perform({"GET", base_ + "/page", {}, "", 0});
  ASSERT_TRUE(page.ok()) << page.error().message;
  EXPECT_EQ(page->body, "<html><body>Sorteo 2830</body></html>");
  auto echo = replay.perform({"POST", base_ + "/echo", {}, R"({"sorteo":2830})", 0});
  ASSERT_TRUE(echo.ok());
  EXPECT_EQ(echo->body, R"({"sorteo":2830})");
  auto slow = replay.perform({"GET", base_ + "/slow", {}, "", 0});
  ASSERT_FALSE(slow.ok());
  EXPECT_EQ(slow.error().code, ErrorCode::kTimeout);

  auto other_body = replay.perform({"POST", base_ + "/echo", {}, R"({"sorteo":2831})", 0});
  ASSERT_FALSE(other_body.ok());
  EXPECT_EQ(other_body.error().code, ErrorCode::kNotRecorded);
  EXPECT_EQ(other_body.error().message,
            "replay: no recorded exchange for POST " + base_ + "/echo in " + (dir_ / "exchanges.json").string());
}

TEST_F(HttpTransportTest, BrokenCassetteNamesTheFileAndTheEntry) {
  fs::create_directories(dir_);
  std::ofstream(dir_ / "exchanges.json")
      << R"({"version":1,"exchanges":[{"request":{"url":"https://x/"},"response":{"status":200,"body_file":"gone.html"}}]})";
  auto cassette = Cassette::load(dir_);
  ASSERT_FALSE(cassette.ok());
  EXPECT_EQ(cassette.error().message, "cassette " + (dir_ / "exchanges.json").string() + ": exchanges[0]: body file " +
                                          (dir_ / "gone.html").string() + ": cannot open");
}

}  // namespace
}  // namespace rifa::plugin_runtime
