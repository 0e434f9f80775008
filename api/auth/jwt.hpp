#pragma once

#include <cstdint>
#include <string>

#include "common/result.hpp"

namespace rifa::api {

// The claims Rifa1122 puts in an access token.
struct TokenClaims {
  std::string sub;      // the user's email
  std::string user_id;  // UUID
  std::string rol;      // jugador | operador | admin
  int64_t iat = 0;      // issued at, Unix seconds
  int64_t exp = 0;      // expires at, Unix seconds
};

// HS256 JSON Web Tokens (RFC 7519) with OpenSSL's HMAC. Verification accepts only headers whose
// `alg` is the string "HS256" — "none", every other algorithm and non-string values are refused —
// whose `typ`, when present, is "JWT", and that name no `crit` extension; it compares signatures in
// constant time and checks exp against `now_s` (no leeway: a token is never honoured late), and
// nbf and iat (30 s leeway for hosts whose clocks differ slightly: a token is never honoured
// early). Claims of the wrong JSON type are refused, never thrown. Every failure is
// kUnauthenticated with a reason safe to show the caller.
class JwtCodec {
 public:
  explicit JwtCodec(std::string secret);
  std::string sign(const TokenClaims& claims) const;
  Result<TokenClaims> verify(const std::string& token, int64_t now_s) const;

 private:
  std::string secret_;
};

std::string base64url_encode(const std::string& bytes);
// Nullopt-like failure: returns false when `text` is not valid unpadded base64url.
bool base64url_decode(const std::string& text, std::string& out);

}  // namespace rifa::api
