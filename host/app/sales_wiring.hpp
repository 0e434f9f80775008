#pragma once

#include "engine/clock.hpp"
#include "engine/id_generator.hpp"
#include "engine/payment_service.hpp"
#include "engine/purchase_service.hpp"
#include "engine/ticket_service.hpp"
#include "handlers/common/api_context.hpp"
#include "plugin_runtime/plugin_payment_gateway.hpp"
#include "settings/settings.hpp"
#include "storage/database.hpp"
#include "storage/repositories/sql_rifa_repository.hpp"
#include "storage/repositories/sql_sales_repository.hpp"

namespace rifa::app {

// Ticket sales and payments: the sales repository, the payment gateway over the plugin registry
// and the YAML bindings, and the purchase, ticket and payment services. Part of ApiWiring; the
// payment service is also what the "sales.expire_holds" / "payments.reconcile" jobs run
// (app/sales_jobs.hpp). `registry` may be null: purchases then fail with 503 and release.
class SalesWiring {
 public:
  SalesWiring(storage::Database& db, storage::SqlRifaRepository& rifas, const plugin_runtime::PluginRegistry* registry,
              const settings::SalesSettings& sales, std::shared_ptr<const settings::LiveBindings> bindings,
              const engine::Clock& clock, engine::IdGenerator& ids);

  engine::PurchaseService& purchases() { return purchases_; }
  engine::PaymentService& payments() { return payments_; }
  engine::TicketService& tickets() { return tickets_; }
  // The payment plugins as the engine sees them (plugin_runtime's adapter); the payout jobs pay
  // through it too, and the host bounds its calls per instance (set_call_limiter).
  plugin_runtime::PluginPaymentGateway& gateway() { return gateway_; }
  // Where confirmed payments raise ticket_sold (storage/repositories/domain_event_sink.hpp).
  void set_event_sink(storage::DomainEventBatchSink sink) { sales_repo_.set_event_sink(std::move(sink)); }

 private:
  storage::SqlSalesRepository sales_repo_;
  plugin_runtime::PluginPaymentGateway gateway_;
  engine::PurchaseService purchases_;
  engine::PaymentService payments_;
  engine::TicketService tickets_;
};

}  // namespace rifa::app
