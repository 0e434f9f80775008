// notifier_email through the host's job queue (issue 14, item 3): with the SMTP server down the
// mail is retried with backoff, then the job is dead (nothing lost: it waits for an admin); once
// the server is up, the admin's retry mails it once, and neither a second retry nor the event
// published again mails it twice. The recipient's address comes from the users table. Two hosts
// on one database, each with its own email instance (and its own memory of what it sent), mail
// one event once: the claim is in the database (notification_deliveries, migration 0023).
#include <atomic>
#include <set>
#include <thread>

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include "../notifier/smtp_sink_process.hpp"
#include "engine/clock.hpp"
#include "app/payout_jobs.hpp"
#include "payout_fixture.hpp"
#include "storage/notification_publisher.hpp"
#include "storage/sql_job_queue.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;

class EmailDeliveryTest : public PayoutTest {
 protected:
  void SetUp() override {
    PayoutTest::SetUp();
    if (IsSkipped()) return;
    if (const std::string why = SmtpSinkProcess::unavailable_reason(); !why.empty()) GTEST_SKIP() << why;
  }
  engine::SystemClock clock_;

  static plugin_runtime::HostServices services() {
    plugin_runtime::HostServices services;
    services.logger = std::make_shared<spdlog::logger>("plugin", std::make_shared<spdlog::sinks::null_sink_mt>());
    services.now_unix_ms = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
    return services;
  }

  // The "email" instance, mailing to `port`, listed in the settings and loaded into `registry`.
  void add_email(plugin_runtime::PluginRegistry& registry, uint16_t port, bool list = true) {
    const json config = {{"smtp_url", "smtp://127.0.0.1:" + std::to_string(port)},
                         {"starttls", "none"},
                         {"from", "Rifa1122 <no-responder@rifa.test>"},
                         {"timeout_ms", 5000},
                         {"contact", {"email", "nombre"}}};
    if (list) {
      settings::PluginInstanceSettings listed;
      listed.id = "email";
      listed.kind = settings::PluginKind::kNotifier;
      listed.config = config;
      settings_.plugins.instances.push_back(listed);
    }
    auto added = registry.add(
        {"email", std::filesystem::path(RIFA_PLUGIN_DIR) / "libnotifier_email.so", RIFA_KIND_NOTIFIER, config},
        services());
    ASSERT_TRUE(added.ok()) << added.error().message;
  }

  // A second host on the same database: its own plugins, job queue and runner.
  struct OtherHost {
    std::unique_ptr<plugin_runtime::PluginRegistry> plugins = std::make_unique<plugin_runtime::PluginRegistry>();
    std::unique_ptr<jobs::JobQueue> queue;
    std::unique_ptr<jobs::JobRunner> runner;
    std::atomic<int64_t> offset_s{0};  // its queue's clock, moved like the fixture's
  };
  std::unique_ptr<OtherHost> other_host(uint16_t smtp_port) {
    auto host = std::make_unique<OtherHost>();
    add_email(*host->plugins, smtp_port, false);
    host->queue = std::make_unique<storage::SqlJobQueue>(
        db(), [h = host.get()] { return std::chrono::system_clock::now() + std::chrono::seconds(h->offset_s.load()); });
    jobs::RunnerOptions options;
    options.owner = "payout-test-host-b";
    options.workers = 1;
    host->runner = std::make_unique<jobs::JobRunner>(
        *host->queue, options,
        std::make_shared<spdlog::logger>("jobs", std::make_shared<spdlog::sinks::null_sink_mt>()));
    app::register_payout_jobs(*host->runner, db(), settings_, *host->plugins);
    return host;
  }

  // A notify.deliver job as a host queues it, under its own dedupe key.
  void enqueue_deliver(jobs::JobQueue& queue, const std::string& key, const json& payload) {
    jobs::EnqueueRequest request;
    request.kind = "notify.deliver";
    request.payload = payload;
    request.dedupe_key = key;
    request.max_attempts = kMaxAttempts;
    ASSERT_TRUE(queue.enqueue(request).ok());
  }
};

