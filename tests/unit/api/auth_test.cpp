#include <gtest/gtest.h>

#include "auth/jwt.hpp"
#include "auth/password_hasher.hpp"

namespace rifa::api {
namespace {

const int64_t kNow = 1'790'000'000;

TokenClaims claims() {
  return TokenClaims{"ana@example.co", "6f1c0000-0000-4000-8000-000000000001", "jugador", kNow, kNow + 3600};
}

TEST(Jwt, SignedTokenVerifiesWithAllClaims) {
  JwtCodec codec("a-secret-of-reasonable-length");
  auto verified = codec.verify(codec.sign(claims()), kNow + 10);
  ASSERT_TRUE(verified.ok()) << verified.error().message;
  EXPECT_EQ(verified->sub, "ana@example.co");
  EXPECT_EQ(verified->user_id, "6f1c0000-0000-4000-8000-000000000001");
  EXPECT_EQ(verified->rol, "jugador");
  EXPECT_EQ(verified->exp, kNow + 3600);
}

TEST(Jwt, KnownVectorMatchesAnIndependentImplementation) {
  // Computed with Python's hmac + base64 modules over the same header and (key-sorted) payload.
  JwtCodec codec("secret");
  EXPECT_EQ(codec.sign(TokenClaims{"a@b.co", "u1", "admin", 1, 2}),
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
            "eyJleHAiOjIsImlhdCI6MSwicm9sIjoiYWRtaW4iLCJzdWIiOiJhQGIuY28iLCJ1c2VyX2lkIjoidTEifQ."
            "3oykw2kPQ3ZMnG9plDJF6ZdrKc7Y6jiDD_H9qj7ovWo");
}

TEST(Jwt, ExpiredTokenIsRefused) {
  JwtCodec codec("k");
  auto r = codec.verify(codec.sign(claims()), kNow + 3600);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(r.error().message, "token expired");
}

TEST(Jwt, TamperedPayloadIsRefused) {
  JwtCodec codec("k");
  std::string token = codec.sign(claims());
  const auto dot1 = token.find('.');
  const auto dot2 = token.find('.', dot1 + 1);
  const std::string forged_payload =
      base64url_encode(R"({"sub":"ana@example.co","user_id":"x","rol":"admin","iat":1,"exp":9999999999})");
  token = token.substr(0, dot1 + 1) + forged_payload + token.substr(dot2);
  auto r = codec.verify(token, kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "invalid token signature");
}

TEST(Jwt, OtherSecretIsRefused) {
  auto r = JwtCodec("other").verify(JwtCodec("k").sign(claims()), kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "invalid token signature");
}

TEST(Jwt, AlgNoneIsRefused) {
  const std::string header = base64url_encode(R"({"alg":"none","typ":"JWT"})");
  const std::string payload = base64url_encode(R"({"sub":"a","user_id":"b","rol":"admin","iat":1,"exp":9999999999})");
  auto r = JwtCodec("k").verify(header + "." + payload + ".", kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "unsupported token algorithm");
}

TEST(Jwt, MalformedTokensAreRefused) {
  JwtCodec codec("k");
  for (const std::string bad : {"", "abc", "a.b", "a.b.c.d", "!!!.###.$$$", "e30.e30.", "e30.e30.e30"}) {
    auto r = codec.verify(bad, kNow);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated) << bad;
  }
}

TEST(Base64Url, RoundTripsEveryLength) {
  std::string bytes;
  for (int i = 0; i < 40; ++i) {
    std::string decoded;
    ASSERT_TRUE(base64url_decode(base64url_encode(bytes), decoded));
    EXPECT_EQ(decoded, bytes);
    bytes += static_cast<char>(i * 37);
  }
  std::string out;
  EXPECT_FALSE(base64url_decode("a", out));  // one char can never be whole bytes
  EXPECT_FALSE(base64url_decode("ab+c", out));
}

TEST(PasswordHasher, Argon2idHashVerifiesOnlyTheSamePassword) {
  PasswordHasher hasher(PasswordHasher::Cost::kMinimal);
  auto hash = hasher.hash("Correct-Horse-9");
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_TRUE(hasher.verify(*hash, "Correct-Horse-9"));
  EXPECT_FALSE(hasher.verify(*hash, "correct-horse-9"));
  EXPECT_NE(*hasher.hash("Correct-Horse-9"), *hash);  // salted
}

TEST(PasswordHasher, StrengthRules) {
  EXPECT_EQ(password_weakness("Short1!"), "must be at least 10 characters long");
  EXPECT_EQ(password_weakness("alllowercaseletters"),
            "must mix at least three of: lower case, upper case, digits, symbols");
  EXPECT_EQ(password_weakness("Mixed-Case-Pass"), "");
  EXPECT_EQ(password_weakness(std::string(129, 'a')), "must be at most 128 characters long");
}

}  // namespace
}  // namespace rifa::api
