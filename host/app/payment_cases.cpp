#include "app/payment_cases.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <map>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/logging.hpp"
#include "app/lottery_cases.hpp"
#include "plugin_runtime/cassette.hpp"
#include "plugin_runtime/plugin_instance.hpp"

namespace rifa::app {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(file.string() + ": cannot read");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Sets the case's variables for the life of the object, then puts back what was there.
class ScopedEnvironment {
 public:
  explicit ScopedEnvironment(const json& env) {
    for (const auto& [name, value] : env.items()) {
      const char* before = std::getenv(name.c_str());
      saved_.emplace_back(name, before ? std::optional<std::string>(before) : std::nullopt);
      ::setenv(name.c_str(), value.get<std::string>().c_str(), 1);
    }
  }
  ~ScopedEnvironment() {
    for (const auto& [name, value] : saved_) {
      if (value) {
        ::setenv(name.c_str(), value->c_str(), 1);
      } else {
        ::unsetenv(name.c_str());
      }
    }
  }

 private:
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

using Verdict = CaseVerdict;

Verdict run_case(const fs::path& dir, const json& doc, const std::optional<fs::path>& library_override) {
  Verdict v;
  const fs::path library_path = library_override ? *library_override : resolve_library(doc.at("library"), {});
  auto library = plugin_runtime::PluginLibrary::load(library_path);
  if (!library) return {false, "load failed", library.error().message};
  auto cassette = plugin_runtime::Cassette::load(dir);
  if (!cassette && cassette.error().code != ErrorCode::kNotFound)
    return {false, "bad cassette", cassette.error().message};
  ScopedEnvironment env(doc.value("env", json::object()));
  const int64_t now_ms = doc.value("now_unix_ms", int64_t{1767225600000});
  plugin_runtime::HostServices services;
  services.logger = make_logger("replay.payment");
  services.now_unix_ms = [now_ms] { return now_ms; };
  services.transport = std::make_shared<plugin_runtime::ReplayTransport>(
      cassette ? std::move(*cassette) : plugin_runtime::Cassette{}, dir);
  plugin_runtime::PluginSpec spec{"replay", library_path, RIFA_KIND_PAYMENT, doc.value("config", json::object())};
  auto instance = plugin_runtime::PluginInstance::create(*library, spec, services);
  if (!instance) return {false, "create failed", instance.error().message};

  int index = 0;
  for (const auto& step : doc.at("steps")) {
    ++index;
    const std::string call = step.at("call");
    plugin_runtime::CallOutcome outcome;
    if (call == "create_payment") {
      outcome = (*instance)->create_payment(step.at("request").dump());
    } else if (call == "get_payment") {
      outcome = (*instance)->get_payment(step.at("provider_ref"));
    } else if (call == "refund") {
      outcome = (*instance)->refund(step.at("request").dump());
    } else if (call == "payout") {
      outcome = (*instance)->payout(step.at("request").dump());
    } else if (call == "verify_webhook") {
      const std::string body =
          step.contains("body_file") ? read_file(dir / step["body_file"].get<std::string>()) : step.value("body", "");
      outcome = (*instance)->verify_webhook(step.value("method", "POST"), step.value("headers", ""), body);
    } else {
      return {false, "bad case", "step " + std::to_string(index) + ": unknown call '" + call + "'"};
    }
    const json& expected = step.at("expected");
    const std::string want = expected.at("status");
    const std::string got = plugin_runtime::status_name(outcome.status);
    v.got += (v.got.empty() ? "" : ", ") + call + " " + got;
    const std::string where = "step " + std::to_string(index) + " (" + call + ")";
    if (got != want) return {false, v.got, where + ": expected " + want + ", got " + got + ": " + outcome.error};
    if (outcome.ok() && expected.contains("result")) {
      const json result = json::parse(outcome.result, nullptr, false);
      if (auto m = first_mismatch(expected["result"], result, "result"); !m.empty())
        return {false, v.got, where + ": " + m};
    }
    if (!outcome.ok() && expected.contains("error_contains") &&
        outcome.error.find(expected["error_contains"].get<std::string>()) == std::string::npos) {
      return {false, v.got,
              where + ": the error lacks '" + expected["error_contains"].get<std::string>() + "': " + outcome.error};
    }
    // A secret handed in through the environment never comes back in an answer or a message.
    const json env_values = doc.value("env", json::object());
    for (const auto& [name, value] : env_values.items()) {
      const std::string secret = value.get<std::string>();
      if (outcome.result.find(secret) != std::string::npos || outcome.error.find(secret) != std::string::npos) {
        return {false, v.got, where + ": the value of " + name + " appears in the plugin's answer"};
      }
    }
  }
  v.passed = true;
  return v;
}

}  // namespace

int run_payment_cases(const fs::path& root, std::ostream& out, const std::optional<fs::path>& library_override) {
  return run_case_files(root, library_override, out,
                        [&](const fs::path& dir, const json& doc) { return run_case(dir, doc, library_override); });
}

}  // namespace rifa::app
