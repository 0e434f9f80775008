#include <gtest/gtest.h>

#include "server/router.hpp"

namespace rifa::api {
namespace {

Request req(const std::string& method, const std::string& path) {
  Request r;
  r.method = method;
  r.path = path;
  return r;
}

TEST(Router, CapturesPathParametersAndIgnoresATrailingSlash) {
  Router router;
  router.add("GET", "/api/v1/rifas/{id}/tickets", [](Request& r) { return json_response(200, r.path_params["id"]); });
  auto r = req("GET", "/api/v1/rifas/abc-123/tickets/");
  auto match = router.match(r);
  ASSERT_NE(match.handler, nullptr);
  EXPECT_EQ(match.route_name, "/api/v1/rifas/{id}/tickets");
  EXPECT_EQ((*match.handler)(r).body, "abc-123");
}

TEST(Router, WrongMethodListsTheAllowedOnes) {
  Router router;
  router.add("GET", "/api/v1/rifas", [](Request&) { return json_response(200, "[]"); });
  router.add("POST", "/api/v1/rifas", [](Request&) { return json_response(201, "{}"); });
  auto r = req("DELETE", "/api/v1/rifas");
  auto match = router.match(r);
  EXPECT_EQ(match.handler, nullptr);
  EXPECT_EQ(match.allowed_methods, (std::vector<std::string>{"GET", "POST"}));
}

TEST(Router, NoMatchAndEmptySegments) {
  Router router;
  router.add("GET", "/api/v1/rifas/{id}", [](Request&) { return json_response(200, "{}"); });
  auto r = req("GET", "/api/v1/rifas//");
  EXPECT_EQ(router.match(r).handler, nullptr);
  auto other = req("GET", "/api/v2/rifas/1");
  auto m = router.match(other);
  EXPECT_EQ(m.handler, nullptr);
  EXPECT_TRUE(m.allowed_methods.empty());
}

TEST(Problem, BodyFollowsRfc9457) {
  auto p = problem(422, "validation", "Invalid field", "quantity must be between 1 and 100", "quantity");
  EXPECT_EQ(p.status, 422);
  EXPECT_EQ(p.content_type, "application/problem+json");
  EXPECT_EQ(
      p.body,
      R"({"detail":"quantity must be between 1 and 100","field":"quantity","status":422,"title":"Invalid field","type":"https://rifa1122.dev/problems/validation"})");
}

}  // namespace
}  // namespace rifa::api
