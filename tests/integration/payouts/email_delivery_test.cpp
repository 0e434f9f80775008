// notifier_email through the host's job queue (issue 14, item 3): with the SMTP server down the
// mail is retried with backoff, then the job is dead (nothing lost: it waits for an admin); once
// the server is up, the admin's retry mails it once, and neither a second retry nor the event
// published again mails it twice. The recipient's address comes from the users table.
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include "../notifier/smtp_sink_process.hpp"
#include "engine/clock.hpp"
#include "payout_fixture.hpp"
#include "storage/notification_publisher.hpp"

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
};

TEST_F(EmailDeliveryTest, SmtpDownIsRetriedThenDeadAndAfterRecoveryMailedExactlyOnce) {
  const uint16_t port = SmtpSinkProcess::free_port();  // nothing listens there yet
  const json config = {{"smtp_url", "smtp://127.0.0.1:" + std::to_string(port)},
                       {"starttls", "none"},
                       {"from", "Rifa1122 <no-responder@rifa.test>"},
                       {"timeout_ms", 5000},
                       {"contact", {"email", "nombre"}}};
  settings::PluginInstanceSettings listed;
  listed.id = "email";
  listed.kind = settings::PluginKind::kNotifier;
  listed.config = config;
  settings_.plugins.instances.push_back(listed);
  plugin_runtime::HostServices services;
  services.logger = std::make_shared<spdlog::logger>("plugin", std::make_shared<spdlog::sinks::null_sink_mt>());
  services.now_unix_ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  auto added = plugins_->add(
      {"email", std::filesystem::path(RIFA_PLUGIN_DIR) / "libnotifier_email.so", RIFA_KIND_NOTIFIER, config}, services);
  ASSERT_TRUE(added.ok()) << added.error().message;

  const std::string rifa = add_rifa("activa", "Normal", 10);
  settings_.bindings.rifas[rifa] = settings::BindingOverride{std::nullopt, std::nullopt, std::vector<std::string>{"email"}};
  const std::string ana = add_user("ana");
  settlement::NotificationPublisher publisher(settings::notifier_resolver(settings_.bindings), kMaxAttempts);
  const settlement::NotificationEvent won{"winner", rifa, "ganador-ana",
                                          {{"ganador_id", "ganador-ana"}, {"numero", 7}, {"monto_ganado", 5000000},
                                           {"tier_name", "Premio mayor"}, {"usuario_id", ana}},
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

}  // namespace
}  // namespace rifa::testing
