// Connection caps and descriptor exhaustion over real sockets: one address cannot hold more than
// its share of connections, a flood of idle connections cannot lock out /health, and running out
// of file descriptors pauses the accept loop instead of spinning a core.
#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "raw_http.hpp"
#include "server/http_server.hpp"
#include "server/router.hpp"

namespace rifa::api {
namespace {

using namespace std::chrono_literals;
using testing::RawConnection;

std::shared_ptr<spdlog::logger> quiet_logger() {
  return std::make_shared<spdlog::logger>("limits-test", std::make_shared<spdlog::sinks::null_sink_mt>());
}

void add_health(Router& router) {
  router.add("GET", "/api/v1/health", [](Request&) { return json_response(200, R"({"status":"ok"})"); });
}

std::string address(int n) { return "127.0.0." + std::to_string(n); }

// Waits until `predicate` holds (the server admits connections asynchronously).
template <typename P>
bool eventually(P predicate, std::chrono::milliseconds timeout = 5s) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (!predicate()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

double metric(const MetricsRegistry& metrics, const std::string& series) {
  const auto text = metrics.render();
  const auto at = text.find("\n" + series + " ");
  return at == std::string::npos ? 0 : std::stod(text.substr(at + series.size() + 2));
}

class ConnectionCapsTest : public ::testing::Test {
 protected:
  void start(size_t max_connections, size_t max_per_ip) {
    add_health(router_);
    ServerOptions options;
    options.port = 0;
    options.io_threads = 2;
    options.max_connections = max_connections;
    options.max_connections_per_ip = max_per_ip;
    server_ = std::make_unique<HttpServer>(options, router_, quiet_logger(), &metrics_);
    ASSERT_TRUE(server_->start().ok());
  }
  void TearDown() override {
    if (server_) server_->stop();
  }
  double open_connections() const { return metric(metrics_, "rifa_http_connections_open"); }

  MetricsRegistry metrics_;
  Router router_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(ConnectionCapsTest, OneAddressGetsAtMostItsCapOfConnections) {
  constexpr int kCap = 8;
  start(1000, kCap);
  std::vector<RawConnection> flood;
  for (int i = 0; i < 3 * kCap; ++i) flood.emplace_back(server_->port(), address(3));
  int answered = 0;
  for (auto& c : flood) {
    if (c.fd() < 0 || !c.send_all("GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")) continue;
    answered += c.read_reply().status == 200;
  }
  EXPECT_EQ(answered, kCap) << "connections from one address beyond server.max_connections_per_ip were served";
  EXPECT_EQ(metric(metrics_, R"(rifa_http_connections_total{outcome="refused_per_ip_cap"})"), 2 * kCap);
  // Other addresses are not affected.
  EXPECT_EQ(testing::raw_get(server_->port(), "/api/v1/health", address(4)).status, 200);
}

TEST_F(ConnectionCapsTest, TheOverCapRefusalIsA429ProblemSentBeforeClosing) {
  start(1000, 1);
  RawConnection first(server_->port(), address(5));
  ASSERT_TRUE(eventually([&] { return open_connections() == 1; }));
  RawConnection second(server_->port(), address(5));
  const auto refused = second.read_reply();  // sent without waiting for a request
  EXPECT_EQ(refused.status, 429);
  EXPECT_NE(refused.headers.find("content-type: application/problem+json"), std::string::npos) << refused.headers;
  EXPECT_NE(refused.headers.find("retry-after: 1"), std::string::npos) << refused.headers;
  EXPECT_NE(refused.body.find("max_connections_per_ip"), std::string::npos) << refused.body;
}

TEST_F(ConnectionCapsTest, AtTheHostCapTheLeastRecentlyActiveIdleConnectionMakesRoom) {
  constexpr int kCap = 10;
  start(kCap, 0);
  std::vector<RawConnection> idle;
  for (int i = 0; i < kCap; ++i) {
    idle.emplace_back(server_->port(), address(10 + i), 2000);
    ASSERT_TRUE(eventually([&] { return open_connections() == i + 1; }));
  }
  // Every socket is held by an idle client from another address: a probe still gets its answer.
  EXPECT_EQ(testing::raw_get(server_->port(), "/api/v1/health", address(50)).status, 200);
  // ...because the oldest idle connection was closed for it: its read sees the close at once
  // rather than waiting out its 2 s timeout.
  const auto read_started = std::chrono::steady_clock::now();
  EXPECT_EQ(idle.front().read_reply().status, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - read_started, 1s) << "the oldest idle connection was not closed";
  EXPECT_EQ(metric(metrics_, R"(rifa_http_connections_total{outcome="admitted_by_evicting_idle"})"), 1);
  EXPECT_TRUE(eventually([&] { return open_connections() <= kCap; })) << open_connections();
  // The others are still open and served.
  ASSERT_TRUE(idle.back().send_all("GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(idle.back().read_reply().status, 200);
}

// --- descriptor exhaustion, in a child process with a low RLIMIT_NOFILE -----------------------------

// User + system CPU time of a process so far, from /proc/<pid>/stat.
std::chrono::milliseconds cpu_time(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string skip;
  for (int i = 3; i < 14; ++i) fields >> skip;  // fields 3..13
  long long utime = 0, stime = 0;
  fields >> utime >> stime;
  return std::chrono::milliseconds((utime + stime) * 1000 / ::sysconf(_SC_CLK_TCK));
}

// The server runs in a child whose open-files limit is 128 and which has used up all but a few
// descriptors for other things (as a database pool, plugins and log files would), so a flood of
// connections makes accept() fail with EMFILE while connections wait in the backlog.
class DescriptorExhaustionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int ready[2];
    ASSERT_EQ(::pipe(ready), 0);
    ASSERT_EQ(::pipe(stop_), 0);
    child_ = ::fork();
    ASSERT_GE(child_, 0);
    if (child_ == 0) run_child(ready[1]);
    ::close(ready[1]);
    ::close(stop_[0]);
    ASSERT_EQ(::read(ready[0], &port_, sizeof port_), static_cast<ssize_t>(sizeof port_)) << "the child did not start";
    ::close(ready[0]);
  }

  void TearDown() override {
    if (child_ <= 0) return;
    ::close(stop_[1]);  // EOF tells the child to stop
    int status = 0;
    for (int i = 0; i < 200 && ::waitpid(child_, &status, WNOHANG) == 0; ++i) std::this_thread::sleep_for(25ms);
    if (::waitpid(child_, &status, WNOHANG) == 0) {
      ::kill(child_, SIGKILL);
      ::waitpid(child_, &status, 0);
    }
  }

  [[noreturn]] void run_child(int ready_fd) {
    ::close(stop_[1]);
    rlimit limit{128, 128};
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) ::_exit(2);
    Router router;
    add_health(router);
    ServerOptions options;
    options.port = 0;
    options.io_threads = 2;
    options.max_connections_per_ip = 0;
    HttpServer server(options, router, quiet_logger(), nullptr);
    if (!server.start().ok()) ::_exit(3);
    // Take every descriptor left, then give back a few.
    std::vector<int> taken;
    for (int fd; (fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0;) taken.push_back(fd);
    for (int i = 0; i < 4 && !taken.empty(); ++i) {
      ::close(taken.back());
      taken.pop_back();
    }
    const uint16_t port = server.port();
    if (::write(ready_fd, &port, sizeof port) != sizeof port) ::_exit(4);
    char byte;
    while (::read(stop_[0], &byte, 1) > 0) {}
    server.stop();
    ::_exit(0);
  }

  pid_t child_ = -1;
  int stop_[2] = {-1, -1};
  uint16_t port_ = 0;
};

TEST_F(DescriptorExhaustionTest, AFloodDoesNotSpinTheAcceptLoopAndHealthStillAnswers) {
  // Idle connections from many addresses: far more than the child has descriptors for.
  std::vector<RawConnection> flood;
  for (int i = 0; i < 60; ++i) flood.emplace_back(port_, address(100 + i % 50), 20000);
  std::this_thread::sleep_for(300ms);  // let the child run into EMFILE

  const auto cpu_before = cpu_time(child_);
  const auto wall_before = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(2000ms);
  const auto cpu_used = cpu_time(child_) - cpu_before;
  const auto wall =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - wall_before);
  std::cerr << "child CPU " << cpu_used.count() << " ms in " << wall.count() << " ms\n";
  EXPECT_LT(cpu_used.count(), wall.count() / 10)
      << "the server used " << cpu_used.count() << " ms of CPU in " << wall.count()
      << " ms with its descriptors exhausted: the accept loop spins";

  // A probe connecting now (behind the flood in the backlog) is still answered.
  const auto started = std::chrono::steady_clock::now();
  RawConnection probe(port_, address(200), 15000);
  ASSERT_GE(probe.fd(), 0);
  ASSERT_TRUE(probe.send_all("GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(probe.read_reply().status, 200) << "/health did not answer under a descriptor flood";
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
}

}  // namespace
}  // namespace rifa::api
