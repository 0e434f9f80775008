#pragma once

#include <memory>

#include "common/metrics.hpp"
#include "engine/clock.hpp"
#include "engine/rifa_service.hpp"
#include "engine/settlement/lottery_draw_calendar.hpp"
#include "engine/settlement/settlement_service.hpp"
#include "handlers/common/api_context.hpp"
#include "plugin_runtime/plugin_lottery_gateway.hpp"
#include "plugin_runtime/plugin_registry.hpp"
#include "settings/bindings.hpp"
#include "storage/database.hpp"
#include "storage/repositories/sql_settlement_repository.hpp"

namespace rifa::app {

// The API's side of settlement: cerrar, recalcular and resultados run this service, and rifa
// creation gets the lottery schedules (fecha_sorteo's default and check) through its calendar.
// `plugins` may be null (tests without plugins): closing then asks for the draw at once and
// fecha_sorteo defaults to fecha_fin's date. Part of ApiWiring; the jobs run the same service.
class SettlementWiring {
 public:
  SettlementWiring(storage::Database& db, const plugin_runtime::PluginRegistry* plugins,
                   std::shared_ptr<const settings::LiveBindings> bindings, const engine::Clock& clock,
                   int job_max_attempts, MetricsRegistry* metrics = nullptr, settlement::TaxRules tax = {});

  // The lottery calendar RifaService checks fecha_sorteo against; null without plugins.
  engine::DrawCalendar* calendar() { return calendar_.get(); }
  settlement::SettlementService& service() { return *service_; }
  // What the scheduler reads (the one repository; JobWiring builds no second one).
  settlement::SettlementRepository& repository() { return repo_; }

 private:
  storage::SqlSettlementRepository repo_;
  std::unique_ptr<plugin_runtime::PluginLotteryGateway> lotteries_;
  std::unique_ptr<settlement::LotteryDrawCalendar> calendar_;
  std::unique_ptr<settlement::SettlementService> service_;
};

}  // namespace rifa::app
