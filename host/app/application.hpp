#pragma once

#include <ostream>

#include "app/cli.hpp"

namespace rifa::app {

// Runs one CLI command to completion and returns the process exit code:
// 0 success, 2 invalid config, 3 startup failure (database, migration, plugin), 64 usage.
int run_command(const CliOptions& options, std::ostream& out, std::ostream& err);

}  // namespace rifa::app
