#pragma once
// Wompi's two hashes (docs.wompi.co/docs/colombia/widget-checkout-web, .../eventos):
//  - the integrity signature of a transaction: SHA-256 hex of reference + amount_in_cents +
//    currency + the integrity secret;
//  - an event's checksum: SHA-256 hex of the values named by signature.properties (paths inside
//    "data", in the event's own order), then the event's timestamp, then the events secret.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace rifa::plugins::wompi {

std::string integrity_signature(const std::string& reference, int64_t amount_in_cents, const std::string& currency,
                                const std::string& integrity_secret);

// The string an event's checksum is the SHA-256 of (without the secret when `secret` is empty).
// Throws sdk::Error(RIFA_ERR_SIGNATURE) when signature.properties is missing or names a value the
// event's data does not hold.
std::string event_checksum_input(const nlohmann::json& event, const std::string& secret);

// Verifies `event` against `checksum` (hex, any case). Throws sdk::Error(RIFA_ERR_SIGNATURE).
void verify_event_checksum(const nlohmann::json& event, const std::string& checksum, const std::string& secret);

}  // namespace rifa::plugins::wompi
