#include "plugin_runtime/json_schema.hpp"

#include <algorithm>
#include <regex>
#include <set>

namespace rifa::plugin_runtime {
namespace {

using nlohmann::json;

bool matches_type(const std::string& type, const json& value) {
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "string") return value.is_string();
  if (type == "integer") return value.is_number_integer();
  if (type == "number") return value.is_number();
  if (type == "boolean") return value.is_boolean();
  if (type == "null") return value.is_null();
  return false;
}

std::string type_name(const json& value) {
  switch (value.type()) {
    case json::value_t::object: return "object";
    case json::value_t::array: return "array";
    case json::value_t::string: return "string";
    case json::value_t::boolean: return "boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "integer";
    case json::value_t::number_float: return "number";
    case json::value_t::null: return "null";
    default: return "unknown";
  }
}

std::string join_types(const json& type) {
  if (type.is_string()) return type.get<std::string>();
  std::string out;
  for (const auto& t : type) {
    if (!out.empty()) out += " or ";
    out += t.get<std::string>();
  }
  return out;
}

// Counts code points, not bytes: minLength/maxLength are about characters.
size_t utf8_length(const std::string& s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

void validate(const json& schema, const json& value, const std::string& path, std::vector<std::string>& errors) {
  if (!schema.is_object()) return;

  if (auto it = schema.find("type"); it != schema.end()) {
    bool ok = false;
    if (it->is_string()) {
      ok = matches_type(it->get<std::string>(), value);
    } else if (it->is_array()) {
      ok = std::any_of(it->begin(), it->end(), [&](const json& t) { return t.is_string() && matches_type(t, value); });
    }
    if (!ok) {
      errors.push_back(path + ": expected " + join_types(*it) + ", got " + type_name(value));
      return;
    }
  }

  if (auto it = schema.find("enum"); it != schema.end() && it->is_array()) {
    if (std::find(it->begin(), it->end(), value) == it->end()) {
      errors.push_back(path + ": " + value.dump() + " is not one of " + it->dump());
    }
  }

  if (value.is_number()) {
    if (auto it = schema.find("minimum");
        it != schema.end() && it->is_number() && value.get<double>() < it->get<double>()) {
      errors.push_back(path + ": " + value.dump() + " is less than the minimum " + it->dump());
    }
    if (auto it = schema.find("maximum");
        it != schema.end() && it->is_number() && value.get<double>() > it->get<double>()) {
      errors.push_back(path + ": " + value.dump() + " is greater than the maximum " + it->dump());
    }
  }

  if (value.is_string()) {
    const auto& s = value.get_ref<const std::string&>();
    if (auto it = schema.find("minLength");
        it != schema.end() && it->is_number_integer() && utf8_length(s) < it->get<size_t>()) {
      errors.push_back(path + ": shorter than " + it->dump() + " characters");
    }
    if (auto it = schema.find("maxLength");
        it != schema.end() && it->is_number_integer() && utf8_length(s) > it->get<size_t>()) {
      errors.push_back(path + ": longer than " + it->dump() + " characters");
    }
    if (auto it = schema.find("pattern"); it != schema.end() && it->is_string()) {
      try {
        if (!std::regex_search(s, std::regex(it->get<std::string>(), std::regex::ECMAScript))) {
          errors.push_back(path + ": " + value.dump() + " does not match the pattern " + it->get<std::string>());
        }
      } catch (const std::regex_error&) {
        errors.push_back(path + ": the schema's pattern " + it->dump() + " is not a valid regex");
      }
    }
  }

  if (value.is_array()) {
    if (auto it = schema.find("minItems");
        it != schema.end() && it->is_number_integer() && value.size() < it->get<size_t>()) {
      errors.push_back(path + ": fewer than " + it->dump() + " items");
    }
    if (auto it = schema.find("maxItems");
        it != schema.end() && it->is_number_integer() && value.size() > it->get<size_t>()) {
      errors.push_back(path + ": more than " + it->dump() + " items");
    }
    if (auto it = schema.find("items"); it != schema.end() && it->is_object()) {
      for (size_t i = 0; i < value.size(); ++i) {
        validate(*it, value[i], path + "[" + std::to_string(i) + "]", errors);
      }
    }
  }

  if (value.is_object()) {
    const json empty = json::object();
    const json& properties = schema.contains("properties") ? schema["properties"] : empty;
    if (auto it = schema.find("required"); it != schema.end() && it->is_array()) {
      for (const auto& name : *it) {
        if (name.is_string() && !value.contains(name.get<std::string>())) {
          errors.push_back(path + ": missing required property '" + name.get<std::string>() + "'");
        }
      }
    }
    const auto additional = schema.find("additionalProperties");
    for (const auto& [key, item] : value.items()) {
      const std::string child = path + "." + key;
      if (auto p = properties.find(key); p != properties.end()) {
        validate(*p, item, child, errors);
      } else if (additional != schema.end() && additional->is_boolean() && !additional->get<bool>()) {
        std::string allowed;
        for (const auto& [name, unused] : properties.items()) { allowed += (allowed.empty() ? "" : ", ") + name; }
        errors.push_back(child + ": unknown property '" + key + "' (allowed: " + (allowed.empty() ? "none" : allowed) +
                         ")");
      } else if (additional != schema.end() && additional->is_object()) {
        validate(*additional, item, child, errors);
      }
    }
  }
}

const std::set<std::string> kSupportedKeywords = {
    "$schema",  "$id",     "title",   "description", "type",      "properties", "required", "additionalProperties",
    "enum",     "minimum", "maximum", "minLength",   "maxLength", "pattern",    "items",    "minItems",
    "maxItems", "default", "examples"};

void check_subset(const json& schema, const std::string& path, std::vector<std::string>& errors) {
  if (!schema.is_object()) {
    errors.push_back(path + ": a schema must be a JSON object");
    return;
  }
  for (const auto& [key, item] : schema.items()) {
    if (!kSupportedKeywords.count(key)) {
      errors.push_back(path + ": keyword '" + key + "' is not in the supported subset (sdk/ABI.md)");
    }
  }
  if (auto it = schema.find("properties"); it != schema.end()) {
    if (!it->is_object()) {
      errors.push_back(path + ".properties: must be an object");
    } else {
      for (const auto& [key, item] : it->items()) check_subset(item, path + ".properties." + key, errors);
    }
  }
  if (auto it = schema.find("items"); it != schema.end()) check_subset(*it, path + ".items", errors);
  if (auto it = schema.find("additionalProperties"); it != schema.end() && it->is_object()) {
    check_subset(*it, path + ".additionalProperties", errors);
  }
}

}  // namespace

std::vector<std::string> validate_against_schema(const json& schema, const json& value, const std::string& root_path) {
  std::vector<std::string> errors;
  validate(schema, value, root_path, errors);
  return errors;
}

std::vector<std::string> check_schema_subset(const json& schema, const std::string& root_path) {
  std::vector<std::string> errors;
  check_subset(schema, root_path, errors);
  return errors;
}

}  // namespace rifa::plugin_runtime
