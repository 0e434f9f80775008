#include "stripe_signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <vector>

#include "rifa/sdk/error.hpp"

namespace rifa::plugins::stripe {
namespace {

[[noreturn]] void refuse(const std::string& message) { throw sdk::Error(RIFA_ERR_SIGNATURE, message); }

std::string trim(const std::string& text) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

}  // namespace

std::string hmac_sha256_hex(const std::string& key, const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
            data.size(), digest, &length)) {
    throw sdk::Error(RIFA_ERR_INTERNAL, "HMAC-SHA256 failed in OpenSSL");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  return hex;
}

std::string sign_stripe_payload(const std::string& body, const std::string& secret, int64_t timestamp_s) {
  const std::string t = std::to_string(timestamp_s);
  return "t=" + t + ",v1=" + hmac_sha256_hex(secret, t + "." + body);
}

void verify_stripe_signature(const std::string& header_value, const std::string& body, const std::string& secret,
                             int64_t now_s, int64_t tolerance_s) {
  // parseHeader: items split on ',', key/value on the first '='.
  int64_t timestamp = -1;
  std::vector<std::string> signatures;
  size_t start = 0;
  while (start <= header_value.size()) {
    size_t end = header_value.find(',', start);
    if (end == std::string::npos) end = header_value.size();
    const std::string item = header_value.substr(start, end - start);
    const size_t eq = item.find('=');
    if (eq != std::string::npos) {
      const std::string key = trim(item.substr(0, eq));
      const std::string value = trim(item.substr(eq + 1));
      if (key == "t") {
        bool digits = !value.empty() && value.size() <= 12;
        for (char c : value) digits = digits && c >= '0' && c <= '9';
        timestamp = digits ? std::stoll(value) : -1;
      } else if (key == "v1") {
        signatures.push_back(value);
      }
    }
    start = end + 1;
  }
  if (timestamp < 0 || signatures.empty()) {
    refuse(
        "Unable to extract timestamp and signatures from the Stripe-Signature header "
        "(no signatures found with expected scheme v1)");
  }
  const std::string expected = hmac_sha256_hex(secret, std::to_string(timestamp) + "." + body);
  bool matched = false;
  for (const auto& signature : signatures) {
    // secureCompare: constant time over equal lengths; a different length never matches.
    if (signature.size() == expected.size()) {
      matched |= CRYPTO_memcmp(signature.data(), expected.data(), expected.size()) == 0;
    }
  }
  if (!matched) {
    refuse(
        "No signatures found matching the expected signature for payload "
        "(is the webhook secret the endpoint's whsec_ secret, and the body passed unmodified?)");
  }
  if (tolerance_s > 0 && timestamp < now_s - tolerance_s) {
    refuse("Timestamp outside the tolerance zone: t=" + std::to_string(timestamp) + " is " +
           std::to_string(now_s - timestamp) + " s old (tolerance " + std::to_string(tolerance_s) + " s)");
  }
}

}  // namespace rifa::plugins::stripe
