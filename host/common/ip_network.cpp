#include "common/ip_network.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace rifa {

namespace {

constexpr int kV4MappedPrefixBits = 96;

}  // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  if (text.empty() || text.size() > 45) return std::nullopt;
  const std::string s(text);
  IpAddress a;
  in_addr v4{};
  if (::inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    a.bytes[10] = 0xff;
    a.bytes[11] = 0xff;
    std::memcpy(&a.bytes[12], &v4, 4);
    a.v4 = true;
    return a;
  }
  in6_addr v6{};
  if (::inet_pton(AF_INET6, s.c_str(), &v6) != 1) return std::nullopt;
  std::memcpy(a.bytes.data(), &v6, 16);
  static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  a.v4 = std::memcmp(a.bytes.data(), kMapped, 12) == 0;
  return a;
}

std::string IpAddress::to_string() const {
  char out[INET6_ADDRSTRLEN] = {};
  if (v4) {
    ::inet_ntop(AF_INET, &bytes[12], out, sizeof out);
  } else {
    ::inet_ntop(AF_INET6, bytes.data(), out, sizeof out);
  }
  return out;
}

Result<IpNetwork> IpNetwork::parse(std::string_view cidr) {
  const auto slash = cidr.find('/');
  const auto address_text = cidr.substr(0, slash);
  const auto address = IpAddress::parse(address_text);
  if (!address) {
    return Error{ErrorCode::kInvalidArgument,
                 "'" + std::string(cidr) + "' is not an IP address or CIDR block (\"10.0.0.0/8\", \"::1\")"};
  }
  const int family_bits = address->v4 ? 32 : 128;
  int bits = family_bits;
  if (slash != std::string_view::npos) {
    const auto digits = cidr.substr(slash + 1);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), bits);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || bits < 0 || bits > family_bits) {
      return Error{ErrorCode::kInvalidArgument,
                   "'" + std::string(cidr) + "': the prefix length must be 0.." + std::to_string(family_bits)};
    }
  }
  IpNetwork n;
  n.base_ = *address;
  n.prefix_bits_ = bits + (address->v4 ? kV4MappedPrefixBits : 0);
  for (int bit = n.prefix_bits_; bit < 128; ++bit) {
    if (n.base_.bytes[bit / 8] & (0x80 >> (bit % 8))) {
      return Error{ErrorCode::kInvalidArgument, "'" + std::string(cidr) + "' has address bits set past the /" +
                                                    std::to_string(bits) + " prefix; write the block's first address"};
    }
  }
  return n;
}

bool IpNetwork::contains(const IpAddress& address) const {
  // An IPv4 block never holds a native IPv6 address and vice versa, even ::/0 (which would hold the
  // mapped block): trust what the operator wrote and nothing wider.
  if (address.v4 != base_.v4) return false;
  for (int bit = 0; bit < prefix_bits_; ++bit) {
    const uint8_t mask = 0x80 >> (bit % 8);
    if ((address.bytes[bit / 8] & mask) != (base_.bytes[bit / 8] & mask)) return false;
  }
  return true;
}

std::string IpNetwork::to_string() const {
  return base_.to_string() + "/" + std::to_string(prefix_bits_ - (base_.v4 ? kV4MappedPrefixBits : 0));
}

}  // namespace rifa
