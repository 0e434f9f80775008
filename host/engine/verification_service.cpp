#include "engine/verification_service.hpp"

namespace rifa::engine {

Result<VerificationData> VerificationService::get(const std::string& rifa_id) {
  auto found = repository_.load(rifa_id);
  if (!found) return found.error();
  if (!*found) return make_error(ErrorCode::kNotFound, "rifa " + rifa_id + " does not exist");
  VerificationData data = std::move(**found);
  if (data.estado == "pendiente" || data.estado == "activa") data.assignment_seed.reset();
  return data;
}

}  // namespace rifa::engine
