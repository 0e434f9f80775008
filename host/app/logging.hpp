#pragma once

#include <memory>
#include <string>

#include <spdlog/logger.h>

namespace rifa::app {

enum class LogFormat { kJson, kText };

// Configures spdlog's default logger to write to stderr: one JSON object per line (ts, level,
// logger, msg) for production, or plain text for humans. Returns the default logger.
std::shared_ptr<spdlog::logger> setup_logging(LogFormat format, const std::string& level);

// A child logger sharing the default sinks, named e.g. "plugin.bogota" or "http".
std::shared_ptr<spdlog::logger> make_logger(const std::string& name);

}  // namespace rifa::app
