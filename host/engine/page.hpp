#pragma once

#include <cstdint>
#include <vector>

namespace rifa::engine {

// A validated page request: page >= 1, 1 <= per_page <= kMaxPerPage (the API layer checks).
struct PageRequest {
  static constexpr int kMaxPerPage = 100;
  static constexpr int kDefaultPerPage = 20;
  int page = 1;
  int per_page = kDefaultPerPage;
  int64_t offset() const { return static_cast<int64_t>(page - 1) * per_page; }
};

template <typename T>
struct Page {
  std::vector<T> items;
  int page = 1;
  int per_page = PageRequest::kDefaultPerPage;
  int64_t total = 0;
};

}  // namespace rifa::engine
