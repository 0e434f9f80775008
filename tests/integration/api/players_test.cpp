// Playing by Colombian rules (issue 15, items 2 to 4) over real HTTP, on SQLite and PostgreSQL:
// adults only (Bogotá calendar), self-exclusion and spending limits inside the purchase
// transaction (also under 32 concurrent purchases, and across two hosts on one database), and the
// data subject's export and erasure.
#include <atomic>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "app/http_routes.hpp"
#include "engine/iso_time.hpp"
#include "engine/player_rules.hpp"
#include "sales_fixture.hpp"
#include "signup.hpp"
#include "storage/repositories/audit_chain_verifier.hpp"
#include "storage/repositories/audit_sealer.hpp"
#include "storage/repositories/sql_player_repository.hpp"
#include "storage/timestamps.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;

engine::TimePoint at(const std::string& iso) {
  auto t = engine::parse_iso_time(iso, "t");
  EXPECT_TRUE(t.ok()) << iso;
  return t.ok() ? *t : engine::TimePoint{};
}

std::string problem_type(const ApiReply& r) { return r.json().value("type", ""); }
constexpr const char* kProblems = "https://rifa1122.dev/problems/";

class PlayersTest : public SalesApiTest {
 protected:
  void configure_server(api::ServerOptions& options) override { options.io_threads = 8; }

  // Moves the clock (forward: tokens issued "later" than now are refused) and logs the admin in again.
  void move_to(const std::string& iso) {
    // ManualClock only moves forward, by whole seconds: this lands in [iso, iso + 1 s).
    clock_.advance(std::chrono::ceil<std::chrono::seconds>(at(iso) - clock_.now()));
    admin_ = login_as("admin@rifa.test");
  }
  void later(std::chrono::seconds by) {
    clock_.advance(by);
    admin_ = login_as("admin@rifa.test");
  }
  ApiReply sign_up(json body) { return call("POST", "/api/v1/auth/register", body, ""); }
  json adult(const std::string& email, const std::string& birth) {
    json b = registration(email);
    b["fecha_nacimiento"] = birth;
    return b;
  }
};

// ---- adults only -------------------------------------------------------------------------------

TEST_F(PlayersTest, AgeIsCountedOnTheBogotaCalendarAroundMidnightUtc) {
  // 03:00 UTC on 15 March is still 14 March (22:00) in Bogotá.
  move_to("2029-03-15T03:00:00Z");
  // Born 15 March 2011: 18 only tomorrow in Bogotá (one day short), though it is the 15th in UTC.
  auto young = sign_up(adult("young@rifa.test", "2011-03-15"));
  expect_problem(young, 422, "fecha_nacimiento");
  // Born 14 March 2011: 18 today in Bogotá, on the birthday.
  EXPECT_EQ(sign_up(adult("birthday@rifa.test", "2011-03-14")).status, 202);
  // 05:00 UTC is midnight in Bogotá: now the 15th, and the first one is 18 on their birthday.
  move_to("2029-03-15T05:00:00Z");
  EXPECT_EQ(sign_up(adult("young@rifa.test", "2011-03-15")).status, 202);
  // 17 years and 364 days at 04:59:59 UTC.
  move_to("2029-03-16T04:59:58Z");
  expect_problem(sign_up(adult("young2@rifa.test", "2011-03-16")), 422, "fecha_nacimiento");
  // Nothing was created for the refused ones.
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE email IN ('young2@rifa.test')"), 0);
}

