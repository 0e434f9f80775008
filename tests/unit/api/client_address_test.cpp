// Who the client is behind proxies: only a trusted peer's forwarding header is read, from the
// right, and whatever a client writes into it cannot make it someone else.
#include <gtest/gtest.h>

#include "common/ip_network.hpp"
#include "server/client_address.hpp"

namespace rifa::api {
namespace {

using Header = ClientAddressResolver::Header;

ClientAddressResolver resolver(std::vector<std::string> proxies, const char* header = "x-forwarded-for") {
  auto r = ClientAddressResolver::make(proxies, header);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : ClientAddressResolver();
}

TEST(IpNetwork, ContainsAddressesOfItsBlockInBothFamilies) {
  auto block = IpNetwork::parse("10.0.0.0/8");
  ASSERT_TRUE(block.ok());
  EXPECT_TRUE(block->contains(*IpAddress::parse("10.255.1.2")));
  EXPECT_TRUE(block->contains(*IpAddress::parse("::ffff:10.0.0.1")));  // what a dual-stack socket reports
  EXPECT_FALSE(block->contains(*IpAddress::parse("11.0.0.1")));
  EXPECT_FALSE(block->contains(*IpAddress::parse("::a00:1")));  // IPv4-compatible, not mapped: another address
  auto v6 = IpNetwork::parse("2001:db8::/32");
  ASSERT_TRUE(v6.ok());
  EXPECT_TRUE(v6->contains(*IpAddress::parse("2001:db8:ffff::1")));
  EXPECT_FALSE(v6->contains(*IpAddress::parse("2001:db9::1")));
  EXPECT_FALSE(v6->contains(*IpAddress::parse("10.0.0.1")));
  auto one = IpNetwork::parse("127.0.0.1");
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->to_string(), "127.0.0.1/32");
  EXPECT_FALSE(one->contains(*IpAddress::parse("127.0.0.2")));
  auto all = IpNetwork::parse("0.0.0.0/0");
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->contains(*IpAddress::parse("203.0.113.9")));
  EXPECT_FALSE(all->contains(*IpAddress::parse("::1")));
}

TEST(IpNetwork, RefusesWhatIsNotABlockSayingWhy) {
  for (const char* bad : {"", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/8x", "2001:db8::/129", "example.com",
                          "10.0.0.256", "10.0.0.1/8"}) {
    auto parsed = IpNetwork::parse(bad);
    EXPECT_FALSE(parsed.ok()) << bad;
    if (!parsed.ok()) EXPECT_NE(parsed.error().message.find(std::string("'") + bad + "'"), std::string::npos);
  }
  auto host_bits = IpNetwork::parse("10.0.0.1/8");
  ASSERT_FALSE(host_bits.ok());
  EXPECT_NE(host_bits.error().message.find("first address"), std::string::npos);
}

TEST(ClientAddress, WithoutTrustedProxiesTheHeaderIsNeverRead) {
  const ClientAddressResolver none;
  EXPECT_EQ(none.client_address("198.51.100.7", "1.2.3.4"), "198.51.100.7");
  EXPECT_EQ(none.client_address("::ffff:198.51.100.7", ""), "198.51.100.7");
}

TEST(ClientAddress, AnUntrustedPeerCannotNameAnotherClient) {
  const auto r = resolver({"10.0.0.0/8"});
  EXPECT_EQ(r.client_address("203.0.113.5", "1.2.3.4"), "203.0.113.5");
  EXPECT_FALSE(r.trusts("203.0.113.5"));
  EXPECT_TRUE(r.trusts("10.1.1.1"));
}

TEST(ClientAddress, TheRightmostUntrustedHopIsTheClient) {
  const auto r = resolver({"10.0.0.0/8", "127.0.0.1"});
  // nginx appends the address it received from: a forged entry ends up on the left.
  EXPECT_EQ(r.client_address("127.0.0.1", "203.0.113.5"), "203.0.113.5");
  EXPECT_EQ(r.client_address("127.0.0.1", "6.6.6.6, 203.0.113.5"), "203.0.113.5");
  // Two of our proxies in a row (a load balancer, then nginx).
  EXPECT_EQ(r.client_address("127.0.0.1", "6.6.6.6, 203.0.113.5, 10.2.3.4"), "203.0.113.5");
  // A trusted peer that sent no header is the client itself (a health check from the proxy host).
  EXPECT_EQ(r.client_address("10.9.9.9", ""), "10.9.9.9");
  // Every hop trusted: the leftmost is as far as we can see.
  EXPECT_EQ(r.client_address("127.0.0.1", "10.0.0.7, 10.0.0.8"), "10.0.0.7");
}

TEST(ClientAddress, AnEntryThatIsNotAnAddressStopsTheWalk) {
  const auto r = resolver({"10.0.0.0/8"});
  // "unknown" right of the client: the proxy that wrote it (10.0.0.2) is all we know.
  EXPECT_EQ(r.client_address("10.0.0.1", "203.0.113.5, unknown, 10.0.0.2"), "10.0.0.2");
  EXPECT_EQ(r.client_address("10.0.0.1", "garbage"), "10.0.0.1");
  EXPECT_EQ(r.client_address("10.0.0.1", "<script>"), "10.0.0.1");
}

TEST(ClientAddress, IPv6AndPortsAreUnderstood) {
  const auto r = resolver({"::1", "127.0.0.1"});
  EXPECT_EQ(r.client_address("::1", "2001:db8::17"), "2001:db8::17");
  EXPECT_EQ(r.client_address("::1", "[2001:db8::17]:4711"), "2001:db8::17");
  EXPECT_EQ(r.client_address("127.0.0.1", "203.0.113.5:6000"), "203.0.113.5");
}

TEST(ClientAddress, ForwardedIsReadOnlyWhenNamedAndParsedPerRfc7239) {
  const auto xff = resolver({"127.0.0.1"});
  // The proxy appends to X-Forwarded-For; a Forwarded header the client sent is not looked at.
  EXPECT_EQ(xff.client_address("127.0.0.1", ""), "127.0.0.1");
  const auto fwd = resolver({"127.0.0.1"}, "forwarded");
  EXPECT_EQ(fwd.client_address("127.0.0.1", "for=192.0.2.60;proto=http;by=203.0.113.43"), "192.0.2.60");
  EXPECT_EQ(fwd.client_address("127.0.0.1", R"(for="_gazonk", For="[2001:db8:cafe::17]:4711")"), "2001:db8:cafe::17");
  EXPECT_EQ(fwd.client_address("127.0.0.1", "for=198.51.100.1, proto=https"), "127.0.0.1");
  EXPECT_EQ(forwarded_hops("for=\"192.0.2.43:47011\", for=unknown", Header::kForwarded),
            (std::vector<std::string>{"192.0.2.43", "unknown"}));
  auto bad = ClientAddressResolver::make({"127.0.0.1"}, "x-real-ip");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("x-real-ip"), std::string::npos);
  auto bad_block = ClientAddressResolver::make({"10.0.0.0/40"}, "x-forwarded-for");
  ASSERT_FALSE(bad_block.ok());
  EXPECT_NE(bad_block.error().message.find("server.trusted_proxies"), std::string::npos);
}

}  // namespace
}  // namespace rifa::api
