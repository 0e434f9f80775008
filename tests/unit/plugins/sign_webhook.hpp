#pragma once
// Signs a payment_sandbox webhook the way the sandbox (and any test sending one) must:
//   rifa-sandbox-signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
// Depends only on OpenSSL, not on the plugin's sources, so the test checks the scheme
// independently of the implementation.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdint>
#include <string>

namespace rifa::testing {

inline std::string hmac_sha256_hex(const std::string& key, const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  return hex;
}

// The header line (with its trailing "\n") for `body` signed with `secret` at `timestamp_s`.
inline std::string sandbox_signature_header(const std::string& secret, int64_t timestamp_s, const std::string& body) {
  const std::string t = std::to_string(timestamp_s);
  return "rifa-sandbox-signature: t=" + t + ",v1=" + hmac_sha256_hex(secret, t + "." + body) + "\n";
}

}  // namespace rifa::testing
