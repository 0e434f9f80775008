#pragma once

#include <cstdint>

#include "auth/jwt.hpp"
#include "engine/account_service.hpp"
#include "engine/catalog_service.hpp"
#include "engine/clock.hpp"
#include "engine/rifa_service.hpp"
#include "handlers/common/authenticator.hpp"

// Declared only: ApiContext holds references to them.
namespace rifa::engine {
class AuditLogService;
class PaymentService;
class PlayerService;
class PurchaseService;
class TicketService;
class ReportService;
class VerificationService;
}  // namespace rifa::engine
namespace rifa::jobs {
class JobQueue;
}  // namespace rifa::jobs
namespace rifa::settlement {
class PayoutClaimService;
class PayoutService;
class PrizeDeliveryService;
class SettlementService;
}  // namespace rifa::settlement

namespace rifa::api {

// What the resource handlers need, built once by the composition root (host/app/api_wiring), every
// member at once, and outliving the HTTP server. A new service for the handlers is added here as a
// reference: nothing is optional, so no handler checks for a missing one.
struct ApiContext {
  engine::AccountService& accounts;
  engine::CatalogService& catalog;
  engine::RifaService& rifas;
  const Authenticator& authenticator;
  const JwtCodec& jwt;
  const engine::Clock& clock;
  int64_t token_ttl_s;
  engine::AuditLogService& audit_log;                  // admin reads of the audit log and its chain
  engine::ReportService& reports;                      // ingresos and participacion
  engine::VerificationService& verification;           // the public verificacion document
  jobs::JobQueue& jobs;                                // GET/POST /admin/jobs
  engine::PurchaseService& purchases;                  // ticket purchase
  engine::TicketService& tickets;                      // ticket listings
  engine::PaymentService& payments;                    // payment webhooks
  settlement::PrizeDeliveryService& prize_deliveries;  // prizes in kind marked delivered
  settlement::PayoutClaimService& payout_claims;       // payout accounts, approvals and manual payments
  settlement::PayoutService& payouts;                  // an unanswered payout attempt asked again
  settlement::SettlementService& settlement;           // closing, recalculating and the results of rifas
  engine::PlayerService& players;                      // self-exclusion, spending limits, export and erasure (issue 15)
};

inline constexpr const char* kApiPrefix = "/api/v1";

}  // namespace rifa::api
