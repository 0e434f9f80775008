// Deliverable events (issue 14, item 1): an event about a player reaches each notifier with the
// player's contact limited to the fields that notifier declared ("contact" in its config), read
// at delivery time (the job queue never stores an address); a sale's tickets make one receipt;
// a player who turned a channel off gets nothing on it except receipts of money movements.
#include "engine/clock.hpp"
#include "payout_fixture.hpp"
#include "storage/notification_publisher.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;

class NotificationRecipientTest : public PayoutTest {
 protected:
  // A rifa whose notifiers are log_contact (declares email and nombre) and log_a (declares none).
  std::string rifa_with_both() {
    const std::string rifa = add_rifa("activa", "Normal", 10);
    settings_.bindings.rifas[rifa] =
        settings::BindingOverride{std::nullopt, std::nullopt, std::vector<std::string>{"log_contact", "log_a"}};
    return rifa;
  }
  settlement::NotificationPublisher publisher() const {
    return settlement::NotificationPublisher(settings::notifier_resolver(settings_.bindings), kMaxAttempts);
  }
  // The ticket_sold events of one sale, as the sales repository raises them.
  void sold(const std::string& rifa, const std::string& user, const std::string& transaccion,
            const std::vector<int>& numeros) {
    std::vector<settlement::NotificationEvent> events;
    for (int numero : numeros) {
      events.push_back({"ticket_sold",
                        rifa,
                        transaccion + "-" + std::to_string(numero),
                        {{"numero", numero}, {"precio", 12500}, {"user_id", user}, {"transaccion_id", transaccion}},
                        clock_.now()});
    }
    auto queued = db().transaction([&](soci::session& sql) { return publisher().publish(sql, events); });
    ASSERT_TRUE(queued.ok()) << queued.error().message;
  }
  void winner(const std::string& rifa, const std::string& user, const std::string& ganador) {
    auto queued = publisher().publish(
        db(),
        settlement::NotificationEvent{
            "winner", rifa, ganador, {{"ganador_id", ganador}, {"numero", 3}, {"usuario_id", user}}, clock_.now()});
    ASSERT_TRUE(queued.ok()) << queued.error().message;
  }
  std::vector<json> of_type(const std::string& notifier, const std::string& type) {
    std::vector<json> found;
    for (const auto& e : notifier_events(notifier)) {
      if (e["type"] == type) found.push_back(e);
    }
    return found;
  }
  engine::SystemClock clock_;
};

TEST_F(NotificationRecipientTest, EachNotifierGetsTheContactItDeclaredAndNeverMore) {
  const std::string rifa = rifa_with_both();
  const std::string ana = add_user("ana");
  exec("UPDATE users SET telefono = '+573001234567' WHERE id = '" + ana + "'");
  winner(rifa, ana, "ganador-1");
  drain();

  const auto declared = of_type("log_contact", "winner");
  ASSERT_EQ(declared.size(), 1u);
  EXPECT_EQ(declared[0]["recipient"], (json{{"usuario_id", ana}, {"email", "ana@example.com"}, {"nombre", "ana"}}));
  const auto bare = of_type("log_a", "winner");
  ASSERT_EQ(bare.size(), 1u);
  EXPECT_EQ(bare[0]["recipient"], (json{{"usuario_id", ana}}));  // no contact declared: none given
  // The queue holds ids only: the address is read when the job runs.
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE CAST(payload AS TEXT) LIKE '%example.com%'"), 0);
  // Events about no one (the rifa's own) carry no recipient.
  ASSERT_TRUE(publisher()
                  .publish(db(), settlement::NotificationEvent{"rifa_opened", rifa, rifa, json::object(), clock_.now()})
                  .ok());
  drain();
  const auto opened = of_type("log_contact", "rifa_opened");
  ASSERT_EQ(opened.size(), 1u);
  EXPECT_FALSE(opened[0].contains("recipient"));
}

TEST_F(NotificationRecipientTest, ASaleMakesOneReceiptWithItsNumbersAndTotal) {
  const std::string rifa = rifa_with_both();
  const std::string ana = add_user("ana");
  sold(rifa, ana, "tx-1", {7, 42});
  sold(rifa, ana, "tx-1", {7, 42});  // published again (a second confirmation): deduped
  drain();
  const auto receipts = of_type("log_contact", "receipt");
  ASSERT_EQ(receipts.size(), 1u);
  const json& r = receipts[0];
  EXPECT_EQ(r["data"]["transaccion_id"], "tx-1");
  EXPECT_EQ(r["data"]["numeros"], (json{7, 42}));
  EXPECT_EQ(r["data"]["total_cents"], 25000);
  EXPECT_EQ(r["recipient"]["email"], "ana@example.com");
  EXPECT_EQ(r["event_id"], settlement::event_uuid("receipt:tx-1"));
  EXPECT_EQ(of_type("log_contact", "ticket_sold").size(), 2u);
}

TEST_F(NotificationRecipientTest, AnOptedOutChannelGetsOnlyReceiptsOfMoneyMovements) {
  const std::string rifa = rifa_with_both();
  const std::string ana = add_user("ana");
  const std::string beto = add_user("beto");
  // Ana turned the "log" channel (the plugin's name) off; Beto chose nothing.
  exec("UPDATE users SET notificaciones = '{\"log\": false, \"email\": true}' WHERE id = '" + ana + "'");
  sold(rifa, ana, "tx-ana", {1});
  sold(rifa, beto, "tx-beto", {2});
  winner(rifa, ana, "ganador-ana");
  winner(rifa, beto, "ganador-beto");
  ASSERT_TRUE(publisher()
                  .publish(db(),
                           settlement::NotificationEvent{
                               "payout_sent",
                               rifa,
                               "ganador-ana",
                               {{"ganador_id", "ganador-ana"}, {"amount_cents", 5000}, {"usuario_id", ana}},
                               clock_.now()})
                  .ok());
  drain();
  for (const std::string notifier : {"log_contact", "log_a"}) {
    std::multiset<std::string> to_ana, to_beto;
    for (const auto& e : notifier_events(notifier)) {
      if (!e.contains("recipient")) continue;
      (e["recipient"]["usuario_id"] == ana ? to_ana : to_beto).insert(e["type"].get<std::string>());
    }
    EXPECT_EQ(to_ana, (std::multiset<std::string>{"receipt", "payout_sent"})) << notifier;
    EXPECT_EQ(to_beto, (std::multiset<std::string>{"ticket_sold", "receipt", "winner"})) << notifier;
  }
  // Nothing is left to retry: a skipped delivery is a finished job.
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'notify.deliver' AND status <> 'succeeded'"), 0);
}

}  // namespace
}  // namespace rifa::testing
