#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rifa::lottery {

/// True when `text` is exactly `width` ASCII digits ("0042" for width 4).
bool is_digit_string(std::string_view text, std::size_t width);

/// True when `text` is non-empty and all ASCII digits.
bool is_all_digits(std::string_view text);

/// Every ASCII digit of `text`, in order ("2.576" → "2576", "9 1 6 4" → "9164").
std::string digits_of(std::string_view text);

/// Non-negative integer from an all-digits string of at most 9 digits; nullopt otherwise.
std::optional<int> parse_small_int(std::string_view text);

/// `value` left-padded with zeros to `width` digits (42, 4 → "0042"). Values wider than
/// `width` are returned unpadded (and will then fail is_digit_string).
std::string pad_digits(long long value, std::size_t width);

/// Whitespace (ASCII and U+00A0) collapsed to single spaces and trimmed.
std::string collapse_whitespace(std::string_view text);

/// True when the text says "not drawn yet" the ways result pages do: empty, "XXXX", "--",
/// "En minutos", "Pendiente", "Próximamente", "Por definir" (case-insensitive).
bool looks_like_placeholder(std::string_view text);

/// Prize in cents from a label such as "PREMIO SECO $10 MILLONES", "$1.000 MILLONES",
/// "SUPER GORDO 100 MILLONES" or "$50.000.000": the amount right before "MILLONES" times a
/// million, else the first "$" amount. nullopt when the label names no amount.
std::optional<std::int64_t> prize_cents_from_label(std::string_view label);

/// How a printed number reads: digits (spaces between them dropped, "9 1 6 4" → "9164"), a
/// "not drawn yet" placeholder, or anything else (junk: the layout or the data is wrong).
enum class CellKind { kDigits = 1, kPlaceholder = 2, kJunk = 3 };

struct DigitCell {
  CellKind kind;
  std::string text;  ///< the digits when kDigits, else the collapsed text (for messages)
};

DigitCell read_digit_cell(std::string_view text);

}  // namespace rifa::lottery
