// GET /rifas/{id}/tickets and GET /users/{id}/tickets: who sees which tickets (IDOR), through
// filters and pages too.
#include "sales_fixture.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;

class TicketsAccessTest : public SalesApiTest {
 protected:
  void SetUp() override {
    SalesApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    rifa_ = active_rifa("Oro", 5000, 20);
    ana_ = register_jugador("ana@rifa.test");
    beto_ = register_jugador("beto@rifa.test");
    ASSERT_EQ(buy(ana_, rifa_, 2, "a").status, 201);
    ASSERT_EQ(buy(beto_, rifa_, 3, "b").status, 201);
  }
  static std::set<std::string> owners(const json& page) {
    std::set<std::string> out;
    for (const auto& t : page["items"])
      out.insert(t["usuario_id"].is_string() ? t["usuario_id"].get<std::string>() : "");
    return out;
  }

  std::string rifa_;
  Account ana_, beto_;
};

TEST_F(TicketsAccessTest, AJugadorSeesOnlyTheirOwnTicketsOfARifaWhateverTheFiltersOrPage) {
  auto mine = call("GET", "/api/v1/rifas/" + rifa_ + "/tickets", "", ana_.token);
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(mine.json()["total"], 2);
  EXPECT_EQ(owners(mine.json()), std::set<std::string>{ana_.id});
  EXPECT_EQ(mine.json()["items"][0]["numero"], 0);
  EXPECT_EQ(mine.json()["items"][0]["estado"], "vendido");

  for (const std::string query :
       {"?page=2&per_page=1", "?per_page=100", "?estado=vendido", "?estado=disponible", "?page=3&per_page=2"}) {
    SCOPED_TRACE(query);
    auto r = call("GET", "/api/v1/rifas/" + rifa_ + "/tickets" + query, "", ana_.token);
    ASSERT_EQ(r.status, 200) << r.body;
    for (const auto& owner : owners(r.json())) EXPECT_EQ(owner, ana_.id);
    EXPECT_LE(r.json()["total"].get<int>(), 2);
  }
  expect_problem(call("GET", "/api/v1/rifas/" + rifa_ + "/tickets?usuario_id=" + beto_.id, "", ana_.token), 403,
                 "usuario_id");
  auto own_filter = call("GET", "/api/v1/rifas/" + rifa_ + "/tickets?usuario_id=" + ana_.id, "", ana_.token);
  EXPECT_EQ(own_filter.json()["total"], 2) << own_filter.body;
}

TEST_F(TicketsAccessTest, AJugadorCannotReadAnotherUsersTickets) {
  expect_problem(call("GET", "/api/v1/users/" + beto_.id + "/tickets", "", ana_.token), 403);
  auto own = call("GET", "/api/v1/users/" + ana_.id + "/tickets", "", ana_.token);
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(own.json()["total"], 2);
  EXPECT_EQ(owners(own.json()), std::set<std::string>{ana_.id});
  auto filtered =
      call("GET", "/api/v1/users/" + ana_.id + "/tickets?rifa_id=" + rifa_ + "&estado=vendido", "", ana_.token);
  EXPECT_EQ(filtered.json()["total"], 2) << filtered.body;
  expect_problem(call("GET", "/api/v1/users/" + ana_.id + "/tickets"), 401);
  expect_problem(call("GET", "/api/v1/rifas/" + rifa_ + "/tickets"), 401);
}

TEST_F(TicketsAccessTest, StaffSeeEveryTicketAndFilter) {
  auto operador = make_user("op@rifa.test", engine::Rol::kOperador);
  auto all = call("GET", "/api/v1/rifas/" + rifa_ + "/tickets?per_page=100", "", operador.token);
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(all.json()["total"], 20);
  auto sold = call("GET", "/api/v1/rifas/" + rifa_ + "/tickets?estado=vendido", "", admin_.token);
  EXPECT_EQ(sold.json()["total"], 5);
  auto betos = call("GET", "/api/v1/rifas/" + rifa_ + "/tickets?usuario_id=" + beto_.id, "", admin_.token);
  EXPECT_EQ(betos.json()["total"], 3);
  auto user = call("GET", "/api/v1/users/" + beto_.id + "/tickets", "", admin_.token);
  EXPECT_EQ(user.json()["total"], 3);
  EXPECT_EQ(owners(user.json()), std::set<std::string>{beto_.id});
}

TEST_F(TicketsAccessTest, BadListingParametersAre4xx) {
  expect_problem(call("GET", "/api/v1/rifas/" + rifa_ + "/tickets?estado=robado", "", admin_.token), 422, "estado");
  expect_problem(call("GET", "/api/v1/rifas/" + rifa_ + "/tickets?per_page=1000", "", admin_.token), 422, "per_page");
  expect_problem(call("GET", "/api/v1/rifas/" + rifa_ + "/tickets?page=-1", "", admin_.token), 422, "page");
  expect_problem(call("GET", "/api/v1/rifas/no-such-rifa/tickets", "", admin_.token), 404);
  expect_problem(call("GET", "/api/v1/rifas/%27%20OR%201%3D1--/tickets", "", ana_.token), 404);
  auto sqlish = call("GET", "/api/v1/users/" + ana_.id + "/tickets?rifa_id=%27%20OR%20%271%27%3D%271", "", ana_.token);
  ASSERT_EQ(sqlish.status, 200) << sqlish.body;
  EXPECT_EQ(sqlish.json()["total"], 0);
}

}  // namespace
}  // namespace rifa::testing
