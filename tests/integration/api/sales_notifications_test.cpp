// rifa_opened and ticket_sold reach each notifier bound to the rifa as notify.deliver jobs, queued
// in the transaction that activates the rifa / confirms the payment: once per event and notifier,
// never for a payment that was declined or is still pending, never twice for a replayed webhook.
#include "sales_fixture.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;

class SalesNotificationsTest : public SalesApiTest {
 protected:
  void configure_api(app::ApiWiringOptions& options) override {
    SalesApiTest::configure_api(options);
    options.bindings.defaults.notifiers = {"log", "ops"};
  }

  // The queued notify.deliver payloads of one event type, for one rifa.
  std::vector<json> deliveries(const std::string& event, const std::string& rifa_id) {
    std::vector<json> out;
    auto lease = test_db_->db().lease();
    soci::rowset<std::string> rows =
        (lease.session().prepare << "SELECT payload FROM jobs WHERE kind = 'notify.deliver' ORDER BY dedupe_key");
    for (const auto& text : rows) {
      json payload = json::parse(text);
      if (payload["event"] == event && payload["rifa_id"] == rifa_id) out.push_back(std::move(payload));
    }
    return out;
  }
};

TEST_F(SalesNotificationsTest, ActivatingARifaNotifiesEachBoundNotifierOnce) {
  const std::string rifa = active_rifa("General");
  const auto opened = deliveries("rifa_opened", rifa);
  ASSERT_EQ(opened.size(), 2u);
  EXPECT_EQ(opened[0]["notifier"], "log");
  EXPECT_EQ(opened[1]["notifier"], "ops");
  EXPECT_EQ(opened[0]["event_id"], opened[1]["event_id"]) << "one event, the same id for every notifier";
  EXPECT_EQ(opened[0]["data"]["total_boletas"], 100);
  EXPECT_EQ(opened[0]["data"]["commitment_sha256"].get<std::string>().size(), 64u);
}

TEST_F(SalesNotificationsTest, AConfirmedPurchaseNotifiesEveryTicketSoldAndADeclinedOneNothing) {
  const auto ana = register_jugador("ana@rifa.test");
  const std::string rifa = active_rifa("General", 5000, 100);
  auto bought = buy(ana, rifa, 3, "k-sold");
  ASSERT_EQ(bought.status, 201) << bought.body;
  const auto sold = deliveries("ticket_sold", rifa);
  ASSERT_EQ(sold.size(), 6u) << "3 tickets x 2 notifiers";
  std::set<int> numeros;
  for (const auto& d : sold) {
    EXPECT_EQ(d["data"]["user_id"], ana.id);
    EXPECT_EQ(d["data"]["transaccion_id"], bought.json().at("transaccion_id"));
    EXPECT_EQ(d["data"]["precio"], 5000);
    numeros.insert(d["data"]["numero"].get<int>());
  }
  const json answer = bought.json();
  std::set<int> expected;
  for (const auto& t : answer["tickets"]) expected.insert(t["numero"].get<int>());
  EXPECT_EQ(numeros, expected);

  // Replaying the purchase (same key) answers the first answer and queues nothing more.
  ASSERT_EQ(buy(ana, rifa, 3, "k-sold").status, 201);
  EXPECT_EQ(deliveries("ticket_sold", rifa).size(), 6u);

  const std::string declined_rifa = active_rifa("Declinada", kDeclinedPrice, 10);
  auto declined = buy(ana, declined_rifa, 1, "k-declined");
  ASSERT_EQ(declined.status, 402) << declined.body;
  EXPECT_TRUE(deliveries("ticket_sold", declined_rifa).empty());
}

TEST_F(SalesNotificationsTest, APendingPaymentNotifiesOnlyWhenTheWebhookConfirmsItAndOnlyOnce) {
  const auto ana = register_jugador("ana@rifa.test");
  const std::string rifa = active_rifa("Manual", 5000, 10);
  auto pending = buy(ana, rifa, 2, "k-pending");
  ASSERT_EQ(pending.status, 201) << pending.body;
  EXPECT_TRUE(deliveries("ticket_sold", rifa).empty()) << "a held number is not sold yet";

  const std::string event = payment_event("payment.succeeded", provider_ref_of(pending.json()["transaccion_id"]));
  ASSERT_EQ(send_webhook("sandbox_manual", event).status, 200);
  EXPECT_EQ(deliveries("ticket_sold", rifa).size(), 4u);
  ASSERT_EQ(send_webhook("sandbox_manual", event).status, 200);
  EXPECT_EQ(deliveries("ticket_sold", rifa).size(), 4u) << "a replayed webhook notifies nothing twice";
}

}  // namespace
}  // namespace rifa::testing
