#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "engine/page.hpp"
#include "server/http_types.hpp"

namespace rifa::api {

// The last page anyone may ask for: (kMaxPage - 1) × kMaxPerPage stays below 2^31, so an offset
// fits every integer type a list passes it through (GET /admin/jobs once wrapped to a negative
// OFFSET at page 30,000,000), and no list is that long.
inline constexpr int kMaxPage = 1'000'000;

// ?page=&per_page= : 1 <= page <= kMaxPage (default 1), 1 <= per_page <= 100 (default 20); anything
// else is kInvalidArgument naming the parameter.
Result<engine::PageRequest> parse_pagination(const Request& request);

// {items, page, per_page, total}; `to_json` turns one item into JSON.
template <typename T, typename Fn>
nlohmann::json page_json(const engine::Page<T>& page, Fn&& to_json) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& item : page.items) items.push_back(to_json(item));
  return {{"items", std::move(items)}, {"page", page.page}, {"per_page", page.per_page}, {"total", page.total}};
}

}  // namespace rifa::api
