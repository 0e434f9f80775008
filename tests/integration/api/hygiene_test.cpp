// API hygiene over real HTTP: rate limits (per IP and per user), CORS, body limit, security
// headers, request ids (on responses and in log lines) and the served OpenAPI document.
#include <regex>
#include <sstream>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "api_fixture.hpp"
#include "signup.hpp"
#include "app/logging.hpp"
#include "server/client_rate_limits.hpp"
#include "storage/repositories/audit_chain_verifier.hpp"
#include "storage/repositories/audit_sealer.hpp"
#include "storage/repositories/audit_writer.hpp"

namespace rifa::testing {
namespace {

// A bucket that practically never refills during a test: what a test may send is exactly the burst,
// whatever the machine's speed.
constexpr double kNoRefillPerSecond = 0.0001;

std::string header(const ApiReply& reply, const std::string& lower_name) {
  auto it = reply.headers.find(lower_name);
  return it == reply.headers.end() ? std::string() : it->second;
}

bool has_header(const ApiReply& reply, const std::string& lower_name) { return reply.headers.count(lower_name) > 0; }

void expect_rate_limited(const ApiReply& reply) {
  expect_problem(reply, 429);
  EXPECT_EQ(reply.json().value("type", ""), "https://rifa1122.dev/problems/rate-limited") << reply.body;
  const std::string retry_after = header(reply, "retry-after");
  ASSERT_FALSE(retry_after.empty()) << "429 without Retry-After";
  EXPECT_TRUE(std::regex_match(retry_after, std::regex("[1-9][0-9]*"))) << retry_after;
}

// --- per IP -------------------------------------------------------------------------------------

class PerIpLimitTest : public ApiTest {
 protected:
  static constexpr int kBurst = 6;
  void configure_server(api::ServerOptions& options) override {
    limits_ = std::make_unique<api::ClientRateLimits>(api::RateLimit{kNoRefillPerSecond, kBurst}, api::RateLimit{},
                                                      &metrics_);
    options.rate_limits = limits_.get();
  }
  std::unique_ptr<api::ClientRateLimits> limits_;
};

TEST_F(PerIpLimitTest, EveryRequestFromOneAddressCountsUntil429WithRetryAfter) {
  // SetUp already spent part of the burst (the admin's login comes from 127.0.0.1 too).
  int allowed = 0;
  ApiReply last;
  for (int i = 0; i < kBurst + 1; ++i) {
    last = call("GET", "/api/v1/categorias");
    if (last.status == 429) break;
    EXPECT_EQ(last.status, 200) << last.body;
    ++allowed;
  }
  EXPECT_LT(allowed, kBurst);
  expect_rate_limited(last);
  EXPECT_TRUE(has_header(last, "x-request-id"));

  // Unauthenticated or not, any route: the address is out of tokens.
  expect_rate_limited(
      call("POST", "/api/v1/auth/login", nlohmann::json{{"email", admin_.email}, {"password", kStrongPassword}}, ""));
  expect_rate_limited(call("GET", "/api/v1/no-such-route"));
}

// Behind a trusted proxy (here the test itself, on 127.0.0.1) the limit counts the address the
// proxy names, so one busy client does not exhaust every client's budget.
class TrustedProxyLimitTest : public PerIpLimitTest {
 protected:
  void configure_server(api::ServerOptions& options) override {
    PerIpLimitTest::configure_server(options);
    options.trusted_proxies = {"127.0.0.1/32", "::1"};
  }
  ApiReply from(const std::string& forwarded_for) {
    return http_call("GET", url("/api/v1/categorias"), "", "", {"X-Forwarded-For: " + forwarded_for});
  }
};

TEST_F(TrustedProxyLimitTest, EachForwardedClientHasItsOwnBudgetAndForgedHopsAreIgnored) {
  ApiReply last;
  for (int i = 0; i < kBurst + 1 && last.status != 429; ++i) last = from("203.0.113.1");
  expect_rate_limited(last);
  EXPECT_NE(last.json().value("detail", "").find("203.0.113.1"), std::string::npos) << last.body;
  // Another client behind the same proxy still gets through.
  EXPECT_EQ(from("203.0.113.2").status, 200);
  // The limited client cannot escape by writing another address left of the one the proxy appended.
  expect_rate_limited(from("198.51.100.77, 203.0.113.1"));
}

class UntrustedPeerLimitTest : public PerIpLimitTest {
 protected:
  void configure_server(api::ServerOptions& options) override {
    PerIpLimitTest::configure_server(options);
    options.trusted_proxies = {"10.0.0.0/8"};  // some proxy, not the test's address
  }
};

TEST_F(UntrustedPeerLimitTest, AForgedForwardedForFromAnUntrustedPeerIsIgnored) {
  ApiReply last;
  for (int i = 0; i < kBurst + 1 && last.status != 429; ++i) {
    last = http_call("GET", url("/api/v1/categorias"), "", "", {"X-Forwarded-For: 203.0.113." + std::to_string(i)});
  }
  expect_rate_limited(last);
  EXPECT_NE(last.json().value("detail", "").find("127.0.0.1"), std::string::npos) << last.body;
}

TEST_F(PerIpLimitTest, HealthAndMetricsAreExemptAndCountRejections) {
  for (int i = 0; i < kBurst + 1; ++i) call("GET", "/api/v1/categorias");
  expect_rate_limited(call("GET", "/api/v1/categorias"));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(call("GET", "/api/v1/health").status, 200);
  auto metrics = call("GET", "/metrics");
  ASSERT_EQ(metrics.status, 200);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(metrics.body, m, std::regex(R"(rifa_http_rate_limited_total\{scope="ip"\} (\d+))")))
      << metrics.body;
  EXPECT_GE(std::stoi(m[1]), 2);
}

// --- the client address in the audit log --------------------------------------------------------

// Behind a trusted proxy an audit entry written for a request records the client the proxy names
// (not the proxy), the sealed chain covers it and still verifies, and the audit API shows it.
class TrustedProxyAuditTest : public ApiTest {
 protected:
  void configure_server(api::ServerOptions& options) override { options.trusted_proxies = {"127.0.0.1/32", "::1"}; }
  std::string audited_address(const std::string& categoria_id) {
    std::string address;
    auto lease = test_db_->db().lease();
    soci::indicator ind = soci::i_null;
    lease.session() << "SELECT client_address FROM audit_log WHERE action = 'categoria.created' AND entity_id = :id",
        soci::use(categoria_id), soci::into(address, ind);
    return ind == soci::i_ok ? address : "(null)";
  }
  std::string create_from(const std::string& nombre, const std::string& forwarded_for) {
    auto r = http_call("POST", url("/api/v1/categorias"),
                       nlohmann::json{{"nombre", nombre}, {"valor_boleta", 1000}, {"rake", "0.1"}}.dump(), admin_.token,
                       {"X-Forwarded-For: " + forwarded_for});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().value("id", "");
  }
};

TEST_F(TrustedProxyAuditTest, AnAuditEntryRecordsTheForwardedClientNotTheProxy) {
  // The proxy appended 203.0.113.9; the hop left of it is the client's own claim.
  const std::string id = create_from("Reenviada", "198.51.100.77, 203.0.113.9");
  EXPECT_EQ(audited_address(id), "203.0.113.9");

  auto sealed = storage::seal_pending_audit(test_db_->db());
  ASSERT_TRUE(sealed.ok()) << sealed.error().message;
  auto report = storage::verify_audit_chain(test_db_->db());
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_TRUE(report->intact()) << report->problem;

  auto listed = call("GET", "/api/v1/admin/audit?action=categoria.created&entity_id=" + id, "", admin_.token);
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(listed.json()["items"].size(), 1u) << listed.body;
  EXPECT_EQ(listed.json()["items"][0]["client_address"], "203.0.113.9") << listed.body;
}

class UntrustedPeerAuditTest : public TrustedProxyAuditTest {
 protected:
  void configure_server(api::ServerOptions& options) override { options.trusted_proxies = {"10.0.0.0/8"}; }
};

TEST_F(UntrustedPeerAuditTest, AForgedForwardedForIsNotWhatTheAuditLogRecords) {
  EXPECT_EQ(audited_address(create_from("Forjada", "203.0.113.9")), "127.0.0.1");
}

// The canonical entry covers the address only when there is one: entries without one (all those
// written before it was recorded) hash exactly as before, so an existing chain still verifies.
TEST(AuditCanonicalForm, TheClientAddressIsCoveredOnlyWhenSet) {
  storage::AuditRecord record{"u1", "x.y", "t", "e1", nlohmann::json::object(), {}};
  const std::string without = storage::canonical_audit_json(record);
  EXPECT_EQ(without.find("client_address"), std::string::npos) << without;
  record.client_address = "203.0.113.9";
  const std::string with = storage::canonical_audit_json(record);
  EXPECT_NE(with.find(R"("client_address":"203.0.113.9")"), std::string::npos) << with;
  storage::AuditRecord edited = record;
  edited.client_address = "203.0.113.8";
  EXPECT_NE(storage::sealed_audit_hash(storage::kAuditGenesisHash, record, 1),
            storage::sealed_audit_hash(storage::kAuditGenesisHash, edited, 1));
}

// --- health: a saturated pool is busy, not down ------------------------------------------------------

TEST_F(ApiTest, ASaturatedDatabasePoolIsReportedBusyNotDown) {
  // Every pooled session held: the ping waits its 2 s for one and gives up.
  std::vector<storage::SessionLease> held;
  for (int i = 0; i < 4; ++i) held.push_back(test_db_->db().lease());
  auto ready = call("GET", "/api/v1/health/ready");
  EXPECT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(ready.json()["checks"]["database"]["status"], "busy") << ready.body;
  EXPECT_NE(ready.json()["checks"]["database"]["detail"].get<std::string>().find("busy"), std::string::npos);
  held.clear();
  auto after = call("GET", "/api/v1/health/ready");
  EXPECT_EQ(after.json()["checks"]["database"]["status"], "up") << after.body;
}

// --- per user -----------------------------------------------------------------------------------

class PerUserLimitTest : public ApiTest {
 protected:
  static constexpr int kBurst = 3;
  void configure_api(app::ApiWiringOptions& options) override {
    limits_ = std::make_unique<api::ClientRateLimits>(api::RateLimit{}, api::RateLimit{kNoRefillPerSecond, kBurst},
                                                      &metrics_);
    options.rate_limits = limits_.get();
  }
  std::unique_ptr<api::ClientRateLimits> limits_;
};

TEST_F(PerUserLimitTest, EachUserHasABucketAndAnonymousRequestsAreNotCounted) {
  auto ana = make_user("ana@rifa.test", engine::Rol::kJugador);
  auto beto = make_user("beto@rifa.test", engine::Rol::kJugador);
  for (int i = 0; i < kBurst; ++i) {
    EXPECT_EQ(call("GET", "/api/v1/users/" + ana.id, "", ana.token).status, 200) << "request " << i;
  }
  auto refused = call("GET", "/api/v1/users/" + ana.id, "", ana.token);
  expect_rate_limited(refused);
  EXPECT_NE(refused.json().value("detail", "").find("user"), std::string::npos) << refused.body;

  // Another user is untouched, and so is the anonymous path from the same address.
  EXPECT_EQ(call("GET", "/api/v1/users/" + beto.id, "", beto.token).status, 200);
  EXPECT_EQ(call("GET", "/api/v1/categorias").status, 200);

  auto metrics = call("GET", "/metrics");
  EXPECT_NE(metrics.body.find("rifa_http_rate_limited_total{scope=\"user\"} 1"), std::string::npos) << metrics.body;
}

TEST_F(PerUserLimitTest, InvalidTokensNeverSpendAUsersBucket) {
  auto ana = make_user("ana@rifa.test", engine::Rol::kJugador);
  // Same claims, broken signature: 401 every time, however many, and no bucket is touched.
  std::string forged = ana.token;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  for (int i = 0; i < kBurst * 3; ++i) { expect_problem(call("GET", "/api/v1/users/" + ana.id, "", forged), 401); }
  for (int i = 0; i < kBurst; ++i) {
    EXPECT_EQ(call("GET", "/api/v1/users/" + ana.id, "", ana.token).status, 200) << "request " << i;
  }
  expect_rate_limited(call("GET", "/api/v1/users/" + ana.id, "", ana.token));
}

// --- CORS -----------------------------------------------------------------------------------------

constexpr const char* kAllowedOrigin = "https://app.rifa.test";

class CorsTest : public ApiTest {
 protected:
  void configure_server(api::ServerOptions& options) override {
    options.cors_allowed_origins = {kAllowedOrigin, "http://localhost:5173"};
  }
  ApiReply preflight(const std::string& path, const std::string& origin, const std::string& method = "POST") {
    return http_call("OPTIONS", url(path), "", "",
                     {"Origin: " + origin, "Access-Control-Request-Method: " + method,
                      "Access-Control-Request-Headers: authorization, content-type, idempotency-key"});
  }
};

TEST_F(CorsTest, PreflightFromAnAllowedOriginIsAnswered) {
  auto r = preflight("/api/v1/rifas", kAllowedOrigin);
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(header(r, "access-control-allow-origin"), kAllowedOrigin);
  EXPECT_EQ(header(r, "vary"), "Origin");
  const std::string methods = header(r, "access-control-allow-methods");
  for (const char* m : {"GET", "POST", "OPTIONS"}) EXPECT_NE(methods.find(m), std::string::npos) << methods;
  const std::string headers = header(r, "access-control-allow-headers");
  for (const char* h : {"Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id"}) {
    EXPECT_NE(headers.find(h), std::string::npos) << headers;
  }
  EXPECT_EQ(header(r, "access-control-max-age"), "600");
  EXPECT_FALSE(has_header(r, "access-control-allow-credentials"));

  // Origins compare case-insensitively in scheme and host; the caller's spelling is echoed.
  auto upper = preflight("/api/v1/rifas/abc", "HTTPS://APP.RIFA.TEST", "PATCH");
  EXPECT_EQ(upper.status, 204);
  EXPECT_EQ(header(upper, "access-control-allow-origin"), "HTTPS://APP.RIFA.TEST");
  EXPECT_NE(header(upper, "access-control-allow-methods").find("PATCH"), std::string::npos);
}

TEST_F(CorsTest, PreflightFromAnotherOriginGetsNoCorsHeaders) {
  for (const std::string origin : {"https://evil.test", "https://app.rifa.test.evil.test", "http://app.rifa.test"}) {
    auto r = preflight("/api/v1/rifas", origin);
    expect_problem(r, 403);
    EXPECT_EQ(r.json().value("type", ""), "https://rifa1122.dev/problems/cors-rejected");
    for (const auto& [name, value] : r.headers) {
      EXPECT_NE(name.rfind("access-control-", 0), 0u) << origin << " got " << name << ": " << value;
    }
  }
}

TEST_F(CorsTest, ActualRequestsCarryTheHeaderOnlyForAllowedOrigins) {
  auto allowed = http_call("GET", url("/api/v1/rifas"), "", "", {std::string("Origin: ") + kAllowedOrigin});
  EXPECT_EQ(allowed.status, 200);
  EXPECT_EQ(header(allowed, "access-control-allow-origin"), kAllowedOrigin);
  EXPECT_NE(header(allowed, "access-control-expose-headers").find("X-Request-Id"), std::string::npos);
  EXPECT_EQ(header(allowed, "vary"), "Origin");

  // Errors too, or a browser app could not read why it failed.
  auto error = http_call("GET", url("/api/v1/rifas/missing"), "", "", {std::string("Origin: ") + kAllowedOrigin});
  EXPECT_EQ(error.status, 404);
  EXPECT_EQ(header(error, "access-control-allow-origin"), kAllowedOrigin);

  auto other = http_call("GET", url("/api/v1/rifas"), "", "", {"Origin: https://evil.test"});
  EXPECT_EQ(other.status, 200);  // the server answers; the browser withholds it
  EXPECT_FALSE(has_header(other, "access-control-allow-origin"));
  EXPECT_EQ(header(other, "vary"), "Origin");
}

class CorsAnyOriginTest : public ApiTest {
 protected:
  void configure_server(api::ServerOptions& options) override { options.cors_allowed_origins = {"*"}; }
};

TEST_F(CorsAnyOriginTest, StarAllowsEveryOriginWithoutCredentials) {
  auto r = http_call("OPTIONS", url("/api/v1/categorias"), "", "",
                     {"Origin: https://anything.test", "Access-Control-Request-Method: GET"});
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(header(r, "access-control-allow-origin"), "*");
  EXPECT_FALSE(has_header(r, "access-control-allow-credentials"));
  auto get = http_call("GET", url("/api/v1/categorias"), "", "", {"Origin: https://anything.test"});
  EXPECT_EQ(header(get, "access-control-allow-origin"), "*");
}

TEST_F(ApiTest, WithoutAnAllowListPreflightsAreRefusedAndPlainOptionsListsMethods) {
  auto r = http_call("OPTIONS", url("/api/v1/rifas"), "", "",
                     {"Origin: https://app.rifa.test", "Access-Control-Request-Method: GET"});
  expect_problem(r, 403);
  EXPECT_FALSE(has_header(r, "access-control-allow-origin"));

  auto plain = http_call("OPTIONS", url("/api/v1/users/some-id"));
  EXPECT_EQ(plain.status, 204);
  EXPECT_EQ(header(plain, "allow"), "GET, PATCH, DELETE, OPTIONS");
  expect_problem(http_call("OPTIONS", url("/api/v1/nowhere")), 404);
}

// --- body limit, headers, request ids -------------------------------------------------------------

class BodyLimitTest : public ApiTest {
 protected:
  void configure_server(api::ServerOptions& options) override { options.body_limit_bytes = 4096; }
};

TEST_F(BodyLimitTest, BodiesOverTheLimitGet413) {
  const std::string big =
      nlohmann::json{{"nombre", std::string(5000, 'x')}, {"email", "big@rifa.test"}, {"password", kStrongPassword}}
          .dump();
  auto r = http_call("POST", url("/api/v1/auth/register"), big, "",
                     {"Content-Type: application/json", "X-Request-Id: big-body-1"});
  expect_problem(r, 413);
  EXPECT_EQ(r.json().value("type", ""), "https://rifa1122.dev/problems/payload-too-large");
  EXPECT_EQ(header(r, "x-request-id"), "big-body-1");
  EXPECT_EQ(count("SELECT COUNT(*) FROM users WHERE email = 'big@rifa.test'"), 0);

  // Just under the limit is read and judged on its content.
  auto fits = call("POST", "/api/v1/auth/register",
                   adult_signup(nlohmann::json{
                       {"nombre", std::string(100, 'x')}, {"email", "ok@rifa.test"}, {"password", kStrongPassword}}),
                   "");
  EXPECT_EQ(fits.status, 202) << fits.body;
}

TEST_F(ApiTest, SecurityHeadersAreOnEveryResponse) {
  for (const auto& reply :
       {call("GET", "/api/v1/categorias"), call("GET", "/api/v1/rifas/missing"), call("DELETE", "/api/v1/rifas"),
        call("GET", "/api/v1/users"), call("GET", "/api/v1/openapi.json")}) {
    EXPECT_EQ(header(reply, "x-content-type-options"), "nosniff") << reply.status;
    EXPECT_EQ(header(reply, "x-frame-options"), "DENY");
    EXPECT_EQ(header(reply, "referrer-policy"), "no-referrer");
    EXPECT_NE(header(reply, "content-security-policy").find("frame-ancestors 'none'"), std::string::npos);
    EXPECT_EQ(header(reply, "cache-control"), "no-store");
    // Plain HTTP behind a TLS proxy: HSTS belongs to the proxy (see http_server.hpp).
    EXPECT_FALSE(has_header(reply, "strict-transport-security"));
  }
  auto not_allowed = call("DELETE", "/api/v1/rifas");
  expect_problem(not_allowed, 405);
  EXPECT_EQ(header(not_allowed, "allow"), "GET, POST");
}

TEST_F(ApiTest, RequestIdIsEchoedWhenValidAndGeneratedOtherwise) {
  auto echoed = http_call("GET", url("/api/v1/categorias"), "", "", {"X-Request-Id: client-req_42.a"});
  EXPECT_EQ(header(echoed, "x-request-id"), "client-req_42.a");

  const std::regex generated("[0-9a-f]{16}");
  auto a = call("GET", "/api/v1/categorias");
  auto b = call("GET", "/api/v1/rifas/missing");
  EXPECT_TRUE(std::regex_match(header(a, "x-request-id"), generated)) << header(a, "x-request-id");
  EXPECT_TRUE(std::regex_match(header(b, "x-request-id"), generated)) << header(b, "x-request-id");
  EXPECT_NE(header(a, "x-request-id"), header(b, "x-request-id"));

  // Log injection and unbounded ids are replaced, not echoed.
  for (const std::string& bad : {std::string("has space"), std::string(65, 'a'), std::string("a\"b")}) {
    auto r = http_call("GET", url("/api/v1/categorias"), "", "", {"X-Request-Id: " + bad});
    EXPECT_TRUE(std::regex_match(header(r, "x-request-id"), generated)) << bad << " → " << header(r, "x-request-id");
  }
}

class RequestLogTest : public ApiTest {
 protected:
  // Registered before the server starts: a handler logging through the default logger, as
  // engine, storage and plugin code do.
  void configure_server(api::ServerOptions&) override {
    router_->add("GET", "/test/log", [](api::Request&) {
      spdlog::warn("deep inside the handler");
      return api::json_response(200, "{}");
    });
  }
};

TEST_F(RequestLogTest, EveryLogLineWrittenWhileHandlingARequestCarriesItsId) {
  std::ostringstream captured;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
  sink->set_formatter(app::make_log_formatter(app::LogFormat::kJson));
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("rifa", sink));
  auto r = http_call("GET", url("/test/log"), "", "", {"X-Request-Id: trace-me-7"});
  spdlog::warn("outside any request");
  spdlog::set_default_logger(previous);
  EXPECT_EQ(r.status, 200);

  std::istringstream lines(captured.str());
  std::string line;
  int inside = 0, outside = 0;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    ASSERT_TRUE(j.is_object()) << line;
    if (j.value("msg", "") == "deep inside the handler") {
      ++inside;
      EXPECT_EQ(j.value("request_id", ""), "trace-me-7") << line;
    } else if (j.value("msg", "") == "outside any request") {
      ++outside;
      EXPECT_FALSE(j.contains("request_id")) << line;
    }
  }
  EXPECT_EQ(inside, 1) << captured.str();
  EXPECT_EQ(outside, 1) << captured.str();
}

TEST_F(ApiTest, OpenApiDocumentIsServedPublicly) {
  auto r = call("GET", "/api/v1/openapi.json");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json");
  auto doc = r.json();
  ASSERT_TRUE(doc.is_object()) << r.body.substr(0, 200);
  EXPECT_TRUE(std::regex_match(doc.value("openapi", ""), std::regex(R"(3\.1\.\d+)")));
}

}  // namespace
}  // namespace rifa::testing
