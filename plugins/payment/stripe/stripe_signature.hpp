#pragma once
// Stripe-Signature verification exactly as Stripe's libraries do it (stripe-node's
// webhooks.constructEvent / signature.verifyHeader):
//   header "t=<unix seconds>,v1=<hex>[,v1=<hex>...][,v0=...]": split on ',', each item on the
//   first '='; t is the timestamp, every v1 is a candidate (several during a secret's rotation),
//   other schemes are ignored. The signed payload is t + "." + the raw body, HMAC-SHA256 with the
//   endpoint's secret, hex. Any v1 equal to it (constant-time compare) passes; then a timestamp
//   older than now - tolerance is refused (tolerance 0 disables the check, as in Stripe's code).
#include <cstdint>
#include <string>

namespace rifa::plugins::stripe {

inline constexpr const char* kSignatureHeader = "stripe-signature";

std::string hmac_sha256_hex(const std::string& key, const std::string& data);

// Throws sdk::Error(RIFA_ERR_SIGNATURE) with Stripe's reason when the header does not verify.
void verify_stripe_signature(const std::string& header_value, const std::string& body, const std::string& secret,
                             int64_t now_s, int64_t tolerance_s);

// A header value signing `body` at `timestamp_s` (what Stripe sends; used by the tests' fake).
std::string sign_stripe_payload(const std::string& body, const std::string& secret, int64_t timestamp_s);

}  // namespace rifa::plugins::stripe
