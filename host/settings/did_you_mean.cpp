#include "settings/did_you_mean.hpp"

#include <algorithm>
#include <cctype>

namespace rifa::settings {
namespace {

char fold(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool starts_with_folded(std::string_view text, std::string_view prefix) {
  if (prefix.size() > text.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (fold(text[i]) != fold(prefix[i])) return false;
  }
  return true;
}

}  // namespace

size_t edit_distance(std::string_view a, std::string_view b) {
  const size_t n = a.size();
  const size_t m = b.size();
  std::vector<std::vector<size_t>> d(n + 1, std::vector<size_t>(m + 1, 0));
  for (size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      const size_t cost = fold(a[i - 1]) == fold(b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) && fold(a[i - 2]) == fold(b[j - 1])) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

std::optional<std::string> did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  if (word.empty()) return std::nullopt;
  const std::string* best = nullptr;
  size_t best_distance = 3;
  for (const auto& c : candidates) {
    const size_t d = edit_distance(word, c);
    if (d < best_distance && d < word.size()) {
      best = &c;
      best_distance = d;
    }
  }
  if (best && best_distance <= 1) return *best;
  // A shared prefix ("cors" → "cors_allowed_origins") says more than two unrelated edits ("cors" → "port").
  for (const auto& c : candidates) {
    if (starts_with_folded(c, word) || starts_with_folded(word, c)) return c;
  }
  if (best) return *best;
  return std::nullopt;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

std::string suggestion_note(std::string_view word, const std::vector<std::string>& candidates, std::string_view label) {
  std::string note = "(";
  if (auto guess = did_you_mean(word, candidates)) note += "did you mean '" + *guess + "'?; ";
  note += std::string(label) + ": " + join(candidates) + ")";
  return note;
}

}  // namespace rifa::settings
