// Hand-shaped tokens over HTTP, signed with the server's own secret so that only the header and
// claim checks stand in the way: each is a 401 problem, never a 500.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>

#include "api_fixture.hpp"
#include "auth/jwt.hpp"

namespace rifa::testing {
namespace {

std::string sign_as_server(const nlohmann::json& header, const nlohmann::json& payload) {
  const std::string input = api::base64url_encode(header.dump()) + "." + api::base64url_encode(payload.dump());
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  const std::string key = kTestJwtSecret;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(input.data()),
       input.size(), mac, &len);
  return input + "." + api::base64url_encode(std::string(reinterpret_cast<char*>(mac), len));
}

class JwtClaimsHttpTest : public ApiTest {
 protected:
  int64_t now_s() const {
    return std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch()).count();
  }
  nlohmann::json admin_claims() const {
    return {{"sub", admin_.email}, {"user_id", admin_.id}, {"rol", "admin"}, {"iat", now_s()}, {"exp", now_s() + 600}};
  }
  ApiReply get_admin_with(const std::string& token) { return call("GET", "/api/v1/users/" + admin_.id, "", token); }
};

TEST_F(JwtClaimsHttpTest, TheForgedTokensDifferOnlyInWhatIsChecked) {
  EXPECT_EQ(get_admin_with(sign_as_server({{"alg", "HS256"}, {"typ", "JWT"}}, admin_claims())).status, 200);
}

TEST_F(JwtClaimsHttpTest, NonStringAlgIs401NotA500) {
  for (const auto& alg : {nlohmann::json(256), nlohmann::json(nullptr), nlohmann::json::array({"HS256"})}) {
    expect_problem(get_admin_with(sign_as_server({{"alg", alg}, {"typ", "JWT"}}, admin_claims())), 401, "",
                   "unsupported token algorithm");
  }
}

TEST_F(JwtClaimsHttpTest, UnknownTypIs401) {
  expect_problem(get_admin_with(sign_as_server({{"alg", "HS256"}, {"typ", "at+jwt"}}, admin_claims())), 401, "",
                 "unsupported token type");
}

TEST_F(JwtClaimsHttpTest, NotBeforeInTheFutureIs401UntilItsTime) {
  auto claims = admin_claims();
  claims["nbf"] = now_s() + 300;
  const std::string token = sign_as_server({{"alg", "HS256"}, {"typ", "JWT"}}, claims);
  expect_problem(get_admin_with(token), 401, "", "token not valid yet");
  clock_.advance(std::chrono::seconds(300));
  EXPECT_EQ(get_admin_with(token).status, 200);
}

TEST_F(JwtClaimsHttpTest, ClaimsOfTheWrongTypeAre401) {
  auto claims = admin_claims();
  claims["exp"] = "tomorrow";
  expect_problem(get_admin_with(sign_as_server({{"alg", "HS256"}}, claims)), 401, "", "token lacks required claims");
  expect_problem(get_admin_with(sign_as_server({{"alg", "HS256"}}, nlohmann::json::array({1, 2}))), 401, "",
                 "malformed token");
}

}  // namespace
}  // namespace rifa::testing