TEST_F(PlayersTest, SignUpRequiresADocumentAndTheDataPolicyConsent) {
  json b = registration("ti@rifa.test");
  // A TI (a minor's document) is accepted from an adult, who may still hold one after 18.
  b["documento_tipo"] = "TI";
  b["documento_numero"] = "12345";
  expect_problem(sign_up(b), 422, "documento_numero");  // a TI has 10 or 11 digits
  b["documento_numero"] = "1020304050";
  b["fecha_nacimiento"] = "2011-03-14";
  move_to("2029-03-15T04:00:00Z");  // 14 March in Bogotá: 18 today
  ASSERT_EQ(sign_up(b).status, 202);
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE email = 'ti@rifa.test' AND documento_tipo = 'TI'"), 1);
  b = registration("doc@rifa.test");
  b["documento_tipo"] = "CC";
  b["documento_numero"] = "12AB";
  expect_problem(sign_up(b), 422, "documento_numero");
  b["documento_tipo"] = "XX";
  b["documento_numero"] = "123456";
  expect_problem(sign_up(b), 422, "documento_tipo");
  b = registration("doc@rifa.test");
  b["acepta_politica_datos"] = false;
  expect_problem(sign_up(b), 422, "acepta_politica_datos");
  b.erase("acepta_politica_datos");
  expect_problem(sign_up(b), 422, "acepta_politica_datos");
  b = registration("doc@rifa.test");
  b.erase("fecha_nacimiento");
  expect_problem(sign_up(b), 422, "fecha_nacimiento");
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE email = 'doc@rifa.test'"), 0);

  b = registration("doc@rifa.test");
  b["documento_tipo"] = "PP";
  b["documento_numero"] = "ab 123456";
  EXPECT_EQ(sign_up(b).status, 202);
  const auto who = login_as("doc@rifa.test");
  const json me = call("GET", "/api/v1/users/" + who.id, "", who.token).json();
  EXPECT_EQ(me["documento_tipo"], "PP");
  EXPECT_EQ(me["documento_numero"], "AB123456");
  EXPECT_EQ(me["fecha_nacimiento"], "1990-05-17");
  EXPECT_EQ(me["consentimiento"]["version"], "1");
  EXPECT_EQ(me["consentimiento"]["en"], me["creado_en"]);
}

TEST_F(PlayersTest, AnAccountWithoutBirthDateCannotBuyUntilItAddsOne) {
  const auto rifa = active_rifa("Oro");
  // An account made before the birth date was asked for.
  engine::NewUser antiguo;
  antiguo.nombre = "Antiguo";
  antiguo.email = "antiguo@rifa.test";
  antiguo.password = kStrongPassword;
  auto made = wiring_->accounts().create_user(antiguo, engine::Rol::kJugador, engine::cli_actor());
  ASSERT_TRUE(made.ok());
  const auto old = login_as("antiguo@rifa.test");
  auto refused = buy(old, rifa, 1, "k1");
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(problem_type(refused), std::string(kProblems) + "fecha-nacimiento-requerida");
  EXPECT_EQ(count("SELECT count(*) FROM transacciones"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM idempotency_keys"), 0);  // nothing kept: the key is still free

  // Under 18 is refused here too.
  expect_problem(call("PATCH", "/api/v1/users/" + old.id, json{{"fecha_nacimiento", "2015-01-01"}}, old.token), 422,
                 "fecha_nacimiento");
  EXPECT_EQ(call("PATCH", "/api/v1/users/" + old.id, json{{"fecha_nacimiento", "1980-02-29"}}, old.token).status, 200);
  EXPECT_EQ(buy(old, rifa, 1, "k1").status, 201);
  // Set once by the player; corrected only by an admin, audited without the dates.
  expect_problem(call("PATCH", "/api/v1/users/" + old.id, json{{"fecha_nacimiento", "1981-02-28"}}, old.token), 409,
                 "fecha_nacimiento");
  auto fixed = call("PATCH", "/api/v1/users/" + old.id, json{{"fecha_nacimiento", "1981-02-28"}}, admin_.token);
  EXPECT_EQ(fixed.status, 200) << fixed.body;
  EXPECT_EQ(fixed.json()["fecha_nacimiento"], "1981-02-28");
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'user.birth_date_corrected' AND entity_id = '" +
                  old.id + "'"),
            1);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE CAST(data AS TEXT) LIKE '%1981-02-28%'"), 0);
}

// ---- self-exclusion ----------------------------------------------------------------------------

