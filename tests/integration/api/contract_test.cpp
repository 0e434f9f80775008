// The API against its document, on the points where they drifted apart (issue 11, item 14): a
// null fecha_sorteo, the idempotency key, Idempotent-Replayed, 405, X-Request-Id, 204 without
// Content-Length, JSON sent as text/plain, a rake sent as a JSON number, huge page numbers. Every
// reply these tests see also goes through OpenApiConformance (ApiTest::call), which is what fails
// when the document and the server disagree.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <map>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "openapi_conformance.hpp"
#include "sales_fixture.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;

// One request written byte for byte (curl would add its own Content-Type), read to the end.
// Header names are lower-cased; a repeated header keeps every value, comma-joined.
ApiReply raw_exchange(uint16_t port, const std::string& request_text) {
  ApiReply reply;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    if (fd >= 0) ::close(fd);
    return reply;
  }
  for (size_t sent = 0; sent < request_text.size();) {
    const auto n = ::send(fd, request_text.data() + sent, request_text.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  std::string raw;
  char buffer[4096];
  for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) raw.append(buffer, static_cast<size_t>(n));
  ::close(fd);
  const auto head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos || raw.size() < 12) return reply;
  reply.status = std::stol(raw.substr(9, 3));
  reply.body = raw.substr(head_end + 4);
  size_t line_start = raw.find("\r\n") + 2;
  while (line_start < head_end) {
    const auto line_end = raw.find("\r\n", line_start);
    const std::string line = raw.substr(line_start, line_end - line_start);
    line_start = line_end + 2;
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(value.begin());
    auto& slot = reply.headers[name];
    slot += (slot.empty() ? "" : ", ") + value;
  }
  if (reply.headers.count("content-type")) reply.content_type = reply.headers["content-type"];
  return reply;
}

class ContractTest : public SalesApiTest {
 protected:
  // A POST with this exact Content-Type line ("" = none), checked against the document like any
  // other exchange.
  ApiReply post_as(const std::string& path, const std::string& content_type, const std::string& body,
                   const std::string& token) {
    std::string text = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    text += "Authorization: Bearer " + token + "\r\n";
    if (!content_type.empty()) text += "Content-Type: " + content_type + "\r\n";
    text += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    auto reply = raw_exchange(server_->port(), text);
    SentRequest sent{"POST", path, {{"authorization", "Bearer " + token}}, body};
    if (!content_type.empty()) sent.headers["content-type"] = content_type;
    for (const auto& problem : OpenApiConformance::instance().check(sent, reply))
      ADD_FAILURE() << "OpenAPI: " << problem;
    return reply;
  }
};

TEST_F(ContractTest, NoContentRepliesCarryNoContentLength) {
  const Account jugador = register_jugador("gone@rifa.test");
  auto deleted =
      raw_exchange(server_->port(), "DELETE /api/v1/users/" + jugador.id +
                                        " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer " +
                                        admin_.token + "\r\n\r\n");
  for (const auto& problem : OpenApiConformance::instance().check(
           {"DELETE", "/api/v1/users/" + jugador.id, {{"authorization", "Bearer " + admin_.token}}, ""}, deleted)) {
    ADD_FAILURE() << "OpenAPI: " << problem;
  }
  EXPECT_EQ(deleted.status, 204);
  EXPECT_FALSE(deleted.headers.count("content-length")) << deleted.headers["content-length"];
  EXPECT_TRUE(deleted.body.empty());
  auto options =
      raw_exchange(server_->port(), "OPTIONS /api/v1/rifas HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  for (const auto& problem : OpenApiConformance::instance().check({"OPTIONS", "/api/v1/rifas", {}, ""}, options)) {
    ADD_FAILURE() << "OpenAPI: " << problem;
  }
  EXPECT_EQ(options.status, 204);
  EXPECT_FALSE(options.headers.count("content-length")) << options.headers["content-length"];
  EXPECT_TRUE(options.headers.count("allow"));
}

TEST_F(ContractTest, AJsonBodyNotSentAsJsonIs415AndChangesNothing) {
  const std::string body = R"({"nombre":"Texto","valor_boleta":1000})";
  for (const std::string content_type :
       {"text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", ""}) {
    SCOPED_TRACE("Content-Type: " + content_type);
    auto r = post_as("/api/v1/categorias", content_type, body, admin_.token);
    expect_problem(r, 415);
    EXPECT_EQ(r.json().value("type", ""), "https://rifa1122.dev/problems/unsupported-media-type") << r.body;
  }
  EXPECT_EQ(count("SELECT count(*) FROM categoria_rifa WHERE nombre = 'Texto'"), 0);
  // JSON by any of its names is read.
  EXPECT_EQ(post_as("/api/v1/categorias", "application/json; charset=utf-8", body, admin_.token).status, 201);
  EXPECT_EQ(post_as("/api/v1/categorias", "Application/Problem+JSON", R"({"nombre":"Texto 2","valor_boleta":1000})",
                    admin_.token)
                .status,
            201);
}

