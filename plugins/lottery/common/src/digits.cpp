#include "rifa/lottery/digits.hpp"

#include <algorithm>
#include <array>

namespace rifa::lottery {

bool is_all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_digit_string(std::string_view text, std::size_t width) { return text.size() == width && is_all_digits(text); }

std::string digits_of(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c >= '0' && c <= '9') out.push_back(c);
  }
  return out;
}

std::optional<int> parse_small_int(std::string_view text) {
  if (!is_all_digits(text) || text.size() > 9) return std::nullopt;
  int value = 0;
  for (char c : text) value = value * 10 + (c - '0');
  return value;
}

std::string pad_digits(long long value, std::size_t width) {
  std::string digits = std::to_string(value);
  if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
  return digits;
}

std::string collapse_whitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xa0) {
      space = true;  // U+00A0, what &nbsp; becomes
      ++i;
    }
    if (space) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(static_cast<char>(c));
  }
  return out;
}

bool looks_like_placeholder(std::string_view text) {
  std::string lower = collapse_whitespace(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (lower.empty()) return true;
  if (lower.find_first_not_of("x- ?*_") == std::string::npos) return true;
  static constexpr std::array<std::string_view, 6> kWords = {"en minutos",   "pendiente",   "próximamente",
                                                             "proximamente", "por definir", "por jugar"};
  return std::any_of(kWords.begin(), kWords.end(),
                     [&](std::string_view word) { return lower.find(word) != std::string::npos; });
}

std::optional<std::int64_t> prize_cents_from_label(std::string_view label) {
  std::string upper(label);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  // Reads the amount that ends just before `end` (digits with thousands dots, maybe "$ ").
  auto amount_before = [&](std::size_t end) -> std::optional<std::int64_t> {
    std::size_t i = end;
    while (i > 0 && upper[i - 1] == ' ') --i;
    std::size_t stop = i;
    while (i > 0 && ((upper[i - 1] >= '0' && upper[i - 1] <= '9') || upper[i - 1] == '.')) --i;
    std::string digits = digits_of(std::string_view(upper).substr(i, stop - i));
    if (digits.empty() || digits.size() > 12) return std::nullopt;
    return std::stoll(digits);
  };
  if (auto pos = upper.find("MILLON"); pos != std::string::npos) {
    if (auto millions = amount_before(pos)) return *millions * 1'000'000 * 100;
    return std::nullopt;
  }
  if (auto pos = upper.find('$'); pos != std::string::npos) {
    std::size_t i = pos + 1;
    while (i < upper.size() && upper[i] == ' ') ++i;
    std::size_t start = i;
    while (i < upper.size() && ((upper[i] >= '0' && upper[i] <= '9') || upper[i] == '.')) ++i;
    std::string digits = digits_of(std::string_view(upper).substr(start, i - start));
    if (digits.empty() || digits.size() > 15) return std::nullopt;
    return std::stoll(digits) * 100;
  }
  return std::nullopt;
}

DigitCell read_digit_cell(std::string_view text) {
  std::string clean = collapse_whitespace(text);
  if (looks_like_placeholder(clean)) return {CellKind::kPlaceholder, clean};
  std::string digits;
  for (char c : clean) {
    if (c == ' ') continue;
    if (c < '0' || c > '9') return {CellKind::kJunk, clean};
    digits.push_back(c);
  }
  return {CellKind::kDigits, digits};
}

}  // namespace rifa::lottery
