#include "auth/jwt.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <nlohmann/json.hpp>

#include <cctype>
#include <cstdint>

namespace rifa::api {
namespace {

const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string hmac_sha256(const std::string& key, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

Error unauthenticated(const std::string& why) { return make_error(ErrorCode::kUnauthenticated, why); }

constexpr int64_t kClockLeeway_s = 30;

// RFC 7519 §5.1: "JWT" is the recommended value and, as a media type name, compared without case.
bool is_jwt_type(const nlohmann::json& typ) {
  if (!typ.is_string()) return false;
  std::string value = typ.get<std::string>();
  for (auto& c : value) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return value == "JWT";
}

bool string_claim(const nlohmann::json& payload, const char* name, std::string& out) {
  const auto it = payload.find(name);
  if (it == payload.end() || !it->is_string()) return false;
  out = it->get<std::string>();
  return true;
}

// NumericDate (RFC 7519 §2): whole seconds here; fractions, strings and values beyond int64 are
// refused rather than rounded or wrapped.
bool time_claim(const nlohmann::json& payload, const char* name, int64_t& out) {
  const auto it = payload.find(name);
  if (it == payload.end()) return false;
  if (it->is_number_integer() && !it->is_number_unsigned()) {
    out = it->get<int64_t>();
    return true;
  }
  if (it->is_number_unsigned() && it->get<uint64_t>() <= static_cast<uint64_t>(INT64_MAX)) {
    out = static_cast<int64_t>(it->get<uint64_t>());
    return true;
  }
  return false;
}

}  // namespace

std::string base64url_encode(const std::string& bytes) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(buffer >> bits) & 0x3F];
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (6 - bits)) & 0x3F];
  return out;
}

bool base64url_decode(const std::string& text, std::string& out) {
  out.clear();
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '-') v = 62;
    else if (c == '_') v = 63;
    else return false;
    buffer = (buffer << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  // Leftover bits must be zero padding, and one leftover char (6 bits) is never valid.
  return bits < 6 && (buffer & ((1u << bits) - 1)) == 0;
}

JwtCodec::JwtCodec(std::string secret) : secret_(std::move(secret)) {}

std::string JwtCodec::sign(const TokenClaims& claims) const {
  const std::string header = base64url_encode(R"({"alg":"HS256","typ":"JWT"})");
  const nlohmann::json payload = {
      {"sub", claims.sub}, {"user_id", claims.user_id}, {"rol", claims.rol}, {"iat", claims.iat}, {"exp", claims.exp}};
  const std::string signing_input = header + "." + base64url_encode(payload.dump());
  return signing_input + "." + base64url_encode(hmac_sha256(secret_, signing_input));
}

Result<TokenClaims> JwtCodec::verify(const std::string& token, int64_t now_s) const {
  if (token.size() > 4096) return unauthenticated("token too long");
  const auto first = token.find('.');
  const auto second = first == std::string::npos ? std::string::npos : token.find('.', first + 1);
  if (second == std::string::npos || token.find('.', second + 1) != std::string::npos) {
    return unauthenticated("malformed token");
  }
  const std::string header_b64 = token.substr(0, first);
  const std::string payload_b64 = token.substr(first + 1, second - first - 1);
  const std::string signature_b64 = token.substr(second + 1);

  std::string header_text, payload_text, signature;
  if (!base64url_decode(header_b64, header_text) || !base64url_decode(payload_b64, payload_text) ||
      !base64url_decode(signature_b64, signature)) {
    return unauthenticated("malformed token");
  }
  nlohmann::json header, payload;
  try {
    header = nlohmann::json::parse(header_text);
    payload = nlohmann::json::parse(payload_text);
  } catch (const nlohmann::json::exception&) { return unauthenticated("malformed token"); }
  // Every member is looked at by type before its value: json::value() and get<>() throw on a
  // wrong type, and an exception here was a 500 (and an error log line) per forged request.
  if (!header.is_object()) return unauthenticated("malformed token");
  const auto alg = header.find("alg");
  if (alg == header.end() || !alg->is_string() || alg->get<std::string>() != "HS256") {
    return unauthenticated("unsupported token algorithm");
  }
  if (const auto typ = header.find("typ"); typ != header.end() && !is_jwt_type(*typ)) {
    return unauthenticated("unsupported token type");
  }
  // RFC 7515 §4.1.11: a token naming extensions the verifier must understand is refused when it
  // does not understand them, and this one understands none.
  if (header.contains("crit")) return unauthenticated("unsupported critical token header");
  const std::string expected = hmac_sha256(secret_, header_b64 + "." + payload_b64);
  if (signature.size() != expected.size() || CRYPTO_memcmp(signature.data(), expected.data(), expected.size()) != 0) {
    return unauthenticated("invalid token signature");
  }
  if (!payload.is_object()) return unauthenticated("malformed token");
  TokenClaims claims;
  if (!string_claim(payload, "sub", claims.sub) || !string_claim(payload, "user_id", claims.user_id) ||
      !string_claim(payload, "rol", claims.rol) || !time_claim(payload, "iat", claims.iat) ||
      !time_claim(payload, "exp", claims.exp)) {
    return unauthenticated("token lacks required claims");
  }
  int64_t not_before = 0;
  if (payload.contains("nbf") && !time_claim(payload, "nbf", not_before)) {
    return unauthenticated("token has an invalid nbf claim");
  }
  if (now_s >= claims.exp) return unauthenticated("token expired");
  // A token issued or valid only in the future is not valid yet (RFC 7519 §4.1.5); the leeway
  // covers clocks of hosts sharing one database that disagree by a few seconds.
  if (not_before > now_s + kClockLeeway_s || claims.iat > now_s + kClockLeeway_s) {
    return unauthenticated("token not valid yet");
  }
  return claims;
}

}  // namespace rifa::api