TEST_F(EmailDeliveryTest, SmtpDownIsRetriedThenDeadAndAfterRecoveryMailedExactlyOnce) {
  const uint16_t port = SmtpSinkProcess::free_port();  // nothing listens there yet
  add_email(*plugins_, port);

  const std::string rifa = add_rifa("activa", "Normal", 10);
  settings_.bindings.rifas[rifa] =
      settings::BindingOverride{std::nullopt, std::nullopt, std::vector<std::string>{"email"}};
  const std::string ana = add_user("ana");
  settlement::NotificationPublisher publisher(settings::notifier_resolver(settings_.bindings), kMaxAttempts);
  const settlement::NotificationEvent won{"winner",
                                          rifa,
                                          "ganador-ana",
                                          {{"ganador_id", "ganador-ana"},
                                           {"numero", 7},
                                           {"monto_ganado", 5000000},
                                           {"tier_name", "Premio mayor"},
                                           {"usuario_id", ana}},
                                          clock_.now()};
  ASSERT_TRUE(publisher.publish(db(), won).ok());
  const std::string key = "'winner:ganador-ana:email'";

  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    drain();
    advance(std::chrono::hours(2));
  }
  EXPECT_EQ(text("SELECT status FROM jobs WHERE dedupe_key = " + key), "dead");
  EXPECT_EQ(count("SELECT attempts FROM jobs WHERE dedupe_key = " + key), kMaxAttempts);
  EXPECT_NE(text("SELECT last_error FROM jobs WHERE dedupe_key = " + key).find("SMTP smtp://127.0.0.1"),
            std::string::npos);

  TempDir mail_dir;
  SmtpSinkProcess smtp(mail_dir.path() / "mail", SmtpSinkOptions{port});
  ASSERT_TRUE(smtp.ready());
  const std::string job = text("SELECT id FROM jobs WHERE dedupe_key = " + key);
  ASSERT_TRUE(queue_->retry(job).ok());  // the admin's POST /admin/jobs/{id}/retry
  drain();
  EXPECT_EQ(text("SELECT status FROM jobs WHERE dedupe_key = " + key), "succeeded");
  // Again: an admin retrying the finished job's twin, the event published once more.
  exec("UPDATE jobs SET status = 'dead' WHERE dedupe_key = " + key);
  ASSERT_TRUE(queue_->retry(job).ok());
  ASSERT_TRUE(publisher.publish(db(), won).ok());
  drain();

  const auto mails = smtp.mails();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0]["envelope"]["rcpt_tos"], json::array({"ana@example.com"}));
  EXPECT_EQ(mails[0]["mail"]["headers"]["to"], "ana <ana@example.com>");
  EXPECT_NE(mails[0]["mail"]["text"].get<std::string>().find("Premio: $ 50.000"), std::string::npos)
      << mails[0]["mail"]["text"];
}

