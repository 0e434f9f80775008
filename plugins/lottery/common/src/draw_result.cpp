#include "rifa/lottery/draw_result.hpp"

namespace rifa::lottery {

nlohmann::json to_json(const DrawResult& draw) {
  nlohmann::json out = {{"date", draw.date},
                        {"draw_number", draw.draw_number},
                        {"numbers", draw.numbers},
                        {"source_url", draw.source_url},
                        {"raw_sha256", draw.raw_sha256}};
  if (draw.series) out["series"] = *draw.series;
  if (!draw.extra.empty()) out["extra"] = draw.extra;
  if (!draw.secondary.empty()) {
    nlohmann::json secos = nlohmann::json::array();
    for (const auto& prize : draw.secondary) {
      secos.push_back({{"name", prize.name},
                       {"number", prize.number},
                       {"series", prize.series},
                       {"prize_cents", prize.prize_cents}});
    }
    out["secondary"] = std::move(secos);
  }
  return out;
}

std::optional<DrawResult> draw_result_from_json(const nlohmann::json& json) {
  if (!json.is_object()) return std::nullopt;
  const auto text = [&](const nlohmann::json& obj, const char* key) -> const std::string* {
    auto it = obj.find(key);
    if (it == obj.end() || !it->is_string()) return nullptr;
    return it->get_ptr<const std::string*>();
  };
  DrawResult draw;
  const std::string* date = text(json, "date");
  const std::string* number = text(json, "draw_number");
  const std::string* url = text(json, "source_url");
  const std::string* sha = text(json, "raw_sha256");
  auto numbers = json.find("numbers");
  if (!date || !number || !url || !sha || numbers == json.end() || !numbers->is_array()) { return std::nullopt; }
  draw.date = *date;
  draw.draw_number = *number;
  draw.source_url = *url;
  draw.raw_sha256 = *sha;
  for (const auto& item : *numbers) {
    if (!item.is_string()) return std::nullopt;
    draw.numbers.push_back(item.get<std::string>());
  }
  if (json.contains("series")) {
    const std::string* series = text(json, "series");
    if (!series) return std::nullopt;
    draw.series = *series;
  }
  if (auto extra = json.find("extra"); extra != json.end()) {
    if (!extra->is_object()) return std::nullopt;
    for (const auto& [key, value] : extra->items()) {
      if (!value.is_string()) return std::nullopt;
      draw.extra[key] = value.get<std::string>();
    }
  }
  if (auto secos = json.find("secondary"); secos != json.end()) {
    if (!secos->is_array()) return std::nullopt;
    for (const auto& item : *secos) {
      if (!item.is_object()) return std::nullopt;
      const std::string* name = text(item, "name");
      const std::string* seco_number = text(item, "number");
      const std::string* series = text(item, "series");
      auto cents = item.find("prize_cents");
      if (!name || !seco_number || !series || cents == item.end() || !cents->is_number_integer()) {
        return std::nullopt;
      }
      draw.secondary.push_back({*name, *seco_number, *series, cents->get<std::int64_t>()});
    }
  }
  return draw;
}

}  // namespace rifa::lottery
