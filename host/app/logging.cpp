#include "app/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "common/log_context.hpp"

namespace rifa::app {
namespace {

// spdlog's pattern language cannot escape the message, so JSON lines get a formatter of their own.
class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch()).count();
    const std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char ts[40];
    const size_t n = std::strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
    std::snprintf(ts + n, sizeof ts - n, ".%03lldZ", static_cast<long long>(ms % 1000));
    nlohmann::ordered_json line = {{"ts", ts},
                                   {"level", spdlog::level::to_string_view(msg.level).data()},
                                   {"logger", std::string(msg.logger_name.begin(), msg.logger_name.end())},
                                   {"msg", std::string(msg.payload.begin(), msg.payload.end())}};
    if (const auto& id = current_log_request_id(); !id.empty()) line["request_id"] = id;
    const std::string text = line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
    dest.append(text.data(), text.data() + text.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonFormatter>(); }
};

// "%*" in a text pattern: " [req <id>]" while the thread handles a request, nothing otherwise.
class RequestIdFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg&, const std::tm&, spdlog::memory_buf_t& dest) override {
    const auto& id = current_log_request_id();
    if (id.empty()) return;
    constexpr std::string_view kOpen = " [req ";
    dest.append(kOpen.data(), kOpen.data() + kOpen.size());
    dest.append(id.data(), id.data() + id.size());
    dest.push_back(']');
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<RequestIdFlag>(); }
};

}  // namespace

std::unique_ptr<spdlog::formatter> make_log_formatter(LogFormat format) {
  if (format == LogFormat::kJson) return std::make_unique<JsonFormatter>();
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<RequestIdFlag>('*').set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ [%n]%* %v");
  return formatter;
}

std::shared_ptr<spdlog::logger> setup_logging(LogFormat format, const std::string& level) {
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  sink->set_formatter(make_log_formatter(format));
  auto logger = std::make_shared<spdlog::logger>("rifa", sink);
  logger->set_level(spdlog::level::from_str(level));
  spdlog::set_default_logger(logger);
  spdlog::flush_on(spdlog::level::warn);
  return logger;
}

std::shared_ptr<spdlog::logger> make_logger(const std::string& name) {
  auto base = spdlog::default_logger();
  auto logger = std::make_shared<spdlog::logger>(name, base->sinks().begin(), base->sinks().end());
  logger->set_level(base->level());
  return logger;
}

}  // namespace rifa::app
