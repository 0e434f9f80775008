// The request metrics over real sockets against an attacker who makes up a new HTTP method token
// on every request: the label sets in /metrics come from closed sets, so the series count stays
// small, whether the request was routed, refused (404, 405, 413) or rate limited (429).
#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <regex>
#include <set>
#include <sstream>

#include "raw_http.hpp"
#include "server/client_rate_limits.hpp"
#include "server/http_server.hpp"
#include "server/router.hpp"

namespace rifa::api {
namespace {

using testing::RawConnection;

constexpr int kDistinctMethods = 10000;
constexpr int kBatch = 200;  // pipelined per round trip

class MetricsLabelsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.add("GET", "/things/{id}", [](Request&) { return json_response(200, "{}"); });
    router_.add("POST", "/things", [](Request&) { return json_response(201, "{}"); });
    router_.add("GET", "/metrics", [this](Request&) {
      Response r;
      r.content_type = "text/plain; version=0.0.4";
      r.body = metrics_.render();
      return r;
    });
    // Half of the made-up requests are answered 404/405, the other half 429.
    limits_ = std::make_unique<ClientRateLimits>(RateLimit{0.001, kDistinctMethods / 2.0}, RateLimit{}, &metrics_);
    ServerOptions options;
    options.port = 0;
    options.io_threads = 2;
    options.body_limit_bytes = 1024;
    options.rate_limits = limits_.get();
    server_ = std::make_unique<HttpServer>(
        options, router_,
        std::make_shared<spdlog::logger>("metrics-test", std::make_shared<spdlog::sinks::null_sink_mt>()), &metrics_);
    ASSERT_TRUE(server_->start().ok());
  }

  void TearDown() override {
    if (server_) server_->stop();
  }

  // Every "name{...}" line of one metric family.
  std::vector<std::string> series(const std::string& body, const std::string& name) {
    std::vector<std::string> out;
    std::istringstream lines(body);
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind(name + "{", 0) == 0) out.push_back(line);
    }
    return out;
  }

  MetricsRegistry metrics_;
  Router router_;
  std::unique_ptr<ClientRateLimits> limits_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(MetricsLabelsTest, TenThousandMadeUpMethodsAddOnlyAHandfulOfSeries) {
  RawConnection connection(server_->port());
  ASSERT_GE(connection.fd(), 0);
  int answered = 0;
  std::set<int> statuses;
  for (int start = 0; start < kDistinctMethods; start += kBatch) {
    std::string pipeline;
    for (int i = start; i < start + kBatch; ++i) {
      // Alternately a routed path (405: the method is not allowed there) and an unrouted one (404),
      // each with a raw path that must not become a label either.
      const std::string path = i % 2 ? "/things/" + std::to_string(i) : "/nowhere/" + std::to_string(i);
      pipeline += 'M';  // (appended piecewise: "M" + std::string trips GCC 12's -Wrestrict false positive)
      pipeline += std::to_string(i);
      pipeline += "X " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    }
    ASSERT_TRUE(connection.send_all(pipeline));
    for (int i = 0; i < kBatch; ++i) {
      const auto reply = connection.read_reply();
      ASSERT_NE(reply.status, 0) << "request " << start + i << " got no answer";
      statuses.insert(reply.status);
      ++answered;
    }
  }
  EXPECT_EQ(answered, kDistinctMethods);
  EXPECT_EQ(statuses, (std::set<int>{404, 405, 429}));
  // 413s close their connection: a few, each on its own connection, with made-up methods too.
  for (int i = 0; i < 20; ++i) {
    RawConnection big(server_->port(), "127.0.0." + std::to_string(2 + i));
    ASSERT_TRUE(big.send_all("BIG" + std::to_string(i) +
                             " /things HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n"));
    EXPECT_EQ(big.read_reply().status, 413);
  }

  const auto scrape = testing::raw_get(server_->port(), "/metrics", "127.0.0.99");
  ASSERT_EQ(scrape.status, 200);
  const auto requests = series(scrape.body, "rifa_http_requests_total");
  const auto latencies = series(scrape.body, "rifa_http_request_duration_seconds_count");
  EXPECT_LE(requests.size(), 10u) << scrape.body.substr(0, 4000);
  EXPECT_LE(latencies.size(), 10u) << scrape.body.substr(0, 4000);
  EXPECT_LT(scrape.body.size(), 64u * 1024) << "the /metrics answer grows with what clients send";
  const std::regex label(R"re(method="([^"]*)",route="([^"]*)")re");
  for (const auto& line : requests) {
    std::smatch m;
    ASSERT_TRUE(std::regex_search(line, m, label)) << line;
    EXPECT_TRUE(m[1] == "other" || m[1] == "GET") << "method label from outside the closed set: " << line;
    const std::set<std::string> routes = {"not_found", "method_not_allowed", "rate_limited", "body_too_large",
                                          "/metrics"};
    EXPECT_TRUE(routes.count(m[2])) << "route label that is not a template or a fixed name: " << line;
  }
  EXPECT_NE(scrape.body.find(R"(rifa_http_requests_total{method="other",route="rate_limited",status="429"})"),
            std::string::npos);
  EXPECT_NE(scrape.body.find(R"(rifa_http_requests_total{method="other",route="body_too_large",status="413"} 20)"),
            std::string::npos);
  // The closed sets did the work: the registry's overflow guard never had to fold a series.
  EXPECT_EQ(scrape.body.find("rifa_metrics_series_overflow_total{"), std::string::npos);
}

TEST_F(MetricsLabelsTest, KnownMethodsKeepTheirNameAndRoutesTheirTemplate) {
  RawConnection connection(server_->port());
  ASSERT_TRUE(
      connection.send_all("GET /things/abc HTTP/1.1\r\nHost: x\r\n\r\n"
                          "GET /things/def HTTP/1.1\r\nHost: x\r\n\r\n"
                          "get /things/abc HTTP/1.1\r\nHost: x\r\n\r\n"
                          "DELETE /things/abc HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(connection.read_reply().status, 200);
  EXPECT_EQ(connection.read_reply().status, 200);
  EXPECT_EQ(connection.read_reply().status, 405);  // methods are case-sensitive
  EXPECT_EQ(connection.read_reply().status, 405);
  const auto body = testing::raw_get(server_->port(), "/metrics").body;
  EXPECT_NE(body.find(R"(rifa_http_requests_total{method="GET",route="/things/{id}",status="200"} 2)"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find(R"(rifa_http_requests_total{method="other",route="method_not_allowed",status="405"} 1)"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find(R"(rifa_http_requests_total{method="DELETE",route="method_not_allowed",status="405"} 1)"),
            std::string::npos)
      << body;
}

}  // namespace
}  // namespace rifa::api
