#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "engine/settlement/prize_rules.hpp"

namespace rifa::settlement {

// A lottery answer that passed validation: the parsed JSON and what settlement stores with it.
struct ValidDraw {
  nlohmann::json result;
  DrawNumbers numbers;
  std::string date;
  std::optional<int64_t> draw_number;
  std::optional<std::string> source_url;
  std::optional<std::string> raw_sha256;
};

// Checks a lottery plugin's answer before it may decide any winner (kValidation, saying why):
// it is the documented JSON shape (sdk/ABI.md); its date is the date asked for; every number,
// series and extra value is a digit string; the main numbers and series have the widths the
// loteria's meta declares ({"cifras": 4, "series": 3}, when present); raw_sha256 is 64 hex digits;
// and the draw has every field the rifa's prize rules read. A draw failing any of these is never
// used: it is recorded as rejected and asked for again later.
Result<ValidDraw> validate_draw(const std::string& body, const std::string& expected_date,
                                const nlohmann::json& loteria_meta, const PrizeRules& rules);

}  // namespace rifa::settlement
