#include "config_reader.hpp"

#include <cctype>
#include <cstdlib>

namespace example {
namespace {

// Position just after `"key":` (and blanks), or npos.
size_t value_start(const std::string& json, const std::string& key) {
  const std::string quoted = "\"" + key + "\"";
  size_t at = json.find(quoted);
  if (at == std::string::npos) return std::string::npos;
  at += quoted.size();
  while (at < json.size() && std::isspace(static_cast<unsigned char>(json[at]))) ++at;
  if (at >= json.size() || json[at] != ':') return std::string::npos;
  ++at;
  while (at < json.size() && std::isspace(static_cast<unsigned char>(json[at]))) ++at;
  return at;
}

}  // namespace

std::optional<std::string> config_string(const std::string& json, const std::string& key) {
  size_t at = value_start(json, key);
  if (at == std::string::npos || json[at] != '"') return std::nullopt;
  std::string value;
  for (++at; at < json.size() && json[at] != '"'; ++at) {
    if (json[at] == '\\' && at + 1 < json.size()) ++at;  // keeps the escaped character as is
    value.push_back(json[at]);
  }
  return value;
}

std::optional<long long> config_integer(const std::string& json, const std::string& key) {
  const size_t at = value_start(json, key);
  if (at == std::string::npos) return std::nullopt;
  char* end = nullptr;
  const long long value = std::strtoll(json.c_str() + at, &end, 10);
  if (end == json.c_str() + at) return std::nullopt;
  return value;
}

}  // namespace example
