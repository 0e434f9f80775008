#include "app/api_wiring.hpp"

#include <array>

#include <openssl/rand.h>
#include <spdlog/spdlog.h>

#include "handlers/auth_handlers.hpp"
#include "handlers/categoria_handlers.hpp"
#include "handlers/loteria_handlers.hpp"
#include "handlers/payout_handlers.hpp"
#include "handlers/player_handlers.hpp"
#include "handlers/rifa_handlers.hpp"
#include "handlers/settlement_handlers.hpp"
#include "handlers/ticket_handlers.hpp"
#include "handlers/user_handlers.hpp"
#include "handlers/webhook_handlers.hpp"

namespace rifa::app {
namespace {

std::string random_secret() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("RAND_bytes failed: cannot make a JWT secret");
  }
  return api::base64url_encode(std::string(bytes.begin(), bytes.end()));
}

engine::CatalogService::LotteryInstances loaded_lottery_instances(const plugin_runtime::PluginRegistry* registry) {
  return [registry] {
    std::set<std::string> ids;
    for (const auto& p : registry->list()) {
      if (p->kind() == RIFA_KIND_LOTTERY) ids.insert(p->id());
    }
    return ids;
  };
}

}  // namespace

ApiWiring::ApiWiring(storage::Database& db, ApiWiringOptions options)
    : clock_(options.clock ? *options.clock : system_clock_),
      passwords_(options.password_cost),
      jwt_(options.jwt_secret),
      users_repo_(db, clock_),
      categorias_repo_(db, clock_),
      loterias_repo_(db, clock_),
      rifas_repo_(db, clock_),
      login_attempts_repo_(db),
      login_throttle_(login_attempts_repo_, clock_, options.login_throttle),
      accounts_(users_repo_, passwords_, clock_, ids_, &login_throttle_),
      catalog_(categorias_repo_, loterias_repo_, ids_, std::move(options.lottery_instances)),
      rifas_(rifas_repo_, categorias_repo_, loterias_repo_, clock_, ids_),
      authenticator_(jwt_, clock_, accounts_, options.rate_limits),
      bindings_(options.live_bindings ? options.live_bindings
                                      : std::make_shared<settings::LiveBindings>(options.bindings)),
      notifications_(settings::notifier_resolver(bindings_), options.job_max_attempts),
      admin_(std::make_unique<AdminWiring>(db, clock_)),
      settlement_(std::make_unique<SettlementWiring>(db, options.plugins, bindings_, clock_, options.job_max_attempts,
                                                     options.metrics, options.tax)),
      sales_(std::make_unique<SalesWiring>(db, rifas_repo_, options.plugins, options.sales, bindings_, clock_, ids_)),
      prize_delivery_repo_(db, options.tax),
      prize_deliveries_(prize_delivery_repo_, clock_),
      payout_claims_repo_(db, notifications_),
      payout_claims_(payout_claims_repo_, clock_, options.payout_approval_threshold_cents, options.job_max_attempts,
                     options.tax),
      payout_rows_(db, notifications_),
      payouts_(payout_rows_, sales_->gateway(), clock_, options.tax, options.payout_approval_threshold_cents),
      players_repo_(db, clock_),
      players_(players_repo_, clock_, ids_, options.data_policy),
      context_{.accounts = accounts_,
               .catalog = catalog_,
               .rifas = rifas_,
               .authenticator = authenticator_,
               .jwt = jwt_,
               .clock = clock_,
               .token_ttl_s = options.token_ttl_s,
               .audit_log = admin_->audit_log(),
               .reports = admin_->reports(),
               .verification = admin_->verification(),
               .jobs = admin_->jobs(),
               .purchases = sales_->purchases(),
               .tickets = sales_->tickets(),
               .payments = sales_->payments(),
               .prize_deliveries = prize_deliveries_,
               .payout_claims = payout_claims_,
               .payouts = payouts_,
               .settlement = settlement_->service(),
               .players = players_} {
  accounts_.set_data_policy_version(options.data_policy.version);
  if (options.lottery_instances_follow_plugins && options.plugins) {
    catalog_.follow_lottery_instances(loaded_lottery_instances(options.plugins));
  }
  // Accounts written before migration 0009 (or by hand) get the skeleton the look-alike check needs.
  if (auto unresolved = accounts_.backfill_email_skeletons(); !unresolved) {
    spdlog::warn("could not compute the email skeletons of existing accounts: {}", unresolved.error().message);
  } else if (*unresolved > 0) {
    spdlog::warn(
        "{} existing account(s) have an email that looks like another account's: look-alike sign-ups of "
        "them are not refused until an admin resolves it",
        *unresolved);
  }
  const storage::DomainEventSink notify = [this](soci::session& sql, const storage::DomainEvent& e) {
    notifications_.publish(sql, settlement::NotificationEvent{e.type, e.rifa_id, e.entity_id, e.data, e.occurred_at});
  };
  rifas_repo_.set_event_sink(notify);
  rifas_.enable_read_cache(std::chrono::milliseconds(options.read_cache_ms), [&db] { return db.write_generation(); });
  rifas_.set_draw_calendar(settlement_->calendar());
  // Activation freezes the payment instance the bindings give the rifa then (a reload cannot move it).
  if (options.plugins) {
    rifas_.set_payment_binding([this](const std::string& rifa_id, const std::string& categoria) {
      return sales_->gateway().instance_for(rifa_id, categoria);
    });
  }
  // A sale's ticket_sold events arrive together, with the categoria the purchase already read:
  // one lookup of the bindings and one multi-row insert of their jobs.
  sales_->set_event_sink([this](soci::session& sql, const std::vector<storage::DomainEvent>& events,
                                const std::optional<std::string>& categoria) {
    std::vector<settlement::NotificationEvent> batch;
    for (const auto& e : events) batch.push_back({e.type, e.rifa_id, e.entity_id, e.data, e.occurred_at});
    notifications_.publish(sql, batch, categoria);
  });
  live_ = std::make_unique<LiveWiring>(db, authenticator_, options.live,
                                       engine::live::LiveFeedOptions{.replay_window = options.live_replay_window});
  live_relay_ = std::make_unique<storage::LiveOutboxRelay>(
      db, storage::LiveOutboxRelay::Options{.on_error = [](const std::string& e) {
        spdlog::error("live feed: relaying live_outbox failed: {}", e);
      }});
  live_relay_->start();
  if (options.plugin_calls_per_instance > 0) {
    plugin_calls_ =
        std::make_unique<plugin_runtime::CallLimiter>(static_cast<size_t>(options.plugin_calls_per_instance));
    sales_->gateway().set_call_limiter(plugin_calls_.get());
  }
}

