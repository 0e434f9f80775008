#include "standard_webhooks.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "rifa/sdk/error.hpp"

namespace rifa::plugins::webhook {
namespace {

std::string base64(const unsigned char* data, size_t size) {
  std::string out(4 * ((size + 2) / 3), '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(static_cast<size_t>(written));
  return out;
}

bool is_base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

}  // namespace

std::string secret_key(const std::string& secret) {
  const std::string prefix = "whsec_";
  const std::string text = secret.rfind(prefix, 0) == 0 ? secret.substr(prefix.size()) : secret;
  size_t padding = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '=') {
      ++padding;
    } else if (!is_base64_char(c) || padding > 0) {
      throw sdk::Error(RIFA_ERR_CONFIG, "a webhook secret must be whsec_ followed by base64");
    }
  }
  if (text.empty() || text.size() % 4 != 0 || padding > 2) {
    throw sdk::Error(RIFA_ERR_CONFIG,
                     "a webhook secret must be whsec_ followed by base64 (a multiple of 4 characters)");
  }
  std::string key(text.size() / 4 * 3, '\0');
  const int decoded =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(key.data()), reinterpret_cast<const unsigned char*>(text.data()),
                      static_cast<int>(text.size()));
  if (decoded < 0) throw sdk::Error(RIFA_ERR_CONFIG, "a webhook secret's base64 does not decode");
  key.resize(static_cast<size_t>(decoded) - padding);  // EVP_DecodeBlock counts the padding as zero bytes
  if (key.size() < 16) throw sdk::Error(RIFA_ERR_CONFIG, "a webhook secret must hold at least 16 bytes of key");
  return key;
}

std::string sign_v1(const std::string& key, const std::string& id, const std::string& timestamp,
                    const std::string& body) {
  const std::string content = id + "." + timestamp + "." + body;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char*>(content.data()), content.size(), mac, &mac_size)) {
    throw sdk::Error(RIFA_ERR_INTERNAL, "HMAC-SHA256 failed");
  }
  return "v1," + base64(mac, mac_size);
}

std::string signature_header(const std::vector<std::string>& keys, const std::string& id, const std::string& timestamp,
                             const std::string& body) {
  std::string header;
  for (const std::string& key : keys) {
    if (!header.empty()) header += ' ';
    header += sign_v1(key, id, timestamp, body);
  }
  return header;
}

}  // namespace rifa::plugins::webhook
