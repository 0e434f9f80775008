#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace rifa::lottery {

/// One secondary prize ("seco") of a draw.
struct SecondaryPrize {
  std::string name;              ///< the prize label as printed ("PREMIO SECO $10 MILLONES")
  std::string number;            ///< digit string, leading zeros kept ("0042")
  std::string series;            ///< digit string, leading zeros kept ("007"); may be empty
  std::int64_t prize_cents = 0;  ///< 0 when the page does not say

  bool operator==(const SecondaryPrize&) const = default;
};

/// A draw result, field for field the JSON documented at rifa_lottery_vtable in
/// sdk/include/rifa/sdk/abi.h.
struct DrawResult {
  std::string date;                          ///< "YYYY-MM-DD", America/Bogota
  std::string draw_number;                   ///< the sorteo, digits as text
  std::vector<std::string> numbers;          ///< main numbers as digit strings
  std::optional<std::string> series;         ///< digit string when the lottery has series
  std::map<std::string, std::string> extra;  ///< e.g. {"superbalota": "05"}
  std::vector<SecondaryPrize> secondary;
  std::string source_url;
  std::string raw_sha256;  ///< lower-case hex SHA-256 of the raw body

  bool operator==(const DrawResult&) const = default;
};

/// The documented JSON shape; "series", "extra" and "secondary" are left out when empty.
nlohmann::json to_json(const DrawResult& draw);

/// Reads the documented JSON shape back; nullopt when a required field is missing or mistyped.
std::optional<DrawResult> draw_result_from_json(const nlohmann::json& json);

}  // namespace rifa::lottery
