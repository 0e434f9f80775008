#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "server/http_types.hpp"

namespace rifa::api {

// The pages' Content-Security-Policy: scripts, styles, images and connections only from this
// origin (so no inline script or style attribute runs), nothing framed, no <base>, forms post here.
inline constexpr const char* kPageCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// Files under one folder (the operator console and the public pages, `server.web_root`), read from
// disk on each request. A file is served only when every segment of its path is a plain name (no
// "", ".", "..", hidden names, separators or NUL) and, symlinks resolved, it is still a regular file
// inside the folder; only known extensions are served, each with its content type. Answers carry
// a strong ETag (the content's SHA-256), honour If-None-Match with 304, say `Cache-Control:
// no-cache` (revalidate: the names carry no version) and the page CSP above. Anything else is the
// API's 404 problem.
class StaticSite {
 public:
  explicit StaticSite(std::filesystem::path root);

  const std::filesystem::path& root() const { return root_; }

  // The file at these URL path segments (already percent-decoded) below the root.
  Response serve(const Request& request, const std::vector<std::string>& segments) const;

  // The content type served for a file name's extension; empty when the extension is not served.
  static std::string content_type_for(std::string_view file_name);
  // Whether one URL path segment may name a file or folder below the root.
  static bool safe_segment(std::string_view segment);

 private:
  std::filesystem::path root_;
};

}  // namespace rifa::api
