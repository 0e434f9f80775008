#pragma once

#include <memory>
#include <string>

#include <spdlog/formatter.h>
#include <spdlog/logger.h>

namespace rifa::app {

enum class LogFormat { kJson, kText };

// Configures spdlog's default logger to write to stderr: one JSON object per line (ts, level,
// logger, msg, and request_id while a request is handled) for production, or plain text for
// humans. Returns the default logger.
std::shared_ptr<spdlog::logger> setup_logging(LogFormat format, const std::string& level);

// The line format setup_logging installs (exposed for tests that capture log lines).
std::unique_ptr<spdlog::formatter> make_log_formatter(LogFormat format);

// A child logger sharing the default sinks, named e.g. "plugin.bogota" or "http".
std::shared_ptr<spdlog::logger> make_logger(const std::string& name);

}  // namespace rifa::app
