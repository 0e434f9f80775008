#include "common/sha256.hpp"

#include <array>

#include <openssl/evp.h>

namespace rifa {
namespace {

std::array<unsigned char, 32> digest(std::string_view bytes) {
  std::array<unsigned char, 32> out{};
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), out.data(), &length, EVP_sha256(), nullptr);
  return out;
}

constexpr char kHex[] = "0123456789abcdef";

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  const auto d = digest(bytes);
  std::string out;
  out.reserve(64);
  for (unsigned char b : d) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0x0f]);
  }
  return out;
}

std::string name_based_uuid(std::string_view name) {
  auto d = digest(name);
  d[6] = static_cast<unsigned char>((d[6] & 0x0f) | 0x80);  // version 8
  d[8] = static_cast<unsigned char>((d[8] & 0x3f) | 0x80);  // RFC variant
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[d[i] >> 4]);
    out.push_back(kHex[d[i] & 0x0f]);
  }
  return out;
}

}  // namespace rifa
