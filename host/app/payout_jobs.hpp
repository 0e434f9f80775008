#pragma once

#include "engine/clock.hpp"
#include "jobs/job_runner.hpp"
#include "plugin_runtime/plugin_registry.hpp"
#include "settings/settings.hpp"
#include "storage/database.hpp"

namespace rifa::app {

// Registers the handlers of "payout.send" (settlement/payout_service.hpp), "rifa.refund"
// (refund_service.hpp) and "notify.deliver" (notification_service.hpp) on `runner`. The services
// live as long as the runner's handlers (they are shared by the handler closures); `db`, `settings`
// and `plugins` (and `clock`, when given: the host's one clock; else the system clock) must outlive
// the runner.
void register_payout_jobs(jobs::JobRunner& runner, storage::Database& db, const settings::Settings& settings,
                          const plugin_runtime::PluginRegistry& plugins, const engine::Clock* clock = nullptr);

}  // namespace rifa::app
