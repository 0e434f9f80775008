#pragma once
// Standard Webhooks signing (https://www.standardwebhooks.com, spec v1): what a sender puts in
// webhook-signature for one message.

#include <string>
#include <vector>

namespace rifa::plugins::webhook {

// The key bytes of a "whsec_<base64>" secret (the prefix is optional, as in the reference
// libraries). Throws sdk::Error(RIFA_ERR_CONFIG) when the rest is not base64 or is empty.
std::string secret_key(const std::string& secret);

// "v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." + body)>".
std::string sign_v1(const std::string& key, const std::string& id, const std::string& timestamp,
                    const std::string& body);

// The webhook-signature header value: one v1 signature per key, space-separated (rotation: a
// receiver that knows any one of the secrets verifies the message).
std::string signature_header(const std::vector<std::string>& keys, const std::string& id, const std::string& timestamp,
                             const std::string& body);

}  // namespace rifa::plugins::webhook