TEST_F(ContractTest, RakeIsTakenAsAJsonNumberExactlyAsWritten) {
  const std::map<std::string, std::string> accepted = {{"0.25", "0.2500"}, {"0.1234", "0.1234"}, {"0.3", "0.3000"},
                                                       {"1", "1.0000"},    {"0", "0.0000"},      {"0.0001", "0.0001"}};
  int n = 0;
  for (const auto& [sent, kept] : accepted) {
    SCOPED_TRACE("rake " + sent);
    const std::string body =
        R"({"nombre":"Numero )" + std::to_string(++n) + R"(","valor_boleta":1000,"rake":)" + sent + "}";
    auto r = call("POST", "/api/v1/categorias", body, admin_.token);
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.json().value("rake", ""), kept);
  }
  // Text a double would round (0.12345 → 0.1235? 0.1234?) and exponents are refused, not guessed.
  for (const std::string sent : {"0.12345", "2.5e-1", "1.5", "-0.1", "0.25000000000000001"}) {
    SCOPED_TRACE("rake " + sent);
    expect_problem(
        call("POST", "/api/v1/categorias", R"({"nombre":"Mal","valor_boleta":1000,"rake":)" + sent + "}", admin_.token),
        422, "rake");
  }
}

TEST_F(ContractTest, ASeedRifaWithoutADrawDateConformsToTheDocument) {
  const json rifa = create_rifa();
  exec("UPDATE rifas SET fecha_sorteo = NULL WHERE id = '" + rifa.value("id", "") + "'");
  auto one = call("GET", "/api/v1/rifas/" + rifa.value("id", ""));
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_TRUE(one.json()["fecha_sorteo"].is_null()) << one.body;
  EXPECT_EQ(call("GET", "/api/v1/rifas").status, 200);
}

TEST_F(ContractTest, TheIdempotencyKeyIsRequiredAsDocumentedAndAReplayIsMarked) {
  const std::string rifa_id = active_rifa("Oro");
  const Account jugador = register_jugador("idem@rifa.test");
  const std::string path = "/api/v1/rifas/" + rifa_id + "/tickets";
  expect_problem(call("POST", path, json{{"quantity", 1}}, jugador.token), 422, "idempotency_key");
  auto first = buy(jugador, rifa_id, 1, "key-contract-1");
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_FALSE(first.headers.count("idempotent-replayed"));
  auto again = buy(jugador, rifa_id, 1, "key-contract-1");
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.headers["idempotent-replayed"], "true");
  EXPECT_EQ(again.json(), first.json());
}

TEST_F(ContractTest, EveryReplyCarriesTheDocumentedRequestId) {
  for (const auto& [method, path] :
       std::vector<std::pair<std::string, std::string>>{{"GET", "/api/v1/health"},
                                                        {"GET", "/api/v1/categorias"},
                                                        {"GET", "/api/v1/nope"},
                                                        {"DELETE", "/api/v1/categorias"}}) {
    auto r = call(method, path);
    EXPECT_FALSE(r.headers["x-request-id"].empty()) << method << " " << path;
  }
}

TEST_F(ContractTest, AMethodAPathDoesNotHaveIs405WithAllowAsDocumented) {
  auto r = call("DELETE", "/api/v1/categorias", "", admin_.token);
  expect_problem(r, 405);
  EXPECT_EQ(r.headers["allow"], "GET, POST");
}

TEST_F(ContractTest, PageNumbersBeyondTheDocumentedMaximumAre422AndTheMaximumWorks) {
  for (const std::string list : {"/api/v1/categorias", "/api/v1/admin/jobs", "/api/v1/rifas", "/api/v1/users"}) {
    SCOPED_TRACE(list);
    auto last = call("GET", list + "?page=1000000&per_page=100", "", admin_.token);
    ASSERT_EQ(last.status, 200) << last.body;
    EXPECT_EQ(last.json()["page"], 1000000);
    EXPECT_TRUE(last.json()["items"].empty()) << last.body;
    // 30,000,000 × 100 no longer fits a 32-bit offset: it once wrapped to a negative OFFSET.
    for (const std::string page : {"1000001", "30000000", "99999999999999999999"}) {
      expect_problem(call("GET", list + "?page=" + page + "&per_page=100", "", admin_.token), 422, "page",
                     "page: must be an integer between 1 and 1000000");
    }
  }
}

}  // namespace
}  // namespace rifa::testing
