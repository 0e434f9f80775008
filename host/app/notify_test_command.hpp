#pragma once

#include <ostream>

#include "app/cli.hpp"
#include "settings/settings.hpp"

namespace rifa::app {

// `rifa-host notify test --instance ID --to ADDRESS [--type TYPE]`: loads the configured plugins
// and hands notifier ID one sample event (a receipt unless --type says otherwise), addressed to
// ADDRESS as far as the instance declares contact fields (email and telefono get ADDRESS, nombre
// "Prueba"), through the same gateway notify.deliver jobs use. Nothing is written to the
// database. Exit 0 when the notifier took it, 1 when it failed (its reason printed), 4 when ID
// is not a loaded notifier.
int run_notify_test(const settings::Settings& config, const CliOptions& options, std::ostream& out, std::ostream& err);

}  // namespace rifa::app
