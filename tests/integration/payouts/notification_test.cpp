// Notifications: one notify.deliver job per notifier bound to the rifa; a failing notifier is
// retried on its own, ends dead, and blocks nothing else.
#include "engine/clock.hpp"
#include "payout_fixture.hpp"
#include "storage/notification_publisher.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;

class NotificationTest : public PayoutTest {
 protected:
  Result<int> publish(const std::string& type, const std::string& rifa, const std::string& entity, json data) {
    settlement::NotificationPublisher publisher(settings::notifier_resolver(settings_.bindings), kMaxAttempts);
    return publisher.publish(db(), settlement::NotificationEvent{type, rifa, entity, std::move(data), clock_.now()});
  }
  engine::SystemClock clock_;
};

TEST_F(NotificationTest, AnEventReachesEveryBoundNotifierOnceWithTheAbiShape) {
  const std::string rifa = add_rifa("activa", "Normal", 10);
  auto queued = publish("ticket_sold", rifa, "ticket-1", {{"numero", 7}});
  ASSERT_TRUE(queued.ok()) << queued.error().message;
  EXPECT_EQ(*queued, 2);  // log_a and log_b, the defaults
  // Published again (a retried purchase, a second host): the dedupe keys keep it to one each.
  ASSERT_TRUE(publish("ticket_sold", rifa, "ticket-1", {{"numero", 7}}).ok());
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'notify.deliver'"), 2);

  drain();
  for (const std::string notifier : {"log_a", "log_b"}) {
    const auto events = notifier_events(notifier);
    ASSERT_EQ(events.size(), 1u) << notifier;
    const json& e = events[0];
    EXPECT_EQ(e["type"], "ticket_sold");
    EXPECT_EQ(e["rifa_id"], rifa);
    EXPECT_EQ(e["data"]["numero"], 7);
    EXPECT_TRUE(e["event_id"].is_string() && !e["event_id"].get<std::string>().empty());
    EXPECT_EQ(e["occurred_at"].get<std::string>().size(), 24u) << e["occurred_at"];
  }
  EXPECT_EQ(notifier_events("log_a")[0]["event_id"], notifier_events("log_b")[0]["event_id"]);
  EXPECT_TRUE(notifier_events("log_fail").empty());  // not bound to this rifa
}

// The tickets of one sale, published together: every job in one statement (the sale's
// transaction pays one round trip for them), each event to each notifier, deduped as one by one.
TEST_F(NotificationTest, TheEventsOfOneSaleAreQueuedTogetherOncePerNotifier) {
  const std::string rifa = add_rifa("activa", "Normal", 10);
  settlement::NotificationPublisher publisher(settings::notifier_resolver(settings_.bindings), kMaxAttempts);
  std::vector<settlement::NotificationEvent> sale;
  for (int numero : {1, 2, 3}) {
    sale.push_back({"ticket_sold", rifa, "ticket-" + std::to_string(numero), {{"numero", numero}}, clock_.now()});
  }
  auto queued =
      db().transaction([&](soci::session& sql) { return publisher.publish(sql, sale, std::string("Normal")); });
  ASSERT_TRUE(queued.ok()) << queued.error().message;
  EXPECT_EQ(*queued, 6);  // 3 tickets × (log_a, log_b)
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'notify.deliver'"), 6);
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE dedupe_key = 'ticket_sold:ticket-2:log_b'"), 1);
  // Again (a second confirmation of the same sale): nothing more.
  ASSERT_TRUE(db().transaction([&](soci::session& sql) { return publisher.publish(sql, sale); }).ok());
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'notify.deliver'"), 6);
  drain();
  EXPECT_EQ(notifier_events("log_a").size(), 3u);
  EXPECT_EQ(notifier_events("log_b").size(), 3u);
}

