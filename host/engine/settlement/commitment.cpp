#include "engine/settlement/commitment.hpp"

#include "common/sha256.hpp"

namespace rifa::settlement {

nlohmann::json to_json(const Commitment& c) {
  // nlohmann::json objects are std::map-backed: keys come out sorted, which makes dump() canonical.
  return nlohmann::json{{"rifa_id", c.rifa_id},
                        {"lottery_instance", c.lottery_instance},
                        {"draw_date", c.draw_date},
                        {"reglas", c.reglas},
                        {"total_boletas", c.total_boletas},
                        {"assignment", c.assignment},
                        {"precio_cents", c.precio_cents},
                        {"rake_bp", c.rake_bp},
                        {"loteria_id", c.loteria_id},
                        {"numero_ganadores", c.numero_ganadores},
                        {"seed_sha256", c.seed_sha256.empty() ? nlohmann::json() : nlohmann::json(c.seed_sha256)},
                        {"version", 1}};
}

std::string canonical_text(const Commitment& c) { return to_json(c).dump(); }

std::string commitment_hash(const Commitment& c) { return sha256_hex(canonical_text(c)); }

Result<Commitment> commitment_from_json(const nlohmann::json& j) {
  try {
    if (j.value("version", 0) != 1) return make_error(ErrorCode::kInvalidArgument, "commitment: unknown version");
    Commitment c;
    c.rifa_id = j.at("rifa_id").get<std::string>();
    c.lottery_instance = j.at("lottery_instance").get<std::string>();
    c.draw_date = j.at("draw_date").get<std::string>();
    c.reglas = j.at("reglas");
    c.total_boletas = j.at("total_boletas").get<int>();
    c.assignment = j.at("assignment").get<std::string>();
    c.precio_cents = j.at("precio_cents").get<int64_t>();
    c.rake_bp = j.at("rake_bp").get<int>();
    c.loteria_id = j.at("loteria_id").get<std::string>();
    c.numero_ganadores = j.at("numero_ganadores").get<int>();
    const auto& seed = j.at("seed_sha256");
    c.seed_sha256 = seed.is_null() ? std::string() : seed.get<std::string>();
    return c;
  } catch (const nlohmann::json::exception& e) {
    return make_error(ErrorCode::kInvalidArgument, std::string("commitment: ") + e.what());
  }
}

}  // namespace rifa::settlement
