#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include "app/admin_wiring.hpp"
#include "app/live_wiring.hpp"
#include "storage/live_outbox_relay.hpp"
#include "app/sales_wiring.hpp"
#include "app/settlement_wiring.hpp"
#include "auth/jwt.hpp"
#include "auth/password_hasher.hpp"
#include "common/result.hpp"
#include "engine/account_service.hpp"
#include "engine/catalog_service.hpp"
#include "engine/clock.hpp"
#include "engine/id_generator.hpp"
#include "engine/login_throttle.hpp"
#include "engine/player_service.hpp"
#include "engine/rifa_service.hpp"
#include "engine/settlement/payout_claim_service.hpp"
#include "engine/settlement/payout_service.hpp"
#include "engine/settlement/prize_delivery_service.hpp"
#include "handlers/common/api_context.hpp"
#include "handlers/common/authenticator.hpp"
#include "handlers/common/hasher_password_policy.hpp"
#include "server/router.hpp"
#include "settings/settings.hpp"
#include "storage/notification_publisher.hpp"
#include "storage/database.hpp"
#include "storage/repositories/sql_categoria_repository.hpp"
#include "storage/repositories/sql_login_attempt_repository.hpp"
#include "storage/repositories/sql_loteria_repository.hpp"
#include "storage/repositories/sql_player_repository.hpp"
#include "storage/repositories/sql_payout_claim_repository.hpp"
#include "storage/repositories/sql_payout_repository.hpp"
#include "storage/repositories/sql_prize_delivery_repository.hpp"
#include "storage/repositories/sql_rifa_repository.hpp"
#include "storage/repositories/sql_user_repository.hpp"

namespace rifa::app {

// Access tokens live one hour; there are no refresh tokens yet, so clients log in again.
inline constexpr int64_t kDefaultTokenTtlS = 3600;

struct ApiWiringOptions {
  std::string jwt_secret;
  std::set<std::string> lottery_instances;  // configured lottery plugin instance ids
  // A serving host: the lottery instances a loteria may name are those `plugins` holds at the time
  // (a config reload adds and removes them), not the fixed `lottery_instances`.
  bool lottery_instances_follow_plugins = false;
  int64_t token_ttl_s = kDefaultTokenTtlS;
  // Tests pass their own clock (token expiry) and a cheap hashing cost; nullptr = the system clock.
  const engine::Clock* clock = nullptr;
  api::PasswordHasher::Cost password_cost = api::PasswordHasher::Cost::kInteractive;
  // The per-user rate limit the Authenticator applies (not owned; nullptr = none).
  api::ClientRateLimits* rate_limits = nullptr;
  // Backoff of failed log-ins per account and per IP (kept in the database, shared by all hosts).
  engine::LoginThrottlePolicy login_throttle;
  // Ticket sales: the loaded plugin instances payments go through (not owned; must outlive the
  // wiring; nullptr = none, purchases then answer 503), the sales settings and the bindings that
  // name each rifa's payment instance.
  const plugin_runtime::PluginRegistry* plugins = nullptr;
  settings::SalesSettings sales;
  settings::Bindings bindings;
  // The serving host's bindings, which a config reload replaces; nullptr = fixed at `bindings`.
  std::shared_ptr<settings::LiveBindings> live_bindings;
  // Retries of the payout and notification jobs settlement enqueues (settings.jobs.max_attempts).
  int job_max_attempts = 8;
  // settings.server.read_cache_ms: how long GET /rifas/{id} may be answered from memory.
  int64_t read_cache_ms = 0;
  // Where settlement counts its outcomes (not owned; nullptr = nowhere).
  MetricsRegistry* metrics = nullptr;
  // settings.server.plugin_calls_per_instance: payment plugin calls in flight per instance
  // (plugin_runtime/call_limiter.hpp); 0 = no bound.
  int plugin_calls_per_instance = 0;
  // settings.tax: the withholding on prizes settlement applies (disabled by default).
  settlement::TaxRules tax;
  // settings.payouts.approval_threshold_cents: cash prizes above it wait for an admin's approval.
  std::optional<int64_t> payout_approval_threshold_cents;
  // settings.datos_personales: the data policy version sign-ups consent to, and the retention.
  engine::DataPolicy data_policy;
  // settings.server.live: the live feed's caps, send queues, keep-alives and replay window.
  api::LiveRouteOptions live;
  size_t live_replay_window = 1024;
};

// The composition root of the REST API: repositories on the Database, the engine services over
// them, the authenticator, and the routes. Owns all of them; must outlive the HttpServer that
// serves the router it registered routes on. Later parts (tickets, payments) add theirs here.
class ApiWiring {
 public:
  ApiWiring(storage::Database& db, ApiWiringOptions options);