TEST_F(NotificationTest, AFailingNotifierIsRetriedThenDeadWhileTheOthersAndPayoutsGoOn) {
  const std::string rifa = add_rifa("resuelta", "Fallida", 10);  // notifiers: log_fail, log_a
  const std::string ana = add_user("ana");
  sell(rifa, ana, {3});
  const std::string g = add_ganador(ticket_id(rifa, 3), 0, 2000);
  ASSERT_TRUE(publish("winner", rifa, g, {{"ganador_id", g}}).ok());
  ASSERT_TRUE(queue_->enqueue({"payout.send", {{"ganador_id", g}}, std::nullopt, "payout:" + g, kMaxAttempts}).ok());

  drain();
  // The payout went out and log_a heard everything, although log_fail refused every event.
  EXPECT_EQ(text("SELECT estado FROM payouts WHERE ganador_id = '" + g + "'"), "enviado");
  EXPECT_EQ(text("SELECT status FROM jobs WHERE dedupe_key = 'payout:" + g + "'"), "succeeded");
  std::set<std::string> heard;
  for (const auto& e : notifier_events("log_a")) heard.insert(e["type"].get<std::string>());
  EXPECT_EQ(heard, (std::set<std::string>{"winner", "payout_sent"}));
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'notify.deliver' AND dedupe_key LIKE '%:log_fail' AND "
                  "status = 'queued' AND attempts = 1"),
            2);

  for (int attempt = 2; attempt <= kMaxAttempts; ++attempt) {
    advance(std::chrono::hours(2));
    drain();
  }
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'notify.deliver' AND dedupe_key LIKE '%:log_fail' AND "
                  "status = 'dead'"),
            2);
  EXPECT_NE(text("SELECT last_error FROM jobs WHERE dedupe_key = 'winner:" + g + ":log_fail'").find("fail_types"),
            std::string::npos);
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'notify.deliver' AND dedupe_key LIKE '%:log_a' AND "
                  "status = 'succeeded'"),
            2);
  EXPECT_TRUE(notifier_events("log_fail").empty());
}

// Jobs queued by other code with the bare payload {event, rifa_id, data, notifier} and a dedupe
// key "<event>:<entity>:<notifier>" get the same event_id the publisher would give.
TEST_F(NotificationTest, ABarePayloadGetsTheSameEventIdAsThePublisherWould) {
  const std::string rifa = add_rifa("activa", "Normal", 10);
  ASSERT_TRUE(
      queue_
          ->enqueue(
              {"notify.deliver",
               {{"event", "result_published"}, {"rifa_id", rifa}, {"data", {{"ganadores", 1}}}, {"notifier", "log_b"}},
               std::nullopt,
               "result_published:" + rifa + ":log_b",
               kMaxAttempts})
          .ok());
  ASSERT_TRUE(publish("result_published", rifa, rifa, {{"ganadores", 1}}).ok());  // log_a's copy, and log_b's deduped
  drain();
  ASSERT_EQ(notifier_events("log_a").size(), 1u);
  ASSERT_EQ(notifier_events("log_b").size(), 1u);
  EXPECT_EQ(notifier_events("log_b")[0]["event_id"], notifier_events("log_a")[0]["event_id"]);
  EXPECT_EQ(notifier_events("log_b")[0]["event_id"], settlement::event_uuid("result_published:" + rifa));
}

TEST_F(NotificationTest, ARifaBoundToNoNotifiersQueuesNothing) {
  const std::string rifa = add_rifa("activa", "Normal", 10);
  settings_.bindings.rifas[rifa] = settings::BindingOverride{std::nullopt, std::nullopt, std::vector<std::string>{}};
  auto queued = publish("rifa_opened", rifa, rifa, json::object());
  ASSERT_TRUE(queued.ok()) << queued.error().message;
  EXPECT_EQ(*queued, 0);
  EXPECT_EQ(count("SELECT count(*) FROM jobs"), 0);
}

TEST_F(NotificationTest, AJobForANotifierThatIsNotLoadedEndsDead) {
  const std::string rifa = add_rifa("activa", "Normal", 10);
  ASSERT_TRUE(queue_
                  ->enqueue({"notify.deliver",
                             {{"event", "rifa_opened"}, {"rifa_id", rifa}, {"notifier", "gone"}},
                             std::nullopt,
                             std::nullopt,
                             kMaxAttempts})
                  .ok());
  for (int i = 0; i < kMaxAttempts; ++i) {
    drain();
    advance(std::chrono::hours(2));
  }
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'notify.deliver' AND status = 'dead'"), 1);
  EXPECT_NE(text("SELECT last_error FROM jobs WHERE kind = 'notify.deliver'").find("no plugin instance 'gone'"),
            std::string::npos);
}

}  // namespace
}  // namespace rifa::testing
