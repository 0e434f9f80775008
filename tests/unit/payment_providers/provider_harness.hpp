#pragma once
// The host side of the payment provider tests: a plugin loaded as the host loads it (dlopen,
// schema check, create), talking through the host's real libcurl transport to a loopback fake of
// the provider (api::HttpServer on 127.0.0.1, real sockets), with a fixed clock and a captured log.
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "plugin_runtime/curl_transport.hpp"
#include "plugin_runtime/plugin_instance.hpp"
#include "plugin_runtime/plugin_library.hpp"
#include "server/http_server.hpp"

namespace rifa::testing {

using nlohmann::json;

inline std::string percent_decode(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out.push_back(' ');
    } else if (text[i] == '%' && i + 2 < text.size()) {
      out.push_back(static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// application/x-www-form-urlencoded → key → value (keys decoded too: metadata[k]).
inline std::map<std::string, std::string> parse_form(const std::string& body) {
  std::map<std::string, std::string> out;
  size_t start = 0;
  while (start < body.size()) {
    size_t end = body.find('&', start);
    if (end == std::string::npos) end = body.size();
    const std::string item = body.substr(start, end - start);
    const size_t eq = item.find('=');
    out[percent_decode(item.substr(0, eq))] = eq == std::string::npos ? "" : percent_decode(item.substr(eq + 1));
    start = end + 1;
  }
  return out;
}

// What a fake provider saw.
struct SeenRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;
  std::string body;
};

// A loopback HTTP server; subclasses register their routes in the constructor, then start().
class FakeServer {
 public:
  virtual ~FakeServer() {
    if (server_) server_->stop();
  }
  void start() {
    api::ServerOptions options;
    options.port = 0;
    options.io_threads = 1;
    options.workers = 2;
    server_ = std::make_unique<api::HttpServer>(options, router_, spdlog::null_logger_mt("fake-" + unique()), nullptr);
    const auto started = server_->start();
    if (!started.ok()) throw std::runtime_error("fake provider did not start");
    base_ = "http://127.0.0.1:" + std::to_string(server_->port());
  }
  const std::string& base() const { return base_; }
  std::vector<SeenRequest> seen() {
    std::lock_guard<std::mutex> lock(mutex_);
    return seen_;
  }
  static std::string unique() {
    static int counter = 0;
    return std::to_string(::getpid()) + "-" + std::to_string(++counter);
  }

 protected:
  void remember(const api::Request& request) {
    std::lock_guard<std::mutex> lock(mutex_);
    seen_.push_back({request.method, request.target, request.headers, request.body});
  }
  static api::Response json_answer(int status, const json& body) {
    api::Response r;
    r.status = status;
    r.body = body.dump();
    return r;
  }

  api::Router router_;
  std::mutex mutex_;
  std::vector<SeenRequest> seen_;

 private:
  std::unique_ptr<api::HttpServer> server_;
  std::string base_;
};

// One plugin instance as the host runs it, with everything it logged.
class HostedPlugin {
 public:
  HostedPlugin(const std::string& library_path, const json& config, int64_t now_ms, int retries = 1) : now_ms_(now_ms) {
    sink_ = std::make_shared<spdlog::sinks::ostream_sink_mt>(log_);
    auto logger = std::make_shared<spdlog::logger>("plugin.test-" + FakeServer::unique(), sink_);
    logger->set_level(spdlog::level::debug);
    auto library = plugin_runtime::PluginLibrary::load(library_path);
    if (!library) throw std::runtime_error(library.error().message);
    plugin_runtime::CurlTransportOptions options;
    options.egress_allow = {"127.0.0.1"};
    options.retries = retries;
    options.retry_backoff_ms = 10;
    plugin_runtime::HostServices services;
    services.logger = logger;
    services.now_unix_ms = [this] { return now_ms_.load(); };
    services.transport = std::make_shared<plugin_runtime::CurlTransport>(options);
    plugin_runtime::PluginSpec spec{"provider-test", library_path, RIFA_KIND_PAYMENT, config};
    auto instance = plugin_runtime::PluginInstance::create(*library, spec, services);
    if (!instance) {
      create_error_ = instance.error().message;
    } else {
      instance_ = std::move(*instance);
    }
  }
  bool created() const { return instance_ != nullptr; }
  const std::string& create_error() const { return create_error_; }
  plugin_runtime::PluginInstance& operator*() { return *instance_; }
  plugin_runtime::PluginInstance* operator->() { return instance_.get(); }
  void set_now_ms(int64_t now) { now_ms_ = now; }
  std::string log() {
    sink_->flush();
    return log_.str();
  }

 private:
  std::atomic<int64_t> now_ms_;
  std::ostringstream log_;
  std::shared_ptr<spdlog::sinks::ostream_sink_mt> sink_;
  std::unique_ptr<plugin_runtime::PluginInstance> instance_;
  std::string create_error_;
};

inline json parse(const std::string& text) { return json::parse(text); }

}  // namespace rifa::testing
