#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

// Checks a published verificacion document (GET /rifas/{id}/verificacion) on its own, trusting
// nothing the host computed: the commitment hash is recomputed from the commitment, the seed hash
// from the revealed seed, and the winners from the committed rules, the draw and the sold numbers.
// Pure: no database, no network. docs/VERIFYING.md describes the same steps for outside tools.
namespace rifa::settlement {

struct VerificationCheck {
  std::vector<std::string> passed;       // what was checked and held, one line each
  std::vector<std::string> differences;  // what did not, one line each
  bool settled = false;                  // a draw was published, so the winners were checked

  bool ok() const { return differences.empty(); }
};

VerificationCheck check_verification(const nlohmann::json& document);

}  // namespace rifa::settlement
