#include "engine/number_assignment.hpp"

#include <numeric>

#include <openssl/evp.h>

namespace rifa::engine {
namespace {

std::string sha256_hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  return hex;
}

}  // namespace

NumberAssignment number_assignment(std::string_view assignment, const std::string& seed, int64_t total) {
  NumberAssignment out;
  if (assignment != "random" || total <= 1) return out;
  const std::string h = sha256_hex("rifa1122-assignment:" + seed);
  const auto n = static_cast<uint64_t>(total);
  out.random = true;
  out.n = n;
  out.shift = std::stoull(h.substr(0, 12), nullptr, 16) % n;
  uint64_t mult = std::stoull(h.substr(12, 12), nullptr, 16) % n;
  if (mult == 0) mult = 1;
  while (std::gcd(mult, n) != 1) mult = mult % (n - 1) + 1;
  out.mult = mult;
  return out;
}

}  // namespace rifa::engine