TEST_F(PlayersTest, SelfExclusionRefusesPurchasesAndCannotBeLiftedEarly) {
  const auto rifa = active_rifa("Oro");
  const auto ana = register_jugador("ana@rifa.test");
  const auto operador = make_user("operador@rifa.test", engine::Rol::kOperador);
  const std::string path = "/api/v1/users/" + ana.id + "/autoexclusion";
  expect_problem(call("POST", path, json{{"periodo", "2w"}}, ana.token), 422, "periodo");
  // Nobody else can exclude the player (or lift it).
  EXPECT_EQ(call("POST", path, json{{"periodo", "30d"}}, admin_.token).status, 403);
  auto made = call("POST", path, json{{"periodo", "30d"}}, ana.token);
  ASSERT_EQ(made.status, 201) << made.body;

  auto refused = buy(ana, rifa, 1, "x1");
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(problem_type(refused), std::string(kProblems) + "autoexcluido");
  EXPECT_EQ(count("SELECT count(*) FROM transacciones"), 0);
  // Staff buying on the player's behalf is refused as well.
  EXPECT_EQ(buy(admin_, rifa, 1, "x2", json{{"user_id", ana.id}}).status, 403);

  // Not early: by the player (409), nor by an admin or operador (403: no endpoint lets them).
  expect_problem(call("DELETE", path, "", ana.token), 409);
  expect_problem(call("DELETE", path, "", admin_.token), 403);
  expect_problem(call("DELETE", path, "", operador.token), 403);
  // Staff see it.
  auto listed = call("GET", "/api/v1/autoexclusiones", "", operador.token);
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.json()["items"].size(), 1u);
  EXPECT_EQ(listed.json()["items"][0]["usuario_id"], ana.id);
  EXPECT_EQ(call("GET", "/api/v1/autoexclusiones", "", ana.token).status, 403);
  auto state = call("GET", path, "", admin_.token);
  EXPECT_EQ(state.status, 200);
  EXPECT_TRUE(state.json()["excluido"].get<bool>());

  later(std::chrono::hours(24 * 30) - std::chrono::seconds(1));
  const auto again = login_as("ana@rifa.test");
  EXPECT_EQ(buy(again, rifa, 1, "x3").status, 403);
  clock_.advance(std::chrono::seconds(2));
  EXPECT_EQ(buy(again, rifa, 1, "x3").status, 201);
}

TEST_F(PlayersTest, LiftingAnIndefiniteExclusionTakesSevenDays) {
  const auto rifa = active_rifa("Oro");
  const auto ana = register_jugador("ana@rifa.test");
  const std::string path = "/api/v1/users/" + ana.id + "/autoexclusion";
  ASSERT_EQ(call("POST", path, json{{"periodo", "indefinida"}}, ana.token).status, 201);
  EXPECT_EQ(buy(ana, rifa, 1, "i1").status, 403);
  auto state = call("GET", path, "", ana.token).json();
  EXPECT_TRUE(state["indefinida"].get<bool>());
  const auto asked = clock_.now();
  auto lift = call("DELETE", path, "", ana.token);
  ASSERT_EQ(lift.status, 202) << lift.body;
  EXPECT_EQ(lift.json()["hasta"], engine::format_iso_time(asked + std::chrono::hours(24 * 7)));
  expect_problem(call("DELETE", path, "", ana.token), 409);  // already asked
  later(std::chrono::hours(24 * 7) - std::chrono::seconds(1));
  const auto again = login_as("ana@rifa.test");
  EXPECT_EQ(buy(again, rifa, 1, "i2").status, 403);
  clock_.advance(std::chrono::seconds(2));
  EXPECT_EQ(buy(again, rifa, 1, "i2").status, 201);
}

// ---- spending limits ---------------------------------------------------------------------------

TEST_F(PlayersTest, LimitsLowerAtOnceRaiseAfterADayAndNameWhatRemains) {
  move_to("2029-06-13T15:00:00Z");  // a Wednesday, mid-month
  const auto rifa = active_rifa("Oro", 5000, 100);
  const auto ana = register_jugador("ana@rifa.test");
  const std::string path = "/api/v1/users/" + ana.id + "/limites";
  EXPECT_EQ(call("PUT", path, json{{"diario", 1000}}, admin_.token).status, 403);  // only the player
  auto set = call("PUT", path, json{{"mensual", 12000}}, ana.token);
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(set.json()["limites"]["mensual"], 12000);
  EXPECT_TRUE(set.json()["pendientes"].is_null());

  EXPECT_EQ(buy(ana, rifa, 2, "l1").status, 201);  // 10000 of 12000
  auto over = buy(ana, rifa, 1, "l2");
  EXPECT_EQ(over.status, 403) << over.body;
  EXPECT_EQ(problem_type(over), std::string(kProblems) + "limite-de-gasto");
  EXPECT_EQ(over.json().value("field", ""), "limites.mensual");
  EXPECT_NE(over.json().value("detail", "").find("2000 remaining"), std::string::npos) << over.body;
  EXPECT_EQ(count("SELECT count(*) FROM transacciones"), 1);

  // Raising waits 24 h and is shown as pending meanwhile.
  auto raised = call("PUT", path, json{{"mensual", 20000}}, ana.token);
  ASSERT_EQ(raised.status, 200);
  EXPECT_EQ(raised.json()["limites"]["mensual"], 12000);
  EXPECT_EQ(raised.json()["pendientes"]["limites"]["mensual"], 20000);
  EXPECT_EQ(call("GET", path, "", ana.token).json()["pendientes"]["limites"]["mensual"], 20000);
  EXPECT_EQ(buy(ana, rifa, 1, "l3").status, 403);
  later(std::chrono::hours(24) + std::chrono::seconds(1));
  const auto again = login_as("ana@rifa.test");
  EXPECT_EQ(buy(again, rifa, 1, "l3").status, 201);
  EXPECT_TRUE(call("GET", path, "", again.token).json()["pendientes"].is_null());

  // Lowering is immediate (daily: a new Bogotá day has begun, nothing spent today).
  ASSERT_EQ(call("PUT", path, json{{"mensual", 20000}, {"diario", 4000}}, again.token).status, 200);
  auto daily = buy(again, rifa, 1, "l4");
  EXPECT_EQ(daily.status, 403);
  EXPECT_EQ(daily.json().value("field", ""), "limites.diario");
  // A failed payment does not count: the declined price is refused by the provider, not the limit.
}

