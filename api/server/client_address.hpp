#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/ip_network.hpp"
#include "common/result.hpp"

namespace rifa::api {

// Who the client is when the host sits behind proxies (nginx, a load balancer).
//
// The socket's peer is the client unless it is one of `trusted_proxies`. Only then is the one
// header the operator named read, from the right: each trusted proxy appends the address it
// received the request from, so the rightmost address that is not a trusted proxy is the first
// hop nobody we trust vouches for — the client. Everything left of it was written by the client
// and is ignored (a forged "X-Forwarded-For: 1.2.3.4" from the internet ends up left of it). An
// entry that is not an address ("unknown", an obfuscated "_hidden", garbage) stops the walk: the
// hop that wrote it is the client as far as we can tell.
//
// One header, not "Forwarded if present, else X-Forwarded-For": a proxy that appends to one passes
// the other through untouched, so reading both would let a client pick the header it forges.
class ClientAddressResolver {
 public:
  enum class Header { kXForwardedFor, kForwarded };

  // No trusted proxy: the peer is always the client, and no header is ever read.
  ClientAddressResolver() = default;
  // "x-forwarded-for" or "forwarded" (RFC 7239); each proxy a CIDR block or one address.
  static Result<ClientAddressResolver> make(const std::vector<std::string>& trusted_proxies,
                                            std::string_view header_name);

  // peer: the socket's remote address as text. header_value: all of the named header's lines,
  // joined with ", " in the order received (empty when absent).
  std::string client_address(const std::string& peer, std::string_view header_value) const;
  bool trusts(std::string_view peer) const;
  const char* header_name() const { return header_ == Header::kForwarded ? "forwarded" : "x-forwarded-for"; }

 private:
  bool trusted(const IpAddress& address) const;

  std::vector<IpNetwork> trusted_;
  Header header_ = Header::kXForwardedFor;
};

// The addresses of a header value, left to right, as written ("for=" values for Forwarded, with
// quotes, brackets and ports stripped). Exposed for tests.
std::vector<std::string> forwarded_hops(std::string_view header_value, ClientAddressResolver::Header header);

}  // namespace rifa::api
