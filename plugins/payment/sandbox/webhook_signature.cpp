#include "webhook_signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cctype>
#include <sstream>
#include <vector>

#include "rifa/sdk/error.hpp"

namespace rifa::plugins::sandbox {
namespace {

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string trim(const std::string& text) {
  const size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

bool find_header(const std::string& headers, const std::string& name, std::string& value) {
  std::istringstream lines(headers);
  std::string line;
  while (std::getline(lines, line)) {
    const size_t colon = line.find(':');
    if (colon != std::string::npos && lower(trim(line.substr(0, colon))) == name) {
      value = trim(line.substr(colon + 1));
      return true;
    }
  }
  return false;
}

bool all_digits(const std::string& text) {
  if (text.empty() || text.size() > 12) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool is_hex64(const std::string& text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

[[noreturn]] void refuse(const std::string& message) { throw sdk::Error(RIFA_ERR_SIGNATURE, message); }

}  // namespace

std::string hmac_sha256_hex(const std::string& secret, const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
            reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &length)) {
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

std::string sign_webhook(const std::string& secret, int64_t timestamp_s, const std::string& body) {
  const std::string t = std::to_string(timestamp_s);
  return "t=" + t + ",v1=" + hmac_sha256_hex(secret, t + "." + body);
}

void verify_webhook_signature(const std::string& secret, const std::string& headers, const std::string& body,
                              int64_t now_s, int64_t tolerance_s) {
  std::string value;
  if (!find_header(headers, kSignatureHeader, value)) refuse(std::string("missing ") + kSignatureHeader + " header");

  std::string timestamp;
  std::vector<std::string> signatures;
  std::istringstream parts(value);
  std::string part;
  bool well_formed = true;
  while (std::getline(parts, part, ',')) {
    part = trim(part);
    if (part.rfind("t=", 0) == 0 && timestamp.empty()) {
      timestamp = part.substr(2);
    } else if (part.rfind("v1=", 0) == 0) {
      signatures.push_back(lower(part.substr(3)));
    } else if (part.find('=') == std::string::npos) {
      well_formed = false;  // other schemes (v0=...) are ignored, as Stripe does
    }
  }
  if (!well_formed || !all_digits(timestamp) || signatures.empty()) {
    refuse(std::string("malformed ") + kSignatureHeader + " header: expected t=<unix seconds>,v1=<hex HMAC-SHA256>");
  }
  for (const auto& signature : signatures) {
    if (!is_hex64(signature)) {
      refuse(std::string("malformed ") + kSignatureHeader + " header: v1 must be 64 hex digits");
    }
  }

  const std::string expected = hmac_sha256_hex(secret, timestamp + "." + body);
  bool matched = false;
  for (const auto& signature : signatures) {
    // Constant time, so that an attacker cannot learn the signature byte by byte.
    matched |= CRYPTO_memcmp(expected.data(), signature.data(), expected.size()) == 0;
  }
  if (!matched) refuse(std::string("bad signature: no v1 in ") + kSignatureHeader + " matches the body");

  const int64_t t = std::stoll(timestamp);
  const int64_t skew_s = now_s > t ? now_s - t : t - now_s;
  if (skew_s > tolerance_s) {
    refuse("timestamp outside tolerance: t=" + timestamp + " is " + std::to_string(skew_s) +
           " s from the host clock (tolerance " + std::to_string(tolerance_s) + " s)");
  }
}

}  // namespace rifa::plugins::sandbox
