#include "app/settlement_wiring.hpp"

#include "app/logging.hpp"

namespace rifa::app {

SettlementWiring::SettlementWiring(storage::Database& db, const plugin_runtime::PluginRegistry* plugins,
                                   std::shared_ptr<const settings::LiveBindings> bindings, const engine::Clock& clock,
                                   int job_max_attempts, MetricsRegistry* metrics, settlement::TaxRules tax)
    : repo_(db, clock) {
  if (plugins) {
    lotteries_ = std::make_unique<plugin_runtime::PluginLotteryGateway>(*plugins);
    calendar_ = std::make_unique<settlement::LotteryDrawCalendar>(*lotteries_);
  }
  settlement::SettlementOptions options;
  options.job_max_attempts = job_max_attempts;
  options.tax = std::move(tax);
  service_ = std::make_unique<settlement::SettlementService>(repo_, lotteries_.get(),
                                                             settings::notifier_resolver(std::move(bindings)), clock,
                                                             make_logger("settlement"), metrics, options);
}

}  // namespace rifa::app
