#include "plugin_runtime/http_transport.hpp"

#include <algorithm>
#include <cctype>

namespace rifa::plugin_runtime {
namespace {

std::string trim(std::string s) {
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> parse_header_lines(const std::string& block) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t start = 0;
  while (start < block.size()) {
    size_t end = block.find('\n', start);
    if (end == std::string::npos) end = block.size();
    std::string line = block.substr(start, end - start);
    start = end + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto colon = line.find(':');
    if (colon == std::string::npos || colon == 0) continue;
    out.emplace_back(trim(line.substr(0, colon)), trim(line.substr(colon + 1)));
  }
  return out;
}

std::string url_host(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return "";
  size_t start = scheme_end + 3;
  size_t end = url.find_first_of("/?#", start);
  std::string authority = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (auto at = authority.rfind('@'); at != std::string::npos) authority = authority.substr(at + 1);
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    return close == std::string::npos ? "" : lower(authority.substr(1, close - 1));
  }
  if (auto colon = authority.find(':'); colon != std::string::npos) authority.resize(colon);
  return lower(authority);
}

bool egress_allowed(const std::vector<std::string>& allow_globs, const std::string& host) {
  if (host.empty()) return false;
  for (const auto& raw : allow_globs) {
    const std::string glob = lower(raw);
    if (glob == "*" || glob == host) return true;
    if (glob.rfind("*.", 0) == 0) {
      const std::string suffix = glob.substr(1);  // ".example.com"
      if (host.size() > suffix.size() && host.compare(host.size() - suffix.size(), suffix.size(), suffix) == 0) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace rifa::plugin_runtime