TEST_F(PlayersTest, WeeksStartOnMondayAndMonthsOnTheFirstInBogota) {
  // Sunday 17 June 2029, 23:30 in Bogotá (04:30 UTC on Monday).
  move_to("2029-06-18T04:30:00Z");
  const auto rifa = active_rifa("Oro", 5000, 100);
  const auto ana = register_jugador("ana@rifa.test");
  ASSERT_EQ(call("PUT", "/api/v1/users/" + ana.id + "/limites", json{{"semanal", 5000}}, ana.token).status, 200);
  EXPECT_EQ(buy(ana, rifa, 1, "w1").status, 201);
  EXPECT_EQ(buy(ana, rifa, 1, "w2").status, 403);
  clock_.advance(std::chrono::ceil<std::chrono::seconds>(at("2029-06-18T05:00:01Z") - clock_.now()));
  // Monday 00:00:01 in Bogotá: a new week
  EXPECT_EQ(buy(ana, rifa, 1, "w2").status, 201);
}

TEST_F(PlayersTest, MonthsStartOnTheFirstInBogota) {
  // Saturday 30 June 2029, 23:30 in Bogotá (04:30 UTC on 1 July): still June there.
  move_to("2029-07-01T04:30:00Z");
  const auto rifa = active_rifa("Oro", 5000, 100);
  const auto ana = register_jugador("ana@rifa.test");
  ASSERT_EQ(call("PUT", "/api/v1/users/" + ana.id + "/limites", json{{"mensual", 5000}}, ana.token).status, 200);
  EXPECT_EQ(buy(ana, rifa, 1, "m1").status, 201);
  auto over = buy(ana, rifa, 1, "m2");
  EXPECT_EQ(over.status, 403) << over.body;
  EXPECT_EQ(over.json().value("field", ""), "limites.mensual");
  // 1 July 00:00:01 in Bogotá: a new month.
  clock_.advance(std::chrono::ceil<std::chrono::seconds>(at("2029-07-01T05:00:01Z") - clock_.now()));
  EXPECT_EQ(buy(ana, rifa, 1, "m2").status, 201);
}

// Removing a limit loosens it like a raise: it waits 24 h, and the limit holds meanwhile.
TEST_F(PlayersTest, RemovingALimitIsARaiseAndWaitsADay) {
  move_to("2029-06-13T15:00:00Z");  // mid-month: the month does not turn over in the test
  const auto rifa = active_rifa("Oro", 5000, 100);
  const auto ana = register_jugador("ana@rifa.test");
  const std::string path = "/api/v1/users/" + ana.id + "/limites";
  ASSERT_EQ(call("PUT", path, json{{"mensual", 5000}}, ana.token).status, 200);
  EXPECT_EQ(buy(ana, rifa, 1, "r1").status, 201);
  EXPECT_EQ(buy(ana, rifa, 1, "r2").status, 403);

  auto removed = call("PUT", path, json::object(), ana.token);
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_EQ(removed.json()["limites"]["mensual"], 5000) << removed.body;
  EXPECT_FALSE(removed.json()["pendientes"].is_null()) << removed.body;
  EXPECT_TRUE(removed.json()["pendientes"]["limites"]["mensual"].is_null()) << removed.body;
  later(std::chrono::hours(23));
  auto still = login_as("ana@rifa.test");
  EXPECT_EQ(buy(still, rifa, 1, "r2").status, 403);
  later(std::chrono::hours(1) + std::chrono::seconds(1));
  auto free = login_as("ana@rifa.test");
  EXPECT_EQ(buy(free, rifa, 1, "r2").status, 201);
  EXPECT_TRUE(call("GET", path, "", free.token).json()["limites"]["mensual"].is_null());
}

