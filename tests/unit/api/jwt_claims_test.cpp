// JwtCodec::verify on tokens an attacker shapes by hand: every one of them is a clean 401 reason,
// never an exception (which the server turns into a 500 and an error log line per request).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "auth/jwt.hpp"

namespace rifa::api {
namespace {

const int64_t kNow = 1'790'000'000;
const char* kSecret = "jwt-claims-test-secret-0123456789abcdef";

nlohmann::json good_payload() {
  return {{"sub", "ana@example.co"}, {"user_id", "u1"}, {"rol", "admin"}, {"iat", kNow}, {"exp", kNow + 3600}};
}

// Signs any header and payload text with the right secret: what a holder of the secret (or a
// buggy issuer) could send, so that only the claim checks stand between it and acceptance.
std::string forge(const std::string& header_text, const std::string& payload_text) {
  const std::string input = base64url_encode(header_text) + "." + base64url_encode(payload_text);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), kSecret, static_cast<int>(std::char_traits<char>::length(kSecret)),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
  return input + "." + base64url_encode(std::string(reinterpret_cast<char*>(mac), len));
}

std::string forge(const nlohmann::json& header, const nlohmann::json& payload) {
  return forge(header.dump(), payload.dump());
}

const nlohmann::json kHeader = {{"alg", "HS256"}, {"typ", "JWT"}};

// Refused with kUnauthenticated and this reason, and no exception escapes.
void expect_refused(const std::string& token, const std::string& reason, int64_t now_s = kNow) {
  Result<TokenClaims> r = make_error(ErrorCode::kInternal, "not run");
  ASSERT_NO_THROW(r = JwtCodec(kSecret).verify(token, now_s)) << token;
  ASSERT_FALSE(r.ok()) << token;
  EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated) << token;
  EXPECT_EQ(r.error().message, reason) << token;
}

TEST(JwtClaims, TheForgeHelperMakesTokensTheCodecAccepts) {
  auto r = JwtCodec(kSecret).verify(forge(kHeader, good_payload()), kNow);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->rol, "admin");
}

TEST(JwtClaims, NonStringAlgIsRefusedNotThrown) {
  for (const auto& alg : {nlohmann::json(1), nlohmann::json(nullptr), nlohmann::json::array({"HS256"}),
                          nlohmann::json::object({{"x", 1}}), nlohmann::json(true)}) {
    expect_refused(forge(nlohmann::json{{"alg", alg}, {"typ", "JWT"}}, good_payload()), "unsupported token algorithm");
  }
  expect_refused(forge(nlohmann::json{{"typ", "JWT"}}, good_payload()), "unsupported token algorithm");
  expect_refused(forge(nlohmann::json{{"alg", "HS512"}}, good_payload()), "unsupported token algorithm");
}

TEST(JwtClaims, TypMustBeJwtWhenPresent) {
  EXPECT_TRUE(JwtCodec(kSecret).verify(forge(nlohmann::json{{"alg", "HS256"}}, good_payload()), kNow).ok());
  EXPECT_TRUE(
      JwtCodec(kSecret).verify(forge(nlohmann::json{{"alg", "HS256"}, {"typ", "jwt"}}, good_payload()), kNow).ok());
  for (const auto& typ : {nlohmann::json("at+jwt"), nlohmann::json("JOSE"), nlohmann::json(""), nlohmann::json(7),
                          nlohmann::json(nullptr)}) {
    expect_refused(forge(nlohmann::json{{"alg", "HS256"}, {"typ", typ}}, good_payload()), "unsupported token type");
  }
}

TEST(JwtClaims, CriticalHeaderExtensionsAreRefused) {
  expect_refused(forge(nlohmann::json{{"alg", "HS256"}, {"crit", {"exp"}}}, good_payload()),
                 "unsupported critical token header");
}

TEST(JwtClaims, NonObjectHeaderOrPayloadIsRefusedNotThrown) {
  expect_refused(forge(R"(["HS256"])", good_payload().dump()), "malformed token");
  expect_refused(forge(R"("HS256")", good_payload().dump()), "malformed token");
  expect_refused(forge(kHeader.dump(), "[1,2]"), "malformed token");
  expect_refused(forge(kHeader.dump(), "42"), "malformed token");
}

TEST(JwtClaims, NotBeforeInTheFutureIsRefusedWithASmallLeeway) {
  auto payload = good_payload();
  payload["nbf"] = kNow + 600;
  expect_refused(forge(kHeader, payload), "token not valid yet");
  // Valid once the time comes (and a few seconds of clock skew between hosts are forgiven).
  EXPECT_TRUE(JwtCodec(kSecret).verify(forge(kHeader, payload), kNow + 600).ok());
  EXPECT_TRUE(JwtCodec(kSecret).verify(forge(kHeader, payload), kNow + 590).ok());
  payload["nbf"] = kNow - 10;
  EXPECT_TRUE(JwtCodec(kSecret).verify(forge(kHeader, payload), kNow).ok());
}

TEST(JwtClaims, IssuedInTheFutureIsRefused) {
  auto payload = good_payload();
  payload["iat"] = kNow + 600;
  expect_refused(forge(kHeader, payload), "token not valid yet");
}

TEST(JwtClaims, TimeClaimsOfTheWrongTypeAreRefusedNotThrown) {
  for (const char* claim : {"nbf", "exp", "iat"}) {
    for (const auto& value : {nlohmann::json("soon"), nlohmann::json(1.5e9), nlohmann::json(nullptr),
                              nlohmann::json(18446744073709551615ull), nlohmann::json::array()}) {
      auto payload = good_payload();
      payload[claim] = value;
      expect_refused(forge(kHeader, payload),
                     std::string(claim) == "nbf" ? "token has an invalid nbf claim" : "token lacks required claims");
    }
  }
}

TEST(JwtClaims, StringClaimsOfTheWrongTypeAreRefusedNotThrown) {
  for (const char* claim : {"sub", "user_id", "rol"}) {
    auto payload = good_payload();
    payload[claim] = 12;
    expect_refused(forge(kHeader, payload), "token lacks required claims");
    payload.erase(claim);
    expect_refused(forge(kHeader, payload), "token lacks required claims");
  }
}

TEST(JwtClaims, GarbageAfterBase64IsRefusedNotThrown) {
  expect_refused(forge("{not json", good_payload().dump()), "malformed token");
  expect_refused(forge(kHeader.dump(), std::string("\xff\xfe", 2)), "malformed token");
  expect_refused(forge(std::string(2000, '['), good_payload().dump()), "malformed token");
}

}  // namespace
}  // namespace rifa::api
