#pragma once

#include <cstdint>

#include "auth/jwt.hpp"
#include "engine/account_service.hpp"
#include "engine/catalog_service.hpp"
#include "engine/clock.hpp"
#include "engine/rifa_service.hpp"
#include "handlers/common/authenticator.hpp"

namespace rifa::api {

// What the resource handlers need, built once by the composition root (host/app/api_wiring) and
// outliving the HTTP server. Later handlers (tickets, payments) get their services added here.
struct ApiContext {
  engine::AccountService& accounts;
  engine::CatalogService& catalog;
  engine::RifaService& rifas;
  const Authenticator& authenticator;
  const JwtCodec& jwt;
  const engine::Clock& clock;
  int64_t token_ttl_s;
};

inline constexpr const char* kApiPrefix = "/api/v1";

}  // namespace rifa::api