// 32 concurrent purchases by one player never take them over their limit; on PostgreSQL half of
// them go through a second host (its own wiring, server and connection pool on the same database).
TEST_F(PlayersTest, ThirtyTwoConcurrentPurchasesNeverExceedTheLimitAcrossTwoHosts) {
  // Two rifas: the buyer's purchases in one rifa already take turns (the held-numbers lock), so the
  // limit's own lock (the buyer's users row) is what keeps purchases in different rifas in line.
  const std::string rifas[] = {active_rifa("Oro", 5000, 100), active_rifa("Oro", 5000, 100)};
  const auto ana = register_jugador("ana@rifa.test");
  ASSERT_EQ(call("PUT", "/api/v1/users/" + ana.id + "/limites", json{{"diario", 35000}}, ana.token).status, 200);

  // The second host.
  auto second_db = test_db_->open(8);
  app::ApiWiringOptions options;
  options.jwt_secret = kTestJwtSecret;
  options.lottery_instances = {"mock", "bogota"};
  options.clock = &clock_;
  options.password_cost = api::PasswordHasher::Cost::kMinimal;
  // SalesApiTest::configure_api loads a new plugin registry into plugins_: the second host keeps
  // that one, the first host gets its own back.
  auto first_plugins = std::move(plugins_);
  configure_api(options);
  auto second_plugins = std::move(plugins_);
  plugins_ = std::move(first_plugins);
  auto wiring = std::make_unique<app::ApiWiring>(*second_db, options);
  api::Router router;
  app::register_http_routes(router, *wiring, api::HealthProbes{}, metrics_, "second");
  api::ServerOptions server_options;
  server_options.port = 0;
  server_options.io_threads = 8;
  api::HttpServer second(server_options, router,
                         std::make_shared<spdlog::logger>("http2", std::make_shared<spdlog::sinks::null_sink_mt>()),
                         nullptr);
  ASSERT_TRUE(second.start().ok());
  const std::string second_base = "http://127.0.0.1:" + std::to_string(second.port());

  constexpr int kPurchases = 32;
  std::atomic<int> created{0}, limited{0};
  std::mutex mutex;
  std::vector<std::string> unexpected;
  std::vector<std::thread> threads;
  for (int i = 0; i < kPurchases; ++i) {
    threads.emplace_back([&, i] {
      const json body = {{"quantity", 1 + i % 2}, {"idempotency_key", "c" + std::to_string(i)}};
      const std::string path = "/api/v1/rifas/" + rifas[(i / 2) % 2] + "/tickets";
      ApiReply r = i % 2 == 0 ? http_call("POST", url(path), body.dump(), ana.token)
                              : http_call("POST", second_base + path, body.dump(), ana.token);
      if (r.status == 201) {
        ++created;
      } else if (r.status == 403 && r.json().value("type", "") == std::string(kProblems) + "limite-de-gasto") {
        ++limited;
      } else {
        std::lock_guard lock(mutex);
        unexpected.push_back(std::to_string(r.status) + " " + r.body);
      }
    });
  }
  for (auto& t : threads) t.join();
  second.stop();
  EXPECT_TRUE(unexpected.empty()) << unexpected.front();
  const long long spent = count("SELECT COALESCE(sum(amount), 0) FROM transacciones WHERE user_id = '" + ana.id +
                                "' AND status IN ('pending', 'succeeded')");
  EXPECT_LE(spent, 35000);
  EXPECT_GE(spent, 30000);  // serialised, not refused wholesale: the limit was filled
  EXPECT_EQ(created + limited, kPurchases);
  EXPECT_GT(limited.load(), 0);
  wiring.reset();
}

