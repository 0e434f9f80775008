#pragma once

#include "common/result.hpp"
#include "engine/verification.hpp"

namespace rifa::engine {

// GET /rifas/{id}/verificacion: public, no account needed; it shows no buyer data.
class VerificationService {
 public:
  explicit VerificationService(VerificationRepository& repository) : repository_(repository) {}

  // kNotFound for an unknown rifa. The random-assignment seed is withheld while sales can still
  // happen (pendiente, activa): knowing it would tell a buyer which numbers come next.
  Result<VerificationData> get(const std::string& rifa_id);

 private:
  VerificationRepository& repository_;
};

}  // namespace rifa::engine
