#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace rifa {

// An IP address in one form for both families: IPv4 is held IPv4-mapped (::ffff:a.b.c.d), so
// "127.0.0.1" and "::ffff:127.0.0.1" (what a dual-stack socket reports) are the same address.
struct IpAddress {
  std::array<uint8_t, 16> bytes{};
  bool v4 = false;

  // "10.1.2.3", "2001:db8::1", "[2001:db8::1]" (brackets, as in Forwarded and URLs); nullopt otherwise.
  static std::optional<IpAddress> parse(std::string_view text);
  std::string to_string() const;  // the canonical text: dotted quad for IPv4 and IPv4-mapped
  bool operator==(const IpAddress&) const = default;
};

// An address block in CIDR notation ("10.0.0.0/8", "2001:db8::/32") or one address ("127.0.0.1").
class IpNetwork {
 public:
  // Refuses host bits set below the prefix ("10.0.0.1/8"): it is almost always a typo, and
  // silently widening it to 10.0.0.0/8 would trust more than the operator wrote.
  static Result<IpNetwork> parse(std::string_view cidr);
  bool contains(const IpAddress& address) const;
  std::string to_string() const;

 private:
  IpAddress base_;
  int prefix_bits_ = 0;  // over the 128-bit form: an IPv4 /8 is stored as /104
};

}  // namespace rifa
