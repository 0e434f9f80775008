#include "handlers/common/pagination.hpp"

#include "engine/validation.hpp"

namespace rifa::api {
namespace {

// Digits only (no sign, no spaces, at most 9 of them so it fits an int) — std::stoi would accept
// " 1x" and throw on overflow.
Result<int> small_positive(const Request& request, const char* name, int fallback, int max) {
  auto it = request.query.find(name);
  if (it == request.query.end()) return fallback;
  const std::string& text = it->second;
  const auto bad = [&] {
    return engine::invalid_field(name, "must be an integer between 1 and " + std::to_string(max));
  };
  if (text.empty() || text.size() > 9) return bad();
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return bad();
    value = value * 10 + (c - '0');
  }
  if (value < 1 || value > max) return bad();
  return value;
}

}  // namespace

Result<engine::PageRequest> parse_pagination(const Request& request) {
  engine::PageRequest page;
  auto p = small_positive(request, "page", 1, kMaxPage);
  if (!p) return p.error();
  auto per =
      small_positive(request, "per_page", engine::PageRequest::kDefaultPerPage, engine::PageRequest::kMaxPerPage);
  if (!per) return per.error();
  page.page = *p;
  page.per_page = *per;
  return page;
}

}  // namespace rifa::api