TEST_F(EmailDeliveryTest, TwoHostsOnOneDatabaseMailOneEventOnceAndTheMailNamesTheRifa) {
  TempDir mail_dir;
  SmtpSinkProcess smtp(mail_dir.path() / "mail", SmtpSinkOptions{});
  ASSERT_TRUE(smtp.ready());
  add_email(*plugins_, smtp.port());
  auto b = other_host(smtp.port());

  const std::string rifa = add_rifa("activa", "Normal", 10);
  exec("UPDATE rifas SET nombre = 'Moto Pulsar de Año Nuevo' WHERE id = '" + rifa + "'");
  const std::string ana = add_user("ana");
  // Eight events, each reaching both hosts in a job of its own (as when each host published it
  // under its own key): both workers run at once, each host's plugin remembers only its own mails.
  constexpr int kEvents = 8;
  for (int i = 0; i < kEvents; ++i) {
    const json payload = {{"event", "receipt"},
                          {"event_id", "00000000-0000-4000-8000-00000000000" + std::to_string(i)},
                          {"rifa_id", rifa},
                          {"notifier", "email"},
                          {"occurred_at", "2026-12-07T15:00:00.000Z"},
                          {"data",
                           {{"transaccion_id", "tx-" + std::to_string(i)},
                            {"user_id", ana},
                            {"numeros", {i}},
                            {"total_cents", 1250000}}}};
    enqueue_deliver(*queue_, "host-a:" + std::to_string(i), payload);
    enqueue_deliver(*b->queue, "host-b:" + std::to_string(i), payload);
  }
  int ran_a = 0;
  int ran_b = 0;
  for (int round = 0; round < 6 && count("SELECT count(*) FROM jobs WHERE status <> 'succeeded'") > 0; ++round) {
    std::thread host_b([&] { ran_b += b->runner->drain(); });
    ran_a += drain();
    host_b.join();
    // A job that found the other host's claim live runs again after its backoff.
    advance(std::chrono::hours(1));
    b->offset_s += 3600;
  }
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE status = 'succeeded'"), 2 * kEvents) << ran_a << " " << ran_b;
  EXPECT_EQ(count("SELECT count(*) FROM notification_deliveries WHERE state = 'sent' AND notifier = 'email'"), kEvents);

  const auto mails = smtp.mails();
  ASSERT_EQ(mails.size(), static_cast<size_t>(kEvents));
  std::set<std::string> ids;
  for (const auto& mail : mails) ids.insert(mail["mail"]["headers"]["message-id"].get<std::string>());
  EXPECT_EQ(ids.size(), static_cast<size_t>(kEvents)) << "one mail per event id";
  // The rifa by its name, accents and all, in the subject and both parts.
  EXPECT_NE(mails[0]["mail"]["headers"]["subject"].get<std::string>().find("Moto Pulsar de Año Nuevo"),
            std::string::npos)
      << mails[0]["mail"]["headers"];
  EXPECT_NE(mails[0]["mail"]["text"].get<std::string>().find("Rifa: Moto Pulsar de Año Nuevo"), std::string::npos)
      << mails[0]["mail"]["text"];
  EXPECT_NE(mails[0]["mail"]["html"].get<std::string>().find("Moto Pulsar de Año Nuevo"), std::string::npos);
}

TEST_F(EmailDeliveryTest, AClaimLeftByADeadWorkerIsTakenOverAndOneDeliveredIsNeverSentAgain) {
  TempDir mail_dir;
  SmtpSinkProcess smtp(mail_dir.path() / "mail", SmtpSinkOptions{});
  ASSERT_TRUE(smtp.ready());
  add_email(*plugins_, smtp.port());
  const std::string rifa = add_rifa("activa", "Normal", 10);
  const std::string ana = add_user("ana");
  const auto payload = [&](const std::string& event_id) {
    return json{{"event", "receipt"},
                {"event_id", event_id},
                {"rifa_id", rifa},
                {"notifier", "email"},
                {"occurred_at", "2026-12-07T15:00:00.000Z"},
                {"data", {{"transaccion_id", "tx"}, {"user_id", ana}, {"numeros", {3}}, {"total_cents", 500000}}}};
  };
  const std::string crashed = "00000000-0000-4000-8000-00000000000a";
  const std::string done = "00000000-0000-4000-8000-00000000000b";
  // A worker claimed `crashed` and died before mailing (its claim ran out a second ago); another
  // mailed `done` and marked it.
  const auto past_ms = std::to_string(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count() -
      1000);
  exec("INSERT INTO notification_deliveries (event_id, notifier, state, owner, claimed_until_ms) VALUES ('" + crashed +
       "', 'email', 'sending', 'dead-job#1', " + past_ms + ")");
  exec(
      "INSERT INTO notification_deliveries (event_id, notifier, state, owner, claimed_until_ms, sent_at_ms) "
      "VALUES ('" +
      done + "', 'email', 'sent', 'old-job#1', " + past_ms + ", " + past_ms + ")");
  enqueue_deliver(*queue_, "crashed", payload(crashed));
  enqueue_deliver(*queue_, "done", payload(done));
  drain();

  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE status = 'succeeded'"), 2);
  EXPECT_EQ(text("SELECT state FROM notification_deliveries WHERE event_id = '" + crashed + "'"), "sent");
  EXPECT_EQ(count("SELECT claims FROM notification_deliveries WHERE event_id = '" + crashed + "'"), 2);
  const auto mails = smtp.mails();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0]["mail"]["headers"]["message-id"], "<" + crashed + "@rifa1122>");
}

}  // namespace
}  // namespace rifa::testing
