#include "common/sha256.hpp"

#include "rifa/sdk/sha256.hpp"

namespace rifa {

std::string sha256_hex(std::string_view bytes) { return sdk::sha256_hex(bytes); }

std::string name_based_uuid(std::string_view name) {
  // The first 16 bytes of the digest as 8-4-4-4-12 hex, with the version (byte 6's high nibble: 8)
  // and the RFC variant (byte 8's two high bits: 10) set.
  const std::string digest = sdk::sha256_hex(name);
  auto nibble = [](char hex) { return hex <= '9' ? hex - '0' : hex - 'a' + 10; };
  constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) out.push_back('-');
    char c = digest[i];
    if (i == 12) c = '8';
    if (i == 16) c = kHex[0x8 | (nibble(c) & 0x3)];
    out.push_back(c);
  }
  return out;
}

}  // namespace rifa
