#pragma once

#include <cstdint>
#include <string>

namespace rifa::plugins::sandbox {

// The sandbox signs webhooks the way Stripe does: header
//   rifa-sandbox-signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
// (several v1= entries are accepted, for secret rotation).
inline constexpr const char* kSignatureHeader = "rifa-sandbox-signature";

std::string hmac_sha256_hex(const std::string& secret, const std::string& data);

// The header value for `body` signed at `timestamp_s`.
std::string sign_webhook(const std::string& secret, int64_t timestamp_s, const std::string& body);

// Checks the signature header found in `headers` ("name: value" lines) against `body`, in
// constant time, and its timestamp against `now_s` ± `tolerance_s`. Throws rifa::sdk::Error
// (RIFA_ERR_SIGNATURE) saying which check failed.
void verify_webhook_signature(const std::string& secret, const std::string& headers, const std::string& body,
                              int64_t now_s, int64_t tolerance_s);

}  // namespace rifa::plugins::sandbox
