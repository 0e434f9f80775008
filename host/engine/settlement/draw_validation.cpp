#include "engine/settlement/draw_validation.hpp"

#include <algorithm>
#include <cctype>

namespace rifa::settlement {
namespace {

using nlohmann::json;

Error rejected(const std::string& why) { return make_error(ErrorCode::kValidation, why); }

bool digits_only(const std::string& s, size_t max_len = 18) {
  return !s.empty() && s.size() <= max_len &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

bool lower_hex64(const std::string& s) {
  return s.size() == 64 &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::optional<int> meta_width(const json& meta, const char* key) {
  if (!meta.is_object() || !meta.contains(key) || !meta[key].is_number_integer()) return std::nullopt;
  return meta[key].get<int>();
}

const char* field_name(MatchField f) {
  switch (f) {
    case MatchField::kNumero: return "numero";
    case MatchField::kSerie: return "serie";
    case MatchField::kBalota: return "balota";
    case MatchField::kSuperbalota: return "superbalota";
  }
  return "?";
}

}  // namespace

Result<ValidDraw> validate_draw(const std::string& body, const std::string& expected_date, const json& meta,
                                const PrizeRules& rules) {
  ValidDraw out;
  out.result = json::parse(body, nullptr, false);
  const json& r = out.result;
  if (r.is_discarded() || !r.is_object()) return rejected("the answer is not a JSON object");
  if (!r.contains("date") || !r["date"].is_string()) return rejected("date: missing");
  out.date = r["date"].get<std::string>();
  if (out.date != expected_date) return rejected("date: the draw is for " + out.date + ", not " + expected_date);

  if (!r.contains("numbers") || !r["numbers"].is_array() || r["numbers"].empty()) {
    return rejected("numbers: must be a non-empty array of digit strings");
  }
  for (const auto& n : r["numbers"]) {
    if (!n.is_string() || !digits_only(n.get<std::string>()))
      return rejected("numbers: " + n.dump() + " is not a digit string");
  }
  if (auto width = meta_width(meta, "cifras")) {
    for (const auto& n : r["numbers"]) {
      if (static_cast<int>(n.get<std::string>().size()) != *width) {
        return rejected("numbers: " + n.dump() + " is outside the lottery's range (" + std::to_string(*width) +
                        " digits)");
      }
    }
  }
  if (r.contains("series")) {
    if (!r["series"].is_string() || !digits_only(r["series"].get<std::string>())) {
      return rejected("series: " + r["series"].dump() + " is not a digit string");
    }
    if (auto width = meta_width(meta, "series");
        width && *width > 0 && static_cast<int>(r["series"].get<std::string>().size()) != *width) {
      return rejected("series: " + r["series"].dump() + " is outside the lottery's range (" + std::to_string(*width) +
                      " digits)");
    }
  }
  if (r.contains("extra")) {
    if (!r["extra"].is_object()) return rejected("extra: must be an object");
    for (const auto& [k, v] : r["extra"].items()) {
      if (!v.is_string() || !digits_only(v.get<std::string>()))
        return rejected("extra." + k + ": is not a digit string");
    }
  }
  if (r.contains("draw_number")) {
    const auto& dn = r["draw_number"];
    if (!dn.is_string() || !digits_only(dn.get<std::string>(), 9))
      return rejected("draw_number: " + dn.dump() + " is not a number");
    out.draw_number = std::stoll(dn.get<std::string>());
  }
  if (r.contains("raw_sha256")) {
    if (!r["raw_sha256"].is_string() || !lower_hex64(r["raw_sha256"].get<std::string>())) {
      return rejected("raw_sha256: must be 64 lower-case hex digits");
    }
    out.raw_sha256 = r["raw_sha256"].get<std::string>();
  }
  if (r.contains("source_url")) {
    if (!r["source_url"].is_string() || r["source_url"].get<std::string>().size() > 2000) {
      return rejected("source_url: must be a string");
    }
    out.source_url = r["source_url"].get<std::string>();
  }

  auto numbers = draw_numbers_from_json(r);
  if (!numbers) return rejected(numbers.error().message);
  out.numbers = std::move(*numbers);
  for (size_t i = 0; i < rules.tiers.size(); ++i) {
    const Tier& t = rules.tiers[i];
    std::string value;
    switch (t.field) {
      case MatchField::kNumero: value = out.numbers.numbers.front(); break;
      case MatchField::kSerie: value = out.numbers.series; break;
      case MatchField::kBalota:
        if (t.index < static_cast<int>(out.numbers.numbers.size()))
          value = out.numbers.numbers[static_cast<size_t>(t.index)];
        break;
      case MatchField::kSuperbalota:
        if (auto it = out.numbers.extra.find("superbalota"); it != out.numbers.extra.end()) value = it->second;
        break;
    }
    if (value.empty() || (t.digits != DigitSelection::kExact && static_cast<int>(value.size()) < t.count)) {
      return rejected(std::string("the draw has no ") + field_name(t.field) + " usable by reglas.tiers[" +
                      std::to_string(i) + "]");
    }
  }
  return out;
}

}  // namespace rifa::settlement
