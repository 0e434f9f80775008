#pragma once

#include <cstdint>

#include "auth/jwt.hpp"
#include "engine/account_service.hpp"
#include "engine/catalog_service.hpp"
#include "engine/clock.hpp"
#include "engine/rifa_service.hpp"
#include "handlers/common/authenticator.hpp"

// Declared only: ApiContext holds pointers to them (see below).
namespace rifa::engine {
class AuditLogService;
class PaymentService;
class PurchaseService;
class TicketService;
class ReportService;
class VerificationService;
}  // namespace rifa::engine
namespace rifa::jobs {
class JobQueue;
}  // namespace rifa::jobs
namespace rifa::settlement {
class PrizeDeliveryService;
class SettlementService;
}  // namespace rifa::settlement

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
  // Admin reads and the public verificacion. Pointers, so tests may leave out what they do not
  // serve; ApiWiring fills every member at once (designated initialisers), none null.
  engine::AuditLogService* audit_log = nullptr;
  engine::ReportService* reports = nullptr;
  engine::VerificationService* verification = nullptr;
  jobs::JobQueue* jobs = nullptr;
  // Ticket purchase, listings and payment webhooks (set by ApiWiring like the ones above).
  engine::PurchaseService* purchases = nullptr;
  engine::TicketService* tickets = nullptr;
  engine::PaymentService* payments = nullptr;
  // Prizes in kind marked delivered (set by ApiWiring like the ones above).
  settlement::PrizeDeliveryService* prize_deliveries = nullptr;
  // Closing, recalculating and the results of rifas (set by ApiWiring like the ones above).
  settlement::SettlementService* settlement = nullptr;
};

inline constexpr const char* kApiPrefix = "/api/v1";

}  // namespace rifa::api
