// A lottery plugin written with the C++ wrapper, compiled as C++17, whose fetch_draw does what the
// "date" asks for, so that sdk_wrapper_test can observe how every kind of answer and exception
// crosses the C boundary.
#include <new>
#include <stdexcept>
#include <string>

#include "rifa/sdk/plugin.hpp"

namespace {

using rifa::sdk::DrawAnswer;
using rifa::sdk::Error;
using rifa::sdk::json_quote;
using rifa::sdk::NotPublished;

class Probe final : public rifa::sdk::LotteryPlugin {
 public:
  // The probe checks the default schedule() answer (RIFA_ERR_UNSUPPORTED), on purpose.
  static constexpr bool kPublishesNoSchedule = true;
  Probe(rifa::sdk::Host host, std::string instance_id, std::string config_json)
      : LotteryPlugin(host, std::move(instance_id), std::move(config_json)) {
    if (this->config_json().find("\"refuse\"") != std::string::npos) {
      throw Error(RIFA_ERR_CONFIG, "probe: config asks to be refused");
    }
    if (this->config_json().find("\"crash\"") != std::string::npos) throw std::logic_error("crash in constructor");
    host.info("probe " + this->instance_id() + " created");
  }

  DrawAnswer fetch_draw(const std::string& command) override {
    if (command == "ok") return std::string(R"({"date": "2026-01-22"})");
    if (command == "not-published") return NotPublished{"later, please"};
    if (command == "not-published-silent") return NotPublished{};
    if (command == "parse-error") throw Error(RIFA_ERR_PARSE, "no results table");
    if (command == "retry-later") throw Error(RIFA_ERR_TRANSPORT, "busy").with_result(R"({"retry_after_s": 120})");
    if (command == "bad-alloc") throw std::bad_alloc();
    if (command == "runtime") throw std::runtime_error("boom");
    if (command == "int") throw 42;
    if (command == "error-ok") throw Error(RIFA_OK, "nonsense");
    if (command == "clock") return std::to_string(host().now_unix_ms());
    if (command.rfind("http:", 0) == 0) {
      rifa::sdk::HttpRequest request;
      request.url = command.substr(5);
      request.headers = {{"Accept", "text/html"}};
      request.timeout_ms = 1500;
      const rifa::sdk::HttpResponse response = host().http(request);
      return "{\"status\": " + std::to_string(response.status) + ", \"body\": " + json_quote(response.body) +
             ", \"etag\": " + json_quote(response.header("ETag").value_or("none")) + "}";
    }
    if (command.rfind("http-caught:", 0) == 0) {
      rifa::sdk::HttpRequest request;
      request.url = command.substr(12);
      try {
        host().http(request);
        return std::string("{}");
      } catch (const Error& e) { throw Error(e.status(), std::string("wrapped: ") + e.what()); }
    }
    throw Error(RIFA_ERR_INVALID_ARGUMENT, "unknown probe command '" + command + "'");
  }

  DrawAnswer parse_page(const std::string&, const std::string& url, const std::string& body) override {
    return "{\"url\": " + json_quote(url) + ", \"length\": " + std::to_string(body.size()) + "}";
  }
};

}  // namespace

RIFA_PLUGIN(Probe, RIFA_KIND_LOTTERY, "probe", "0.0.1", "SDK wrapper probe",
            R"({"type": "object", "additionalProperties": false, "properties": {"refuse": {"type": "boolean"},
                "crash": {"type": "boolean"}}})")
