#include "app/sales_wiring.hpp"

namespace rifa::app {
namespace {

engine::SalesPolicy policy_from(const settings::SalesSettings& sales) {
  engine::SalesPolicy policy;
  policy.hold_ttl = std::chrono::seconds(sales.hold_ttl_s);
  policy.idempotency_key_ttl = std::chrono::seconds(sales.idempotency_key_ttl_s);
  policy.max_held_per_buyer = static_cast<int32_t>(sales.max_held_per_buyer);
  policy.in_flight_takeover = std::chrono::seconds(sales.in_flight_takeover_s);
  return policy;
}

}  // namespace

SalesWiring::SalesWiring(storage::Database& db, storage::SqlRifaRepository& rifas,
                         const plugin_runtime::PluginRegistry* registry, const settings::SalesSettings& sales,
                         std::shared_ptr<const settings::LiveBindings> bindings, const engine::Clock& clock,
                         engine::IdGenerator& ids)
    : sales_repo_(db),
      gateway_(registry, std::move(bindings)),
      purchases_(sales_repo_, gateway_, clock, ids, policy_from(sales)),
      payments_(sales_repo_, gateway_, clock, std::chrono::seconds(sales.reconcile_pending_after_s)),
      tickets_(sales_repo_, rifas) {}

}  // namespace rifa::app
