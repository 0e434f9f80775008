#include "settings/yaml_json.hpp"

#include <charconv>
#include <cstdint>
#include <limits>
#include <map>

namespace rifa::settings {
namespace {

constexpr std::string_view kCoreTagPrefix = "tag:yaml.org,2002:";

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_of(std::string_view s, bool (*pred)(char)) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!pred(c)) return false;
  }
  return true;
}

bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_octal(char c) { return c >= '0' && c <= '7'; }

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool is_core_float(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  size_t int_digits = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++int_digits;
  size_t frac_digits = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    size_t exp_digits = 0;
    while (i < s.size() && is_digit(s[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size();
}

TypedScalar integer_from(std::string_view digits, int base, bool negative, std::string_view original) {
  uint64_t magnitude = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
  constexpr uint64_t kMaxNegative = uint64_t{1} << 63;
  if (ec != std::errc{} || ptr != digits.data() + digits.size() || (negative && magnitude > kMaxNegative)) {
    return {nullptr, "integer " + std::string(original) + " is out of range"};
  }
  if (negative) {
    return {magnitude == kMaxNegative ? std::numeric_limits<int64_t>::min() : -static_cast<int64_t>(magnitude), ""};
  }
  if (magnitude <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return {static_cast<int64_t>(magnitude), ""};
  }
  return {magnitude, ""};
}

std::optional<TypedScalar> try_integer(std::string_view s) {
  if (s.size() > 2 && s[0] == '0' && s[1] == 'x' && all_of(s.substr(2), is_hex)) {
    return integer_from(s.substr(2), 16, false, s);
  }
  if (s.size() > 2 && s[0] == '0' && s[1] == 'o' && all_of(s.substr(2), is_octal)) {
    return integer_from(s.substr(2), 8, false, s);
  }
  const bool sign = !s.empty() && (s[0] == '-' || s[0] == '+');
  const std::string_view digits = sign ? s.substr(1) : s;
  if (!all_of(digits, is_digit)) return std::nullopt;
  return integer_from(digits, 10, sign && s[0] == '-', s);
}

}  // namespace

std::string describe_node(const YAML::Node& node) {
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a list";
  if (!node.IsDefined() || node.IsNull()) return "nothing (null)";
  return "'" + node.Scalar() + "'";
}

TypedScalar type_plain_scalar(std::string_view s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return {nullptr, ""};
  if (s == "true" || s == "True" || s == "TRUE") return {true, ""};
  if (s == "false" || s == "False" || s == "FALSE") return {false, ""};
  if (auto integer = try_integer(s)) return *integer;
  if (is_core_float(s)) {
    double value = 0;
    const char* begin = s.data() + (s[0] == '+' ? 1 : 0);
    auto [ptr, ec] = std::from_chars(begin, s.data() + s.size(), value);
    if (ec != std::errc{} || ptr != s.data() + s.size())
      return {nullptr, "number " + std::string(s) + " is out of range"};
    return {value, ""};
  }
  const std::string_view unsigned_part = (s[0] == '-' || s[0] == '+') ? s.substr(1) : s;
  if (unsigned_part == ".inf" || unsigned_part == ".Inf" || unsigned_part == ".INF" || s == ".nan" || s == ".NaN" ||
      s == ".NAN") {
    // Appended rather than `"'" + std::string(s) + ...`: GCC 12 warns falsely (-Wrestrict) on that at -O3.
    std::string message(1, '\'');
    message.append(s).append("' cannot be represented in JSON (no infinity or NaN)");
    return {nullptr, std::move(message)};
  }
  return {std::string(s), ""};
}

std::optional<nlohmann::json> yaml_to_json(const YAML::Node& node, const std::string& path,
                                           const YamlToJsonHooks& hooks) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null: return nlohmann::json(nullptr);
    case YAML::NodeType::Sequence: {
      nlohmann::json array = nlohmann::json::array();
      bool ok = true;
      size_t index = 0;
      for (const auto& item : node) {
        auto value = yaml_to_json(item, path + "[" + std::to_string(index++) + "]", hooks);
        if (value) {
          array.push_back(std::move(*value));
        } else {
          ok = false;
        }
      }
      return ok ? std::optional<nlohmann::json>(std::move(array)) : std::nullopt;
    }
    case YAML::NodeType::Map: {
      nlohmann::json object = nlohmann::json::object();
      std::map<std::string, YAML::Mark> seen;
      bool ok = true;
      for (const auto& entry : node) {
        const YAML::Node& key = entry.first;
        if (!key.IsScalar()) {
          hooks.error(key, path, "expected a plain key, got " + describe_node(key));
          ok = false;
          continue;
        }
        const std::string name = key.Scalar();
        const std::string child_path = path.empty() ? name : path + "." + name;
        auto [it, inserted] = seen.emplace(name, key.Mark());
        if (!inserted) {
          hooks.error(key, child_path,
                      "duplicate key '" + name + "' (first defined at line " + std::to_string(it->second.line + 1) +
                          ", column " + std::to_string(it->second.column + 1) + ")");
          ok = false;
          continue;
        }
        auto value = yaml_to_json(entry.second, child_path, hooks);
        if (value) {
          object[name] = std::move(*value);
        } else {
          ok = false;
        }
      }
      return ok ? std::optional<nlohmann::json>(std::move(object)) : std::nullopt;
    }
    case YAML::NodeType::Scalar: break;
  }

  auto text = hooks.scalar_text(node, path);
  if (!text) return std::nullopt;
  const std::string& tag = node.Tag();
  TypedScalar typed;
  if (tag == "?") {
    typed = type_plain_scalar(*text);
  } else if (tag == "!" || tag == std::string(kCoreTagPrefix) + "str") {
    typed = {*text, ""};
  } else if (tag.rfind(kCoreTagPrefix, 0) == 0) {
    const std::string wanted = tag.substr(kCoreTagPrefix.size());
    typed = type_plain_scalar(*text);
    const bool matches = (wanted == "int" && typed.value.is_number_integer()) ||
                         (wanted == "float" && typed.value.is_number()) ||
                         (wanted == "bool" && typed.value.is_boolean()) || (wanted == "null" && typed.value.is_null());
    if (typed.error.empty() && !matches) typed.error = "'" + *text + "' is not a valid !!" + wanted;
    if (typed.error.empty() && wanted == "float") typed.value = typed.value.get<double>();
  } else {
    typed.error =
        "unsupported tag '" + tag + "' (use plain YAML or the core tags !!str, !!int, !!float, !!bool, !!null)";
  }
  if (!typed.error.empty()) {
    hooks.error(node, path, typed.error);
    return std::nullopt;
  }
  return typed.value;
}

}  // namespace rifa::settings
