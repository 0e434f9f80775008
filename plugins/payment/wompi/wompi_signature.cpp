#include "wompi_signature.hpp"

#include "rifa/sdk/error.hpp"
#include "rifa/sdk/sha256.hpp"

namespace rifa::plugins::wompi {
namespace {

[[noreturn]] void refuse(const std::string& message) { throw sdk::Error(RIFA_ERR_SIGNATURE, message); }

std::string value_text(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "";
  return value.dump();
}

}  // namespace

std::string integrity_signature(const std::string& reference, int64_t amount_in_cents, const std::string& currency,
                                const std::string& integrity_secret) {
  return sdk::sha256_hex(reference + std::to_string(amount_in_cents) + currency + integrity_secret);
}

std::string event_checksum_input(const nlohmann::json& event, const std::string& secret) {
  if (!event.is_object() || !event.contains("signature") || !event["signature"].is_object() ||
      !event["signature"].contains("properties") || !event["signature"]["properties"].is_array() ||
      event["signature"]["properties"].empty()) {
    refuse("the event has no signature.properties");
  }
  if (!event.contains("data") || !event["data"].is_object()) refuse("the event has no data object");
  if (!event.contains("timestamp") || !event["timestamp"].is_number_integer())
    refuse("the event has no integer timestamp");
  std::string input;
  for (const auto& property : event["signature"]["properties"]) {
    if (!property.is_string()) refuse("signature.properties holds a non-string");
    const std::string path = property.get<std::string>();
    const nlohmann::json* node = &event["data"];
    size_t start = 0;
    while (start <= path.size()) {
      size_t dot = path.find('.', start);
      if (dot == std::string::npos) dot = path.size();
      const std::string key = path.substr(start, dot - start);
      if (!node->is_object() || !node->contains(key))
        refuse("signature.properties names '" + path + "', absent from data");
      node = &(*node)[key];
      start = dot + 1;
    }
    input += value_text(*node);
  }
  return input + std::to_string(event["timestamp"].get<int64_t>()) + secret;
}

void verify_event_checksum(const nlohmann::json& event, const std::string& checksum, const std::string& secret) {
  const std::string expected = sdk::sha256_hex(event_checksum_input(event, secret));
  if (checksum.size() != expected.size()) refuse("the event checksum is not 64 hex digits");
  unsigned char differ = 0;  // constant time over the whole length
  for (size_t i = 0; i < expected.size(); ++i) {
    char c = checksum[i];
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    differ |= static_cast<unsigned char>(c ^ expected[i]);
  }
  if (differ != 0) refuse("the event checksum does not match its properties, timestamp and the events secret");
}

}  // namespace rifa::plugins::wompi