  // Options from the settings: secrets.jwt_secret and the lottery instances. Without a
  // jwt_secret a random one is made for this process (tokens then die with it), with a warning.
  static ApiWiringOptions options_from(const settings::Settings& settings);

  // Every route of accounts, users, categorias, loterias and rifas.
  void register_routes(api::Router& router) const;

  engine::AccountService& accounts() { return accounts_; }
  engine::CatalogService& catalog() { return catalog_; }
  engine::RifaService& rifas() { return rifas_; }
  const api::JwtCodec& jwt() const { return jwt_; }
  // Purchases, ticket listings, webhooks; payments() is what the sales jobs run (app/sales_jobs.hpp).
  SalesWiring& sales() { return *sales_; }
  settlement::SettlementService& settlement() { return settlement_->service(); }
  settlement::SettlementRepository& settlement_repository() { return settlement_->repository(); }
  // The one notification publisher (the repositories' events, and the payout jobs').
  const settlement::NotificationPublisher& notifications() const { return notifications_; }
  // The one clock of the process (options.clock, else the system clock): JobWiring runs on it too.
  const engine::Clock& clock() const { return clock_; }
  // The one job queue (the admin API lists it; JobWiring's runner claims from it).
  jobs::JobQueue& job_queue() { return admin_->jobs(); }
  const api::ApiContext& context() const { return context_; }
  // The bindings every purchase, payout and notification reads (JobWiring's jobs too).
  const std::shared_ptr<settings::LiveBindings>& live_bindings() const { return bindings_; }
  // Self-exclusion, limits, export, erasure and the retention job (issue 15).
  engine::PlayerService& players() { return players_; }

 private:
  engine::SystemClock system_clock_;
  const engine::Clock& clock_;
  engine::RandomIdGenerator ids_;
  api::HasherPasswordPolicy passwords_;
  api::JwtCodec jwt_;
  storage::SqlUserRepository users_repo_;
  storage::SqlCategoriaRepository categorias_repo_;
  storage::SqlLoteriaRepository loterias_repo_;
  storage::SqlRifaRepository rifas_repo_;
  storage::SqlLoginAttemptRepository login_attempts_repo_;
  engine::LoginThrottle login_throttle_;
  engine::AccountService accounts_;
  engine::CatalogService catalog_;
  engine::RifaService rifas_;
  api::Authenticator authenticator_;
  // One holder for the whole host: the publisher, settlement and sales all read it.
  std::shared_ptr<settings::LiveBindings> bindings_;
  // rifa_opened and ticket_sold become notify.deliver jobs inside the transaction that activates
  // the rifa / confirms the payment (the repositories' DomainEventSink).
  settlement::NotificationPublisher notifications_;
  // Audit log, the job queue, reports, verificacion.
  std::unique_ptr<AdminWiring> admin_;
  // Bounds payment plugin calls in flight per instance; outlives sales_, which uses it.
  std::unique_ptr<plugin_runtime::CallLimiter> plugin_calls_;
  // Closing, recalculating and results of rifas.
  std::unique_ptr<SettlementWiring> settlement_;
  std::unique_ptr<SalesWiring> sales_;
  storage::SqlPrizeDeliveryRepository prize_delivery_repo_;
  settlement::PrizeDeliveryService prize_deliveries_;  // in-kind prizes delivered
  storage::SqlPayoutClaimRepository payout_claims_repo_;
  settlement::PayoutClaimService payout_claims_;  // payout accounts, approvals, manual payments
  // An unanswered payout attempt verified by an admin: the payment plugin asked again (the job
  // runs the same service over the same tables).
  storage::SqlPayoutRepository payout_rows_;
  settlement::PayoutService payouts_;
  storage::SqlPlayerRepository players_repo_;
  engine::PlayerService players_;  // self-exclusion, limits, habeas data (issue 15)
  // Built last, once, from the services above: the handlers' view of them.
  api::ApiContext context_;
  // GET /rifas/{id}/live (made in the constructor's body; stopped first on destruction).
  std::unique_ptr<LiveWiring> live_;
  // PostgreSQL: sends what the writers left in live_outbox to every LISTENing host (migration 0025).
  std::unique_ptr<storage::LiveOutboxRelay> live_relay_;

 public:
  LiveWiring& live() { return *live_; }
};

}  // namespace rifa::app
