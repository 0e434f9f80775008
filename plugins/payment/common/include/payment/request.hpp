#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "rifa/sdk/plugin.hpp"

// The host's requests to a payment plugin (sdk/ABI.md, "Payment") as every payment plugin reads
// them: JSON objects whose bad members are refused with RIFA_ERR_INVALID_ARGUMENT naming the call
// and the member, and the "Name: value" header block a webhook arrives with.
namespace rifa::plugins::payment {

// The request text as a JSON object; a parse error says where the text broke.
inline nlohmann::json parse_request(const std::string& text, const char* operation) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw sdk::Error(RIFA_ERR_INVALID_ARGUMENT,
                     std::string(operation) + ": the request is not valid JSON (" + e.what() + ")");
  }
  if (!doc.is_object()) {
    throw sdk::Error(RIFA_ERR_INVALID_ARGUMENT, std::string(operation) + ": the request must be a JSON object");
  }
  return doc;
}

// amount_cents: a positive integer.
inline int64_t require_amount(const nlohmann::json& request, const char* operation) {
  auto it = request.find("amount_cents");
  if (it == request.end() || !it->is_number_integer() || it->get<int64_t>() <= 0) {
    throw sdk::Error(RIFA_ERR_INVALID_ARGUMENT, std::string(operation) + ": amount_cents must be a positive integer");
  }
  return it->get<int64_t>();
}

inline std::string require_string(const nlohmann::json& request, const char* field, const char* operation) {
  auto it = request.find(field);
  if (it == request.end() || !it->is_string() || it->get<std::string>().empty()) {
    throw sdk::Error(RIFA_ERR_INVALID_ARGUMENT, std::string(operation) + ": " + field + " must be a non-empty string");
  }
  return it->get<std::string>();
}

// currency: an ISO 4217 code (three capital letters).
inline std::string require_currency(const nlohmann::json& request, const char* operation) {
  const std::string currency = require_string(request, "currency", operation);
  bool valid = currency.size() == 3;
  for (char c : currency) valid = valid && c >= 'A' && c <= 'Z';
  if (!valid) {
    throw sdk::Error(RIFA_ERR_INVALID_ARGUMENT,
                     std::string(operation) + ": currency must be an ISO 4217 code like COP, got '" + currency + "'");
  }
  return currency;
}

// RFC 3986 percent-encoding: everything but the unreserved characters (A-Z a-z 0-9 - _ . ~), for
// URL path segments, query values and application/x-www-form-urlencoded bodies alike.
inline std::string percent_encode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
  return out;
}

// ASCII lower case (header names, provider words).
inline std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return text;
}

// The value of header `name` (lower case) in a "Name: value\n" block, trimmed; empty when absent.
inline std::string find_header(const std::string& headers, const std::string& name) {
  size_t start = 0;
  while (start < headers.size()) {
    size_t end = headers.find('\n', start);
    if (end == std::string::npos) end = headers.size();
    const std::string line = headers.substr(start, end - start);
    const size_t colon = line.find(':');
    if (colon != std::string::npos && lower(line.substr(0, colon)) == name) {
      std::string value = line.substr(colon + 1);
      const size_t first = value.find_first_not_of(" \t");
      const size_t last = value.find_last_not_of(" \t\r");
      return first == std::string::npos ? "" : value.substr(first, last - first + 1);
    }
    start = end + 1;
  }
  return "";
}

}  // namespace rifa::plugins::payment
