#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace rifa::engine {

// The order free numbers of a rifa are handed out in (docs/VERIFYING.md, "Seed").
//
// Sequential: lowest numero first. Random: ascending ((numero + shift) × mult) mod n, a
// permutation of 0..n-1 drawn from the rifa's assignment seed: h = SHA-256 hex of
// "rifa1122-assignment:" + seed, shift = first 12 hex digits of h mod n, mult = next 12 mod n
// (0 becomes 1; while gcd(mult, n) ≠ 1, mult = mult mod (n − 1) + 1). mult coprime to n makes it a
// bijection, the same on both backends, with no stored shuffle. The seed is frozen (as its hash)
// in the commitment at activation, secret while tickets sell so nobody can aim at a number, and
// revealed after sales so anyone can recompute who got what. Ties (none, it is a bijection) go to
// the lower numero.
struct NumberAssignment {
  bool random = false;
  uint64_t shift = 0;
  uint64_t mult = 1;
  uint64_t n = 0;

  // A numero's place in the order (0 = handed out first). Sequential: the numero itself.
  uint64_t position(uint64_t numero) const { return random ? ((numero + shift) * mult) % n : numero; }
};

// `assignment` is the rifa's assignment column ("sequential" or "random"), `total` its
// total_boletas. Anything but "random" with more than one number is sequential.
NumberAssignment number_assignment(std::string_view assignment, const std::string& seed, int64_t total);

}  // namespace rifa::engine
