// The execution model (issue 12 item 1) over real sockets: handlers run on a bounded worker pool,
// not on the io threads; a full queue answers 503 + Retry-After; a request whose deadline passed
// while queued is not run; probes answer while every worker is busy; stop() still drains; and a
// payment plugin that is slow to answer holds at most plugin_calls_per_instance workers, so other
// rifas' purchases and reads keep being answered. The HttpServer tests need no database; the
// others run once on SQLite and once on PostgreSQL with the real payment_sandbox plugin.
#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <thread>

#include "plugin_runtime/call_limiter.hpp"
#include "sales_fixture.hpp"
#include "server/error_mapping.hpp"
#include "server/http_server.hpp"
#include "server/router.hpp"

namespace rifa::testing {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;
using namespace std::chrono_literals;
using nlohmann::json;

struct Answer {
  int status = 0;
  std::string body;
  std::string retry_after;
  std::string content_type;
  bool keep_alive = true;
  std::string error;
};

Answer get(uint16_t port, const std::string& target) {
  Answer out;
  try {
    boost::asio::io_context io;
    tcp::socket socket(io);
    socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
    http::request<http::empty_body> request(http::verb::get, target, 11);
    request.set(http::field::host, "127.0.0.1");
    http::write(socket, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(socket, buffer, response);
    out.status = response.result_int();
    out.body = response.body();
    out.retry_after = std::string(response[http::field::retry_after]);
    out.content_type = std::string(response[http::field::content_type]);
    out.keep_alive = response.keep_alive();
  } catch (const std::exception& e) { out.error = e.what(); }
  return out;
}

// A gate handlers wait at until the test opens it.
class Gate {
 public:
  void wait() {
    std::unique_lock lock(mutex_);
    ++waiting_;
    arrived_.notify_all();
    opened_.wait(lock, [this] { return open_; });
  }
  void open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    opened_.notify_all();
  }
  bool wait_for_waiters(int n, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return arrived_.wait_for(lock, timeout, [&] { return waiting_ >= n; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable opened_;
  std::condition_variable arrived_;
  int waiting_ = 0;
  bool open_ = false;
};

class WorkerPoolServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.add("GET", "/blocked", [this](api::Request&) {
      ++runs_;
      gate_.wait();
      return api::json_response(200, "\"done\"");
    });
    router_.add("GET", "/api/v1/health", [](api::Request&) { return api::json_response(200, R"({"status":"up"})"); });
  }

  std::unique_ptr<api::HttpServer> start(int workers, size_t queue_limit, int request_timeout_ms = 10000) {
    api::ServerOptions options;
    options.port = 0;
    options.io_threads = 1;
    options.workers = workers;
    options.queue_limit = queue_limit;
    options.request_timeout_ms = request_timeout_ms;
    options.drain_timeout_ms = 10000;
    auto logger = std::make_shared<spdlog::logger>("pool-test", std::make_shared<spdlog::sinks::null_sink_mt>());
    auto server = std::make_unique<api::HttpServer>(options, router_, logger, nullptr);
    EXPECT_TRUE(server->start().ok());
    return server;
  }

  // Sends a request in the background and waits until the server has read it (a new handler
  // started, or the request is queued: then `settle` gives the io thread time to queue it).
  std::future<Answer> send(uint16_t port, const std::string& target) {
    return std::async(std::launch::async, [port, target] { return get(port, target); });
  }

  // A GET that gives up waiting after 10 s (an answer stuck behind a blocked handler fails the
  // test instead of hanging it; the straggler is collected once the gate opens in TearDown).
  Answer fetch(uint16_t port, const std::string& target) {
    auto answer = send(port, target);
    if (answer.wait_for(10s) == std::future_status::ready) return answer.get();
    stragglers_.push_back(std::move(answer));
    return Answer{0, "", "", "", true, "no answer within 10 s"};
  }

  void TearDown() override {
    gate_.open();
    for (auto& f : stragglers_) f.wait();
  }

  std::vector<std::future<Answer>> stragglers_;

  api::Router router_;
  Gate gate_;
  std::atomic<int> runs_{0};
};

TEST_F(WorkerPoolServerTest, AFullQueueIsAnswered503WithRetryAfterAndTheHealthProbeStillAnswers) {
  auto server = start(/*workers=*/1, /*queue_limit=*/1);
  const uint16_t port = server->port();
  auto running = send(port, "/blocked");
  ASSERT_TRUE(gate_.wait_for_waiters(1, 10s)) << "the first request never reached its handler";
  auto queued = send(port, "/blocked");
  std::this_thread::sleep_for(200ms);  // read and queued behind the first

  const Answer refused = fetch(port, "/blocked");
  EXPECT_EQ(refused.error, "");
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(refused.retry_after, "1");
  EXPECT_EQ(refused.content_type, "application/problem+json");
  auto problem = json::parse(refused.body, nullptr, false);
  if (!problem.is_object()) problem = json::object();
  EXPECT_EQ(problem.value("type", ""), std::string(api::kProblemTypeBase) + "unavailable") << refused.body;
  EXPECT_NE(problem.value("detail", "").find("server.queue_limit"), std::string::npos) << refused.body;

  // The only worker is busy and the queue full: the probe has its own thread.
  const Answer health = fetch(port, "/api/v1/health");
  EXPECT_EQ(health.error, "");
  EXPECT_EQ(health.status, 200) << health.body;

  gate_.open();
  EXPECT_EQ(running.get().status, 200);
  EXPECT_EQ(queued.get().status, 200);
  EXPECT_EQ(runs_.load(), 2) << "the refused request must not have run";
  server->stop();
}

TEST_F(WorkerPoolServerTest, ARequestWhoseDeadlinePassedWhileQueuedIsAnswered503WithoutRunning) {
  auto server = start(/*workers=*/1, /*queue_limit=*/4, /*request_timeout_ms=*/300);
  const uint16_t port = server->port();
  auto running = send(port, "/blocked");
  ASSERT_TRUE(gate_.wait_for_waiters(1, 10s));
  auto late = send(port, "/blocked");
  std::this_thread::sleep_for(600ms);  // queued past its 300 ms deadline
  gate_.open();
  EXPECT_EQ(running.get().status, 200);
  const Answer answer = late.get();
  EXPECT_EQ(answer.status, 503) << answer.body;
  EXPECT_EQ(answer.retry_after, "1");
  EXPECT_NE(answer.body.find("server.request_timeout_ms"), std::string::npos) << answer.body;
  EXPECT_EQ(runs_.load(), 1) << "a request past its deadline must not run its handler";
  server->stop();
}

TEST_F(WorkerPoolServerTest, StopDrainsTheRunningAndTheQueuedRequests) {
  auto server = start(/*workers=*/1, /*queue_limit=*/4);
  const uint16_t port = server->port();
  auto running = send(port, "/blocked");
  ASSERT_TRUE(gate_.wait_for_waiters(1, 10s));
  auto queued = send(port, "/blocked");
  std::this_thread::sleep_for(200ms);
  std::thread opener([this] {
    std::this_thread::sleep_for(300ms);
    gate_.open();
  });
  server->stop();  // returns once both answers went out
  opener.join();
  for (auto* f : {&running, &queued}) {
    ASSERT_EQ(f->wait_for(5s), std::future_status::ready);
    const Answer a = f->get();
    EXPECT_EQ(a.error, "");
    EXPECT_EQ(a.status, 200) << a.body;
    EXPECT_FALSE(a.keep_alive) << "an answer sent while draining closes the connection";
  }
  EXPECT_EQ(runs_.load(), 2);
  EXPECT_NE(get(port, "/api/v1/health").error, "") << "a stopped server takes no new request";
}

TEST(CallLimiter, BoundsCallsPerInstanceAndFreesASlotWhenAPermitGoes) {
  plugin_runtime::CallLimiter limiter(2, 20ms, {{"roomy", 3}});
  auto a = limiter.acquire("slow");
  auto b = limiter.acquire("slow");
  ASSERT_TRUE(a);
  ASSERT_TRUE(b);
  EXPECT_FALSE(limiter.acquire("slow")) << "a third call to the same instance must be refused";
  EXPECT_TRUE(limiter.acquire("fast")) << "other instances have their own slots";
  EXPECT_EQ(limiter.limit_for("roomy"), 3u);
  EXPECT_EQ(limiter.in_flight("slow"), 2u);
  {
    auto moved = std::move(a);
    EXPECT_EQ(limiter.in_flight("slow"), 2u);
  }
  EXPECT_EQ(limiter.in_flight("slow"), 1u);
  EXPECT_TRUE(limiter.acquire("slow"));
  // A waiter gets the slot a finishing call frees.
  plugin_runtime::CallLimiter patient(1, 10s);
  auto only = patient.acquire("x");
  std::thread releaser([&] {
    std::this_thread::sleep_for(10ms);
    only = plugin_runtime::CallLimiter::Permit();
  });
  EXPECT_TRUE(patient.acquire("x"));
  releaser.join();
}

// ---- with the database and the real payment plugin ------------------------------------------

constexpr int kSlowMs = 2000;

// SalesApiTest plus "sandbox_slow", a sandbox that takes kSlowMs to answer create_payment, bound
// to the categoria "Slow"; 4 workers and 2 calls in flight per payment instance.
class SlowProviderTest : public SalesApiTest {
 protected:
  void configure_api(app::ApiWiringOptions& options) override {
    SalesApiTest::configure_api(options);
    plugin_runtime::HostServices services;
    services.logger = std::make_shared<spdlog::logger>("plugin.slow", std::make_shared<spdlog::sinks::null_sink_mt>());
    services.now_unix_ms = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
    const json config = {{"webhook_secret", kSandboxSecret}, {"confirm", "immediate"}, {"answer_delay_ms", kSlowMs}};
    auto added = plugins_->add(
        {"sandbox_slow", std::filesystem::path(RIFA_PLUGIN_DIR) / "libpayment_sandbox.so", RIFA_KIND_PAYMENT, config},
        services);
    ASSERT_TRUE(added.ok()) << added.error().message;
    options.bindings.categorias["Slow"].payment = "sandbox_slow";
    options.plugin_calls_per_instance = 2;
  }
  void configure_server(api::ServerOptions& options) override {
    options.io_threads = 1;  // the production default
    options.workers = 4;
  }
};

TEST_F(SlowProviderTest, ASlowProviderDoesNotDelayOtherRifasPurchasesOrReads) {
  const std::string slow_rifa = active_rifa("Slow", 5000, 50);
  const std::string fast_rifa = active_rifa("Fast", 5000, 50);
  const auto buyer = register_jugador("paciente@example.com");
  const auto other = register_jugador("apurado@example.com");

  // As many slow purchases as there are workers: without a bulkhead they would hold them all.
  std::vector<std::future<ApiReply>> slow;
  for (int i = 0; i < 4; ++i) {
    slow.push_back(
        std::async(std::launch::async, [&, i] { return buy(buyer, slow_rifa, 1, "slow-" + std::to_string(i)); }));
  }
  std::this_thread::sleep_for(300ms);  // read, handed to workers, two of them inside the plugin

  const auto fast = buy(other, fast_rifa, 1, "fast-1");
  const auto read = call("GET", "/api/v1/rifas/" + fast_rifa, "", other.token);
  const auto health = call("GET", "/api/v1/health");
  // Answered before any slow purchase that reached the provider (those take kSlowMs; only the
  // ones refused by the bulkhead may be back already).
  std::vector<std::optional<ApiReply>> early(slow.size());
  int slow_sold_before = 0;
  for (size_t i = 0; i < slow.size(); ++i) {
    if (slow[i].wait_for(0s) != std::future_status::ready) continue;
    early[i] = slow[i].get();
    if (early[i]->status == 201) ++slow_sold_before;
  }
  EXPECT_EQ(fast.status, 201) << fast.body;
  EXPECT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(health.status, 200) << health.body;
  EXPECT_EQ(slow_sold_before, 0) << "the other rifa's purchase and the reads waited for the slow provider";

  // Two slow purchases went through; the others were refused before the plugin was called
  // (503, nothing charged: their numbers are free again and nothing is left pending).
  int sold = 0;
  int refused = 0;
  for (size_t i = 0; i < slow.size(); ++i) {
    const ApiReply r = early[i] ? *early[i] : slow[i].get();
    if (r.status == 201) {
      ++sold;
    } else {
      ++refused;
      expect_problem(r, 503);
      EXPECT_NE(r.body.find("plugin_calls_per_instance"), std::string::npos) << r.body;
    }
  }
  EXPECT_EQ(sold, 2);
  EXPECT_EQ(refused, 2);
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE rifa_id = '" + slow_rifa + "' AND estado <> 'disponible'"), sold);
  EXPECT_EQ(count("SELECT count(*) FROM transacciones WHERE rifa_id = '" + slow_rifa + "' AND status = 'pending'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM transacciones WHERE rifa_id = '" + slow_rifa + "' AND status = 'succeeded'"),
            sold);
}

// Argon2id at its production cost, on the workers: a stream of wrong passwords for one account
// keeps the workers busy (and soon throttled), yet the health probe keeps answering.
class LoginFloodTest : public ApiTest {
 protected:
  void configure_api(app::ApiWiringOptions& options) override {
    options.password_cost = api::PasswordHasher::Cost::kInteractive;
  }
  void configure_server(api::ServerOptions& options) override {
    options.io_threads = 1;
    options.workers = 2;
  }
};

TEST_F(LoginFloodTest, AStreamOfWrongLoginsDoesNotStopTheHealthProbe) {
  const auto victim = make_user("victima@example.com", engine::Rol::kJugador);
  std::atomic<bool> flooding{true};
  std::atomic<int> attempts{0};
  std::vector<std::thread> attackers;
  for (int t = 0; t < 6; ++t) {
    attackers.emplace_back([&] {
      while (flooding) {
        http_call("POST", url("/api/v1/auth/login"),
                  json{{"email", victim.email}, {"password", "wrong-password-1"}}.dump(), "",
                  {"Content-Type: application/json"});
        ++attempts;
      }
    });
  }
  std::this_thread::sleep_for(200ms);
  for (int i = 0; i < 10; ++i) {
    const auto health = http_call("GET", url("/api/v1/health"));
    EXPECT_EQ(health.status, 200) << health.body;
    std::this_thread::sleep_for(50ms);
  }
  flooding = false;
  for (auto& t : attackers) t.join();
  EXPECT_GT(attempts.load(), 0);
}

}  // namespace
}  // namespace rifa::testing