// A self-exclusion committed while 32 purchases of the same player are under way binds from its
// commit: no purchase commits after it. The test's own transaction stands in for the exclusion's,
// so that purchases are caught mid-way: on PostgreSQL it takes the player's users row FOR UPDATE,
// which every purchase then waits for (at the first step's foreign-key check, its snapshot already
// taken, or at the buyer's lock), sets autoexcluido_hasta, counts the player's purchases and
// commits while they wait; on SQLite it holds the write lock and they wait for it at BEGIN.
TEST_F(PlayersTest, AnExclusionCommittedMidPurchaseRefusesEveryPurchaseCommittingAfterIt) {
  const std::string rifas[] = {active_rifa("Oro", 5000, 100), active_rifa("Oro", 5000, 100),
                               active_rifa("Oro", 5000, 100), active_rifa("Oro", 5000, 100)};
  const auto ana = register_jugador("ana@rifa.test");
  const bool pg = test_db_->db().backend() == storage::Backend::kPostgresql;

  constexpr int kPurchases = 32;
  std::atomic<int> created{0}, excluded{0};
  std::mutex mutex;
  std::vector<std::string> unexpected;
  std::vector<std::thread> threads;
  for (int i = 0; i < kPurchases; ++i) {
    threads.emplace_back([&, i] {
      const json body = {{"quantity", 1}, {"idempotency_key", "e" + std::to_string(i)}};
      ApiReply r = http_call("POST", url("/api/v1/rifas/" + rifas[i % 4] + "/tickets"), body.dump(), ana.token);
      if (r.status == 201) {
        ++created;
      } else if (r.status == 403 && r.json().value("type", "") == std::string(kProblems) + "autoexcluido") {
        ++excluded;
      } else {
        std::lock_guard lock(mutex);
        unexpected.push_back(std::to_string(r.status) + " " + r.body);
      }
    });
  }
  // Mid-way: some purchases went through first.
  for (int i = 0; i < 3000 && created.load() < 4; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));

  auto own = test_db_->open(1);
  long long at_commit = -1;
  {
    auto lease = own->lease();
    soci::session& sql = lease.session();
    sql << (pg ? "BEGIN" : "BEGIN IMMEDIATE");
    if (pg) {
      std::string id;
      sql << "SELECT id FROM users WHERE id = :id FOR UPDATE", soci::use(ana.id), soci::into(id);
      // Until purchases wait on it (each holds its snapshot of before the exclusion). Asked on a
      // connection of its own: the waiting purchases may hold every session of the server's pool.
      auto watch = test_db_->open(1);
      auto watching = watch->lease();
      for (int i = 0; i < 1000; ++i) {
        long long waiting = 0;
        watching.session() << "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND "
                              "wait_event_type = 'Lock'",
            soci::into(waiting);
        if (waiting >= 2) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    const std::string hasta = storage::format_timestamp(clock_.now() + std::chrono::hours(24 * 30));
    sql << std::string("UPDATE users SET autoexcluido_hasta = ") + (pg ? "CAST(:h AS TIMESTAMPTZ)" : ":h") +
               " WHERE id = :id",
        soci::use(hasta), soci::use(ana.id);
    sql << "SELECT count(*) FROM transacciones WHERE user_id = :id", soci::use(ana.id), soci::into(at_commit);
    sql << "COMMIT";
  }
  for (auto& t : threads) t.join();
  EXPECT_TRUE(unexpected.empty()) << unexpected.front();
  EXPECT_EQ(created + excluded, kPurchases);
  EXPECT_GT(excluded.load(), 0);
  EXPECT_GE(created.load(), 4);
  // Nothing sold after the exclusion's commit.
  EXPECT_EQ(count("SELECT count(*) FROM transacciones WHERE user_id = '" + ana.id + "'"), at_commit);
  EXPECT_EQ(created.load(), at_commit);
}

// ---- habeas data -------------------------------------------------------------------------------

// Every table with a user column, asked of the schema here (independently of the export's code).
std::vector<std::pair<std::string, std::string>> user_tables(TestDatabase& db) {
  auto lease = db.db().lease();
  return storage::tables_with_user_column(lease.session(), db.db().backend());
}

TEST_F(PlayersTest, ExportHoldsEveryRowOfEveryTableWithAUserColumn) {
  const auto rifa = active_rifa("Oro", 5000, 100);
  const auto ana = register_jugador("ana@rifa.test");
  const auto beto = register_jugador("beto@rifa.test");
  ASSERT_EQ(buy(ana, rifa, 2, "e1").status, 201);
  ASSERT_EQ(buy(beto, rifa, 1, "e2").status, 201);
  ASSERT_EQ(call("PUT", "/api/v1/users/" + ana.id + "/limites", json{{"mensual", 900000}}, ana.token).status, 200);
  ASSERT_EQ(call("POST", "/api/v1/users/" + ana.id + "/autoexclusion", json{{"periodo", "30d"}}, ana.token).status,
            201);

  EXPECT_EQ(call("GET", "/api/v1/users/" + ana.id + "/export", "", beto.token).status, 403);
  EXPECT_EQ(call("GET", "/api/v1/users/" + ana.id + "/export", "", admin_.token).status, 200);
  auto reply = call("GET", "/api/v1/users/" + ana.id + "/export", "", ana.token);
  ASSERT_EQ(reply.status, 200) << reply.body;
  const json tables = reply.json()["tables"];

  const auto found = user_tables(*test_db_);
  std::set<std::string> names;
  for (const auto& [table, column] : found) names.insert(table);
  // The tables known today are found (a future one is found the same way and must be exported).
  for (const char* t : {"transacciones", "tickets", "idempotency_keys", "autoexclusiones"}) {
    EXPECT_TRUE(names.count(t)) << t;
  }
  for (const auto& [table, column] : found) {
    const long long rows = count("SELECT count(*) FROM \"" + table + "\" WHERE \"" + column + "\" = '" + ana.id + "'");
    ASSERT_TRUE(tables.contains(table)) << table << " is not in the export";
    EXPECT_EQ(static_cast<long long>(tables[table].size()), rows) << table;
    // Each row is there, whole: its id (or first column) matches one of the player's rows.
    for (const auto& row : tables[table]) EXPECT_EQ(row[column], ana.id) << table;
  }
  EXPECT_EQ(tables["transacciones"].size(), 1u);
  EXPECT_EQ(tables["tickets"].size(), 2u);
  ASSERT_EQ(tables["users"].size(), 1u);
  EXPECT_EQ(tables["users"][0]["email"], "ana@rifa.test");
  EXPECT_FALSE(tables["users"][0].contains("hashed_password"));
  EXPECT_NE(reply.body.find("900000"), std::string::npos);  // the limits, in the users row
  // Nothing of the other player.
  EXPECT_EQ(reply.body.find(beto.id), std::string::npos);
}

struct CapturedLog {
  std::ostringstream out;
  std::shared_ptr<spdlog::logger> previous = spdlog::default_logger();
  CapturedLog() {
    auto logger = std::make_shared<spdlog::logger>("captured", std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
    logger->set_level(spdlog::level::trace);
    spdlog::set_default_logger(logger);
  }
  ~CapturedLog() { spdlog::set_default_logger(previous); }
};

TEST_F(PlayersTest, ErasureLeavesNoPersonalFieldAnywhereAndKeepsTheMoney) {
  const auto rifa = active_rifa("Oro", 5000, 100);
  const std::string email = "zuleima.quintero@rifa.test", nombre = "Zuleima Quintero Prueba";
  const std::string documento = "1098765432", telefono = "+573001112233", birth = "1991-04-23";
  json body = registration(email, nombre);
  body["documento_numero"] = documento;
  body["fecha_nacimiento"] = birth;
  body["telefono"] = telefono;
  ASSERT_EQ(sign_up(body).status, 202);
  const auto z = login_as(email);
  ASSERT_EQ(buy(z, rifa, 3, "z1").status, 201);
  ASSERT_EQ(call("PATCH", "/api/v1/users/" + z.id, json{{"notificaciones", {{"email", false}}}}, z.token).status, 200);
  ASSERT_EQ(call("PUT", "/api/v1/users/" + z.id + "/limites", json{{"mensual", 900000}}, z.token).status, 200);
  // A failed log-in: the throttle keeps a row keyed by the email.
  EXPECT_EQ(call("POST", "/api/v1/auth/login", json{{"email", email}, {"password", "wrong-password-1"}}, "").status,
            401);
  const auto other = register_jugador("otro@rifa.test");
  ASSERT_EQ(buy(other, rifa, 1, "o1").status, 201);

  const std::string report =
      "/api/v1/admin/reportes/ingresos?desde=" +
      engine::format_civil_date(engine::bogota_date(clock_.now() - std::chrono::hours(48))) +
      "&hasta=" + engine::format_civil_date(engine::bogota_date(clock_.now() + std::chrono::hours(48)));
  const json before = call("GET", report, "", admin_.token).json();
  const long long paid = count("SELECT sum(amount) FROM transacciones WHERE user_id = '" + z.id + "'");

  // Only the player or an admin.
  EXPECT_EQ(call("DELETE", "/api/v1/users/" + z.id + "?erase=true", "", other.token).status, 403);
  CapturedLog log;
  auto erased = call("DELETE", "/api/v1/users/" + z.id + "?erase=true", "", z.token);
  ASSERT_EQ(erased.status, 204) << erased.body;

  {  // No personal value remains in any text column of any table.
    auto lease = test_db_->db().lease();
    const bool pg = test_db_->db().backend() == storage::Backend::kPostgresql;
    std::vector<std::string> tables;
    {
      std::string t;
      soci::statement st =
          (lease.session().prepare << (pg ? "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                                            "current_schema() AND table_type = 'BASE TABLE'"
                                          : "SELECT name FROM sqlite_master WHERE type = 'table'"),
           soci::into(t));
      st.execute();
      while (st.fetch()) tables.push_back(t);
    }
    ASSERT_GT(tables.size(), 10u);
    for (const auto& table : tables) {
      for (const auto& column : storage::table_columns(lease.session(), test_db_->db().backend(), table)) {
        for (const std::string& needle :
             {email, std::string("zuleima"), std::string("Quintero"), documento, telefono, birth}) {
          long long n = 0;
          const std::string pattern = "%" + needle + "%";
          lease.session() << "SELECT count(*) FROM \"" + table + "\" WHERE lower(CAST(\"" + column +
                                 "\" AS TEXT)) LIKE lower(:p)",
              soci::use(pattern), soci::into(n);
          EXPECT_EQ(n, 0) << needle << " remains in " << table << "." << column;
        }
      }
    }
  }
  // The account is gone for good: its token, and logging in. (Checked after the scan: a log-in
  // attempt with the old address writes a throttle row keyed by what was typed, like any address.)
  EXPECT_EQ(call("GET", "/api/v1/users/" + z.id, "", z.token).status, 401);
  EXPECT_EQ(call("POST", "/api/v1/auth/login", json{{"email", email}, {"password", kStrongPassword}}, "").status, 401);
  EXPECT_EQ(buy(z, rifa, 1, "z2").status, 401);
  // Erasing again (an admin, later) is harmless.
  EXPECT_EQ(call("DELETE", "/api/v1/users/" + z.id + "?erase=true", "", admin_.token).status, 204);
  const json user = call("GET", "/api/v1/users/" + z.id, "", admin_.token).json();
  EXPECT_FALSE(user["anonimizado_en"].is_null());
  EXPECT_TRUE(user["fecha_nacimiento"].is_null());

  // The money stays, linked to the same (pseudonymous) id; the reports do not move.
  EXPECT_EQ(count("SELECT sum(amount) FROM transacciones WHERE user_id = '" + z.id + "'"), paid);
  EXPECT_EQ(count("SELECT count(*) FROM tickets WHERE usuario_id = '" + z.id + "'"), 3);
  EXPECT_EQ(call("GET", report, "", admin_.token).json(), before);
  // The audit chain still verifies (rifa-host audit verify runs verify_audit_chain).
  ASSERT_TRUE(storage::seal_pending_audit(test_db_->db()).ok());
  auto chain = storage::verify_audit_chain(test_db_->db());
  ASSERT_TRUE(chain.ok()) << chain.error().message;
  EXPECT_TRUE(chain->intact()) << chain->problem;
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'user.erased' AND entity_id = '" + z.id + "'"), 1);
  // Nothing logged since contains them.
  spdlog::default_logger()->flush();
  for (const std::string& needle : {email, nombre, documento, telefono}) {
    EXPECT_EQ(log.out.str().find(needle), std::string::npos) << needle << " logged: " << log.out.str();
  }
}

TEST_F(PlayersTest, RetentionErasesInactiveJugadoresOnly) {
  const auto ana = register_jugador("ana@rifa.test");  // logs in now
  const auto beto = register_jugador("beto@rifa.test");
  clock_.advance(std::chrono::hours(24 * 200));
  (void)login_as("beto@rifa.test");  // beto is active again
  clock_.advance(std::chrono::hours(24 * 200));
  (void)login_as("admin@rifa.test");
  // 365 days of retention: ana was last seen 400 days ago, beto 200.
  auto db = test_db_->open(2);
  storage::SqlPlayerRepository repo(*db, clock_);
  engine::RandomIdGenerator ids;
  engine::PlayerService service(repo, clock_, ids, engine::DataPolicy{"1", 365});
  auto erased = service.erase_inactive();
  ASSERT_TRUE(erased.ok()) << erased.error().message;
  EXPECT_EQ(*erased, 1);
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE email = 'ana@rifa.test'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE email = 'beto@rifa.test'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE email = 'admin@rifa.test'"), 1);  // staff are kept
  EXPECT_EQ(*service.erase_inactive(), 0);
  (void)ana;
}

}  // namespace
}  // namespace rifa::testing