ApiWiringOptions ApiWiring::options_from(const settings::Settings& settings) {
  ApiWiringOptions options;
  if (auto it = settings.secrets.find("jwt_secret"); it != settings.secrets.end() && !it->second.empty()) {
    // Its strength is checked before serving (app/secret_policy.hpp).
    options.jwt_secret = it->second;
  } else {
    spdlog::warn(
        "secrets.jwt_secret is not set: using a random secret for this process; tokens stop working "
        "when it restarts");
    options.jwt_secret = random_secret();
  }
  for (const auto& instance : settings.plugins.instances) {
    if (instance.kind == settings::PluginKind::kLottery) options.lottery_instances.insert(instance.id);
  }
  options.sales = settings.sales;
  options.read_cache_ms = settings.server.read_cache_ms;
  options.plugin_calls_per_instance = settings.server.plugin_calls_per_instance;
  const auto& live = settings.server.live;
  options.live.max_subscribers = live.max_subscribers;
  options.live.max_subscribers_per_ip = live.max_subscribers_per_ip;
  options.live.stream.max_queued_frames = live.send_queue_frames;
  options.live.stream.max_queued_bytes = live.send_queue_bytes;
  options.live.stream.ping_interval_s = live.ping_interval_s;
  options.live_replay_window = live.replay_window;
  options.bindings = settings.bindings;
  options.job_max_attempts = settings.jobs.max_attempts;
  options.tax = settings.tax;
  options.payout_approval_threshold_cents = settings.payouts.approval_threshold_cents;
  options.data_policy.version = settings.datos_personales.politica_version;
  options.data_policy.retention_days = settings.datos_personales.retencion_inactivos_dias;
  return options;
}

void ApiWiring::register_routes(api::Router& router) const {
  api::register_auth_routes(router, context_);
  api::register_user_routes(router, context_);
  api::register_categoria_routes(router, context_);
  api::register_loteria_routes(router, context_);
  api::register_rifa_routes(router, context_);
  api::register_ticket_routes(router, context_);
  api::register_webhook_routes(router, context_);
  api::register_payout_routes(router, context_);
  api::register_settlement_routes(router, context_);
  api::register_player_routes(router, context_);
  AdminWiring::register_routes(router, context_);
  live_->register_routes(router);
}

}  // namespace rifa::app
