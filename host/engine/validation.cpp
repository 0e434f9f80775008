#include "engine/validation.hpp"

#include <cctype>

namespace rifa::engine {

Error invalid_field(std::string_view field, std::string_view message) {
  return field_error(ErrorCode::kInvalidArgument, field, message);
}

Error field_error(ErrorCode code, std::string_view field, std::string_view message) {
  return make_field_error(code, std::string(field), std::string(message));
}

std::string field_of(const Error& error) { return error.field; }

size_t utf8_length(std::string_view text) {
  size_t n = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_valid_email(std::string_view email) {
  if (email.size() < 3 || email.size() > 255) return false;
  for (char c : email) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) return false;
  }
  const auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string_view::npos) return false;
  const std::string_view domain = email.substr(at + 1);
  const auto dot = domain.find('.');
  return dot != std::string_view::npos && dot > 0 && domain.back() != '.' &&
         domain.find("..") == std::string_view::npos;
}

}  // namespace rifa::engine
