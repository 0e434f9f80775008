#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

// A rifa's commitment: everything that decides its winners, frozen when it becomes activa and
// published with a hash, so anyone can later check that nothing was changed after sales opened
// and recompute the winners from the published draw.
namespace rifa::settlement {

struct Commitment {
  std::string rifa_id;
  std::string lottery_instance;  // the plugin instance whose draw decides
  std::string draw_date;         // YYYY-MM-DD, America/Bogota
  nlohmann::json reglas;
  int total_boletas = 0;
  std::string assignment;  // sequential | random
  int64_t precio_cents = 0;
  int rake_bp = 0;
  std::string loteria_id;  // the rifa's loteria row (lottery_instance is its plugin instance)
  int numero_ganadores = 0;
  // For random assignment: lower-case hex SHA-256 of the seed that hands out numbers, committed
  // before any sale and revealed once sales end. Empty (JSON null) for sequential assignment.
  std::string seed_sha256;
};

// The canonical text that is hashed: compact JSON with keys in byte order, no insignificant
// whitespace, integers as integers. Documented in docs so an outside verifier can rebuild it.
std::string canonical_text(const Commitment& c);
// Lower-case hex SHA-256 of canonical_text.
std::string commitment_hash(const Commitment& c);
Result<Commitment> commitment_from_json(const nlohmann::json& j);
nlohmann::json to_json(const Commitment& c);

}  // namespace rifa::settlement
