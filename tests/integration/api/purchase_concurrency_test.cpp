// Real threads, real HTTP: many buyers racing for the numbers of one rifa, and one buyer's retries
// racing with the same idempotency key. Nothing sold twice; money and tickets agree.
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "sales_fixture.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;

class PurchaseConcurrencyTest : public SalesApiTest {
 protected:
  // More handler threads than the fixture's default 2, so requests really overlap in the database.
  void configure_server(api::ServerOptions& options) override { options.io_threads = 8; }
};

TEST_F(PurchaseConcurrencyTest, ThirtyTwoBuyersSellExactlyTheHundredNumbersOnce) {
  constexpr int kClients = 32;
  const auto rifa = active_rifa("Oro", 5000, 100);
  std::vector<Account> buyers;
  for (int i = 0; i < kClients; ++i) buyers.push_back(register_jugador("buyer" + std::to_string(i) + "@rifa.test"));

  std::mutex mutex;
  std::vector<int> numbers;
  std::vector<std::string> unexpected;
  std::atomic<int> created{0}, conflicts{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&, c] {
      int quantity = 1 + c % 3;
      for (int attempt = 0; attempt < 200; ++attempt) {
        auto r = buy(buyers[c], rifa, quantity, "c" + std::to_string(c) + "-" + std::to_string(attempt));
        if (r.status == 201) {
          ++created;
          std::lock_guard lock(mutex);
          const json body = r.json();
          for (const auto& t : body["tickets"]) numbers.push_back(t["numero"]);
          continue;
        }
        if (r.status == 409 && r.content_type == "application/problem+json") {
          ++conflicts;
          const std::string detail = r.json().value("detail", "");
          if (detail.find("sold out") != std::string::npos) return;
          quantity = 1;  // fewer left than asked: take what is left one by one
          continue;
        }
        std::lock_guard lock(mutex);
        unexpected.push_back(std::to_string(r.status) + " " + r.body);
        return;
      }
    });
  }
  for (auto& t : threads) t.join();

  EXPECT_TRUE(unexpected.empty()) << unexpected.front();
  EXPECT_EQ(numbers.size(), 100u);
  EXPECT_EQ(std::set<int>(numbers.begin(), numbers.end()).size(), 100u) << "a number was sold twice";
  EXPECT_GE(conflicts.load(), kClients) << "every client ends on a clean 409";
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE rifa_id = '" + rifa + "' AND estado = 'vendido'"), 100);
  EXPECT_EQ(count("SELECT count(DISTINCT numero) FROM tickets WHERE rifa_id = '" + rifa + "' AND estado = 'vendido'"),
            100);
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE estado = 'reservado'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM transacciones WHERE status = 'succeeded'"), created.load());
  EXPECT_EQ(count("SELECT count(*) FROM transacciones WHERE status <> 'succeeded'"), 0);
  // Money agrees with tickets: sum of succeeded transacciones = tickets sold × price.
  EXPECT_EQ(count("SELECT COALESCE(sum(amount), 0) FROM transacciones WHERE status = 'succeeded'"), 100 * 5000);
  EXPECT_EQ(count("SELECT COALESCE(sum(precio), 0) FROM tickets WHERE estado = 'vendido'"), 100 * 5000);
  EXPECT_EQ(count("SELECT count(*) FROM tickets t JOIN transacciones x ON x.id = t.transaccion_id "
                  "WHERE t.estado = 'vendido' AND (x.status <> 'succeeded' OR x.user_id <> t.usuario_id)"),
            0);
}

TEST_F(PurchaseConcurrencyTest, TwentyConcurrentRetriesOfOneKeyReserveAndChargeOnce) {
  constexpr int kRetries = 20;
  const auto rifa = active_rifa("Oro", 5000, 100);
  const auto ana = register_jugador("ana@rifa.test");
  std::mutex mutex;
  std::vector<ApiReply> replies;
  std::vector<std::thread> threads;
  for (int i = 0; i < kRetries; ++i) {
    threads.emplace_back([&] {
      auto r = buy(ana, rifa, 3, "one-key");
      std::lock_guard lock(mutex);
      replies.push_back(std::move(r));
    });
  }
  for (auto& t : threads) t.join();

  std::set<std::string> bodies;
  int created = 0, in_flight = 0;
  for (const auto& r : replies) {
    if (r.status == 201) {
      ++created;
      bodies.insert(r.body);
    } else {
      expect_problem(r, 409, "idempotency_key",
                     "idempotency_key: a request with this key is still being processed; retry later");
      ++in_flight;
    }
  }
  EXPECT_GE(created, 1);
  EXPECT_EQ(created + in_flight, kRetries);
  EXPECT_EQ(bodies.size(), 1u) << "every 201 is the same answer";
  EXPECT_EQ(count("SELECT count(*) FROM transacciones"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE estado = 'vendido'"), 3);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'payment.created'"), 1);
  // Once settled, a retry is a replay of that same answer.
  auto later = buy(ana, rifa, 3, "one-key");
  EXPECT_EQ(later.status, 201);
  EXPECT_EQ(later.body, *bodies.begin());
}

}  // namespace
}  // namespace rifa::testing
