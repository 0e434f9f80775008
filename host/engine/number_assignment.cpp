#include "engine/number_assignment.hpp"

#include <numeric>

#include "common/sha256.hpp"

namespace rifa::engine {

NumberAssignment number_assignment(std::string_view assignment, const std::string& seed, int64_t total) {
  NumberAssignment out;
  if (assignment != "random" || total <= 1) return out;
  const std::string h = sha256_hex("rifa1122-assignment:" + seed);
  const auto n = static_cast<uint64_t>(total);
  out.random = true;
  out.n = n;
  out.shift = std::stoull(h.substr(0, 12), nullptr, 16) % n;
  uint64_t mult = std::stoull(h.substr(12, 12), nullptr, 16) % n;
  if (mult == 0) mult = 1;
  while (std::gcd(mult, n) != 1) mult = mult % (n - 1) + 1;
  out.mult = mult;
  return out;
}

}  // namespace rifa::engine
