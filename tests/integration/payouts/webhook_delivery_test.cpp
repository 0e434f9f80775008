// notifier_webhook through the host's job queue (issue 14, item 2): a failing endpoint is retried
// with the queue's exponential backoff until it answers, without posting again to the endpoints
// that already took the event, and every attempt carries the same webhook-id; an endpoint that
// never answers leaves the job dead, where GET /admin/jobs lists it (JobQueue::list(kDead)); one
// that is gone (410) leaves it dead at once.
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include "../notifier/loopback_http_server.hpp"
#include "engine/clock.hpp"
#include "payout_fixture.hpp"
#include "plugin_runtime/curl_transport.hpp"
#include "storage/notification_publisher.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;

const std::string kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

class WebhookDeliveryTest : public PayoutTest {
 protected:
  // A webhook instance "hook" with these endpoints, bound to a new rifa; returns the rifa.
  std::string rifa_with_hook(const json& endpoints) {
    plugin_runtime::HostServices services;
    services.logger = std::make_shared<spdlog::logger>("plugin", std::make_shared<spdlog::sinks::null_sink_mt>());
    services.now_unix_ms = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
    plugin_runtime::CurlTransportOptions options;
    options.egress_allow = {"127.0.0.1"};
    options.retries = 0;
    services.transport = std::make_shared<plugin_runtime::CurlTransport>(options);
    auto added = plugins_->add({"hook",
                                std::filesystem::path(RIFA_PLUGIN_DIR) / "libnotifier_webhook.so",
                                RIFA_KIND_NOTIFIER,
                                {{"endpoints", endpoints}}},
                               services);
    EXPECT_TRUE(added.ok()) << added.error().message;
    const std::string rifa = add_rifa("activa", "Normal", 10);
    settings_.bindings.rifas[rifa] =
        settings::BindingOverride{std::nullopt, std::nullopt, std::vector<std::string>{"hook"}};
    return rifa;
  }
  void publish_winner(const std::string& rifa, const std::string& ganador) {
    settlement::NotificationPublisher publisher(settings::notifier_resolver(settings_.bindings), kMaxAttempts);
    auto queued = publisher.publish(
        db(), settlement::NotificationEvent{"winner", rifa, ganador, {{"ganador_id", ganador}}, clock_.now()});
    ASSERT_TRUE(queued.ok()) << queued.error().message;
    ASSERT_EQ(*queued, 1);
  }
  std::string job_status(const std::string& ganador) {
    return text("SELECT status FROM jobs WHERE dedupe_key = 'winner:" + ganador + ":hook'");
  }
  engine::SystemClock clock_;
};

TEST_F(WebhookDeliveryTest, AFailingEndpointIsRetriedWithBackoffAndTheOthersAreNotPostedTwice) {
  LoopbackHttpServer flaky([](size_t n) { return n < 2 ? 503 : 200; });  // down twice, then up
  LoopbackHttpServer steady;
  const std::string rifa =
      rifa_with_hook(json::array({{{"id", "flaky"}, {"url", flaky.url()}, {"secrets", {kSecret}}},
                                  {{"id", "steady"}, {"url", steady.url()}, {"secrets", {kSecret}}}}));
  publish_winner(rifa, "ganador-1");

  drain();
  EXPECT_EQ(job_status("ganador-1"), "queued");  // failed once: back in the queue, after a backoff
  EXPECT_EQ(count("SELECT attempts FROM jobs WHERE dedupe_key = 'winner:ganador-1:hook'"), 1);
  EXPECT_NE(
      text("SELECT last_error FROM jobs WHERE dedupe_key = 'winner:ganador-1:hook'").find("flaky answered HTTP 503"),
      std::string::npos);
  for (int attempt = 2; attempt <= 3; ++attempt) {
    advance(std::chrono::hours(2));
    drain();
  }
  EXPECT_EQ(job_status("ganador-1"), "succeeded");
  ASSERT_EQ(flaky.requests().size(), 3u);
  EXPECT_EQ(flaky.accepted().size(), 1u);
  // The steady endpoint took it on the first attempt and was not posted to again.
  ASSERT_EQ(steady.requests().size(), 1u);
  // One event, one webhook-id on every attempt, so a receiver drops repeats.
  for (const auto& r : flaky.requests())
    EXPECT_EQ(r.headers.at("webhook-id"), steady.requests()[0].headers.at("webhook-id"));
  EXPECT_EQ(json::parse(flaky.accepted()[0].body)["data"]["ganador_id"], "ganador-1");
}

TEST_F(WebhookDeliveryTest, AnEndpointThatNeverAnswersLeavesTheJobDeadForAnAdmin) {
  LoopbackHttpServer down([](size_t) { return 500; });
  const std::string rifa = rifa_with_hook(json::array({{{"id", "down"}, {"url", down.url()}, {"secrets", {kSecret}}}}));
  publish_winner(rifa, "ganador-2");
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    drain();
    advance(std::chrono::hours(2));
  }
  EXPECT_EQ(job_status("ganador-2"), "dead");
  EXPECT_EQ(down.requests().size(), static_cast<size_t>(kMaxAttempts));
  auto dead = queue_->list(jobs::JobStatus::kDead, 50, 0);  // what GET /admin/jobs?status=dead lists
  ASSERT_TRUE(dead.ok()) << dead.error().message;
  ASSERT_EQ(dead->size(), 1u);
  EXPECT_EQ((*dead)[0].kind, "notify.deliver");
  EXPECT_NE((*dead)[0].last_error.find("down answered HTTP 500"), std::string::npos) << (*dead)[0].last_error;
  // An admin's retry (POST /admin/jobs/{id}/retry) once the endpoint is back runs it again.
  ASSERT_TRUE(queue_->retry((*dead)[0].id).ok());
  EXPECT_EQ(job_status("ganador-2"), "queued");
}

// 410 Gone: the plugin answers declined, and the queue gives the event up at once instead of
// posting to a retired endpoint kMaxAttempts times (sdk/ABI.md, "Notifier").
TEST_F(WebhookDeliveryTest, AnEndpointThatIsGoneLeavesTheJobDeadAfterOneAttempt) {
  LoopbackHttpServer gone([](size_t) { return 410; });
  const std::string rifa = rifa_with_hook(json::array({{{"id", "gone"}, {"url", gone.url()}, {"secrets", {kSecret}}}}));
  publish_winner(rifa, "ganador-3");
  drain();
  EXPECT_EQ(job_status("ganador-3"), "dead");
  EXPECT_EQ(count("SELECT attempts FROM jobs WHERE dedupe_key = 'winner:ganador-3:hook'"), 1);
  advance(std::chrono::hours(2));
  drain();
  EXPECT_EQ(gone.requests().size(), 1u);
  EXPECT_NE(text("SELECT last_error FROM jobs WHERE dedupe_key = 'winner:ganador-3:hook'").find("410 Gone"),
            std::string::npos);
}

}  // namespace
}  // namespace rifa::testing
