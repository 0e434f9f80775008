#include "server/client_address.hpp"

#include <algorithm>
#include <cctype>

namespace rifa::api {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// RFC 7239 node: "192.0.2.43", "\"192.0.2.43:47011\"", "\"[2001:db8::17]:4711\"", "unknown", "_hidden".
std::string node_address(std::string_view node) {
  node = trim(node);
  if (node.size() >= 2 && node.front() == '"' && node.back() == '"') node = node.substr(1, node.size() - 2);
  if (!node.empty() && node.front() == '[') {
    const auto close = node.find(']');
    return close == std::string_view::npos ? std::string(node) : std::string(node.substr(1, close - 1));
  }
  // One colon: an IPv4 address with a port. More: a bare IPv6 address (not valid in Forwarded, seen
  // in X-Forwarded-For).
  if (std::count(node.begin(), node.end(), ':') == 1) node = node.substr(0, node.find(':'));
  return std::string(node);
}

}  // namespace

std::vector<std::string> forwarded_hops(std::string_view value, ClientAddressResolver::Header header) {
  std::vector<std::string> hops;
  size_t start = 0;
  while (start <= value.size()) {
    const auto comma = value.find(',', start);
    const auto element = trim(value.substr(start, comma == std::string_view::npos ? value.npos : comma - start));
    if (header == ClientAddressResolver::Header::kXForwardedFor) {
      if (!element.empty()) hops.push_back(node_address(element));
    } else if (!element.empty()) {
      // for=…;proto=…;by=… — an element without for= says nothing about the client: it is a hop we
      // cannot read, which stops the walk like "unknown" does.
      std::string address = "unknown";
      size_t pair_start = 0;
      while (pair_start <= element.size()) {
        const auto semi = element.find(';', pair_start);
        const auto pair =
            trim(element.substr(pair_start, semi == std::string_view::npos ? element.npos : semi - pair_start));
        const auto eq = pair.find('=');
        if (eq != std::string_view::npos && iequals(trim(pair.substr(0, eq)), "for")) {
          address = node_address(pair.substr(eq + 1));
        }
        if (semi == std::string_view::npos) break;
        pair_start = semi + 1;
      }
      hops.push_back(std::move(address));
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return hops;
}

Result<ClientAddressResolver> ClientAddressResolver::make(const std::vector<std::string>& trusted_proxies,
                                                          std::string_view header_name) {
  ClientAddressResolver r;
  if (iequals(header_name, "forwarded")) {
    r.header_ = Header::kForwarded;
  } else if (iequals(header_name, "x-forwarded-for") || header_name.empty()) {
    r.header_ = Header::kXForwardedFor;
  } else {
    return Error{ErrorCode::kConfigInvalid, "server.forwarded_header: '" + std::string(header_name) +
                                                "' is neither \"x-forwarded-for\" nor \"forwarded\""};
  }
  for (const auto& cidr : trusted_proxies) {
    auto network = IpNetwork::parse(cidr);
    if (!network) return Error{ErrorCode::kConfigInvalid, "server.trusted_proxies: " + network.error().message};
    r.trusted_.push_back(*network);
  }
  return r;
}

bool ClientAddressResolver::trusted(const IpAddress& address) const {
  return std::any_of(trusted_.begin(), trusted_.end(), [&](const IpNetwork& n) { return n.contains(address); });
}

bool ClientAddressResolver::trusts(std::string_view peer) const {
  const auto address = IpAddress::parse(peer);
  return address && trusted(*address);
}

std::string ClientAddressResolver::client_address(const std::string& peer, std::string_view header_value) const {
  auto client = IpAddress::parse(peer);
  if (!client) return peer;
  if (trusted_.empty() || !trusted(*client)) return client->to_string();
  const auto hops = forwarded_hops(header_value, header_);
  for (auto hop = hops.rbegin(); hop != hops.rend(); ++hop) {
    const auto address = IpAddress::parse(*hop);
    if (!address) break;  // the hop that wrote it (still `client`) is as far as we can see
    client = address;
    if (!trusted(*address)) break;
  }
  return client->to_string();
}

}  // namespace rifa::api
