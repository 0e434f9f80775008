#pragma once

#include <filesystem>
#include <ostream>
#include <vector>

#include <sys/types.h>

namespace rifa::app {

// The `rifa-host serve` processes of this machine (any user's this process may signal) whose
// config file is `config_file`: their --config, resolved against their working directory, or
// config/rifa.yaml there when they were given none ($RIFA_CONFIG of another process is not read).
std::vector<pid_t> serving_processes(const std::filesystem::path& config_file);

// `rifa-host reload`: sends SIGHUP to every serving_processes(config_file). Each host logs what it
// applied or why it changed nothing; POST /api/v1/admin/config/reload answers with that report.
// Exit status 0 when at least one host was signalled, 1 when none serves that file.
int run_reload(const std::filesystem::path& config_file, std::ostream& out, std::ostream& err);

}  // namespace rifa::app
