#include "server/static_site.hpp"

#include <fstream>
#include <iterator>
#include <system_error>

#include "common/sha256.hpp"
#include "server/error_mapping.hpp"

namespace rifa::api {
namespace {

namespace fs = std::filesystem;

Response not_found(const Request& request) {
  return make_problem(ProblemType::kNotFound, "no file for " + request.path);
}

// `inner` is `outer` or below it (both canonical).
bool inside(const fs::path& outer, const fs::path& inner) {
  auto o = outer.begin();
  auto i = inner.begin();
  for (; o != outer.end(); ++o, ++i) {
    if (i == inner.end() || *o != *i) return false;
  }
  return true;
}

// If-None-Match: "*" or a comma-separated list of entity tags (weak ones compare weakly).
bool etag_matches(const std::string& header, const std::string& etag) {
  if (header.empty()) return false;
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(',', pos);
    if (end == std::string::npos) end = header.size();
    std::string tag = header.substr(pos, end - pos);
    const auto first = tag.find_first_not_of(" \t");
    const auto last = tag.find_last_not_of(" \t");
    tag = first == std::string::npos ? std::string() : tag.substr(first, last - first + 1);
    if (tag.rfind("W/", 0) == 0) tag = tag.substr(2);
    if (tag == "*" || tag == etag) return true;
    pos = end + 1;
  }
  return false;
}

}  // namespace

StaticSite::StaticSite(std::filesystem::path root) : root_(std::move(root)) {}

bool StaticSite::safe_segment(std::string_view segment) {
  if (segment.empty() || segment.front() == '.') return false;  // "", ".", "..", hidden files
  for (const char c : segment) {
    if (c == '/' || c == '\\' || c == '\0' || static_cast<unsigned char>(c) < 0x20) return false;
  }
  return true;
}

std::string StaticSite::content_type_for(std::string_view file_name) {
  const auto dot = file_name.rfind('.');
  if (dot == std::string_view::npos) return {};
  const std::string_view ext = file_name.substr(dot + 1);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "ico") return "image/x-icon";
  if (ext == "json") return "application/json";
  if (ext == "txt") return "text/plain; charset=utf-8";
  if (ext == "woff2") return "font/woff2";
  return {};
}

Response StaticSite::serve(const Request& request, const std::vector<std::string>& segments) const {
  if (segments.empty()) return not_found(request);
  fs::path relative;
  for (const auto& segment : segments) {
    if (!safe_segment(segment)) return not_found(request);
    relative /= segment;
  }
  const std::string type = content_type_for(segments.back());
  if (type.empty()) return not_found(request);

  std::error_code ec;
  const fs::path base = fs::canonical(root_, ec);
  if (ec) return not_found(request);
  const fs::path file = fs::canonical(base / relative, ec);  // every symlink resolved
  if (ec || !inside(base, file) || !fs::is_regular_file(file, ec)) return not_found(request);

  std::ifstream in(file, std::ios::binary);
  if (!in) return not_found(request);
  std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());

  const std::string etag = "\"" + sha256_hex(body) + "\"";
  Response r;
  r.headers.emplace_back("ETag", etag);
  r.headers.emplace_back("Cache-Control", "no-cache");
  r.headers.emplace_back("Content-Security-Policy", kPageCsp);
  if (etag_matches(request.header("if-none-match"), etag)) {
    r.status = 304;
    r.content_type.clear();
    return r;
  }
  r.status = 200;
  r.content_type = type;
  r.body = std::move(body);
  return r;
}

}  // namespace rifa::api
