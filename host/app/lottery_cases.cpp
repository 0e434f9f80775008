#include "app/lottery_cases.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "app/logging.hpp"
#include "engine/iso_time.hpp"
#include "plugin_runtime/cassette.hpp"
#include "plugin_runtime/plugin_instance.hpp"

namespace rifa::app {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string summarize_result(const json& result) {
  std::string s;
  if (result.contains("draw_number")) s += "#" + result["draw_number"].get<std::string>() + " ";
  if (result.contains("numbers")) {
    std::string nums;
    for (const auto& n : result["numbers"]) nums += (nums.empty() ? "" : "-") + n.get<std::string>();
    s += nums;
  }
  if (result.contains("series") && result["series"].is_string()) s += " serie " + result["series"].get<std::string>();
  if (result.contains("extra") && result["extra"].is_object()) {
    for (const auto& [k, v] : result["extra"].items())
      s += " " + k + " " + (v.is_string() ? v.get<std::string>() : v.dump());
  }
  return s.empty() ? result.dump() : s;
}

int64_t system_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::string first_mismatch(const json& expected, const json& got, const std::string& path) {
  if (expected.is_object()) {
    if (!got.is_object()) return path + ": expected an object, got " + got.dump();
    for (const auto& [key, value] : expected.items()) {
      if (!got.contains(key)) return path + "." + key + ": missing";
      if (auto m = first_mismatch(value, got[key], path + "." + key); !m.empty()) return m;
    }
    return "";
  }
  if (expected != got) return path + ": expected " + expected.dump() + ", got " + got.dump();
  return "";
}

std::vector<fs::path> find_case_files(const fs::path& root) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator(); ++it) {
    if (it->path().filename() == "case.json") files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

int run_case_files(const fs::path& root, const std::optional<fs::path>& library_override, std::ostream& out,
                   const std::function<CaseVerdict(const fs::path& dir, const nlohmann::json& doc)>& run) {
  const std::vector<fs::path> files = find_case_files(root);
  if (files.empty()) {
    out << "FAIL  no case.json under " << root.string() << "\n";
    return 1;
  }
  int failures = 0;
  size_t ran = 0;
  for (const auto& file : files) {
    const std::string name = fs::relative(file.parent_path(), root).string();
    CaseVerdict v;
    try {
      std::ifstream in(file, std::ios::binary);
      if (!in) throw std::runtime_error("cannot read it");
      const nlohmann::json doc = nlohmann::json::parse(std::string(std::istreambuf_iterator<char>(in), {}));
      // A folder may hold several libraries' cases: each runs against its own library only.
      const std::string library = doc.at("library");
      if (library_override && !case_names_library(library, *library_override)) {
        out << "SKIP  " << name << ": for library " << library << ", not " << library_override->filename().string()
            << "\n";
        continue;
      }
      ++ran;
      v = run(file.parent_path(), doc);
      if (v.passed) v.detail = doc.value("description", "");
    } catch (const std::exception& e) {
      ++ran;
      v = {false, "bad case", file.string() + ": " + e.what()};
    }
    if (!v.passed) ++failures;
    out << (v.passed ? "PASS  " : "FAIL  ") << name << ": " << v.got << "\n";
    if (!v.passed) out << "      why: " << v.detail << "\n";
  }
  if (ran == 0) {
    out << "FAIL  none of the " << files.size() << " case(s) under " << root.string() << " is for "
        << library_override->filename().string() << "\n";
    return 1;
  }
  out << ran - static_cast<size_t>(failures) << " passed, " << failures << " failed";
  if (ran < files.size()) out << ", " << files.size() - ran << " skipped (other libraries)";
  out << "\n";
  return failures;
}

std::string format_case_now(int64_t unix_ms) {
  return engine::format_iso_time(engine::TimePoint{std::chrono::milliseconds{unix_ms}});
}

bool case_names_library(const std::string& library, const fs::path& path) {
  if (library.find('/') != std::string::npos) {
    std::error_code ec;
    if (fs::equivalent(library, path, ec)) return true;
    return fs::path(library).filename() == path.filename();
  }
  const bool is_file = library.size() > 3 && library.compare(library.size() - 3, 3, ".so") == 0;
  return (is_file ? library : "lib" + library + ".so") == path.filename().string();
}

fs::path resolve_library(const std::string& library, const std::vector<fs::path>& search_path) {
  if (library.find('/') != std::string::npos) return library;
  const std::string file =
      library.rfind("lib", 0) == 0 && library.size() > 3 && library.substr(library.size() - 3) == ".so"
          ? library
          : "lib" + library + ".so";
  for (const auto& dir : search_path) {
    if (fs::exists(dir / file)) return dir / file;
  }
  return search_path.empty() ? fs::path(file) : search_path.front() / file;
}

Result<std::vector<LotteryCase>> find_lottery_cases(const fs::path& root) {
  std::vector<LotteryCase> cases;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return make_error(ErrorCode::kNotFound, root.string() + ": not a folder");
  for (auto it = fs::recursive_directory_iterator(root, ec); it != fs::recursive_directory_iterator(); ++it) {
    if (it->path().filename() != "case.json") continue;
    const fs::path file = it->path();
    std::ifstream in(file);
    json doc;
    try {
      doc = json::parse(in);
      LotteryCase c;
      c.dir = file.parent_path();
      c.name = fs::relative(c.dir, root).string();
      c.library = doc.at("library").get<std::string>();
      c.config = doc.value("config", json::object());
      c.date = doc.at("date").get<std::string>();
      if (doc.contains("now")) {
        auto now = engine::parse_iso_time(doc["now"].get<std::string>(), "now");
        if (!now) throw std::runtime_error(now.error().message);
        c.now_unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now->time_since_epoch()).count();
      }
      c.description = doc.value("description", "");
      c.expected = doc.at("expected");
      if (!c.expected.contains("status")) throw std::runtime_error("expected.status is required");
      cases.push_back(std::move(c));
    } catch (const std::exception& e) { return make_error(ErrorCode::kParse, file.string() + ": " + e.what()); }
  }
  std::sort(cases.begin(), cases.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return cases;
}

CaseOutcome run_lottery_case(const LotteryCase& c, const CaseRunOptions& options) {
  CaseOutcome outcome;
  const std::string want_status = c.expected["status"].get<std::string>();
  outcome.expected = want_status;
  if (want_status == "ok" && c.expected.contains("result")) {
    outcome.expected += " " + summarize_result(c.expected["result"]);
  }

  const fs::path library_path =
      options.library_override ? *options.library_override : resolve_library(c.library, options.search_path);
  auto library = plugin_runtime::PluginLibrary::load(library_path);
  if (!library) {
    outcome.got = "load failed";
    outcome.detail = library.error().message;
    return outcome;
  }
  auto cassette = plugin_runtime::Cassette::load(c.dir);
  if (!cassette && cassette.error().code != ErrorCode::kNotFound) {
    outcome.got = "bad cassette";
    outcome.detail = cassette.error().message;
    return outcome;
  }
  plugin_runtime::HostServices services;
  services.logger = make_logger("replay." + c.name);
  services.transport = std::make_shared<plugin_runtime::ReplayTransport>(
      cassette ? std::move(*cassette) : plugin_runtime::Cassette{}, c.dir);
  // The plugin sees the instant the case was taken, so the case answers the same forever.
  if (c.now_unix_ms) {
    services.now_unix_ms = [now = *c.now_unix_ms] { return now; };
  } else {
    services.now_unix_ms = options.real_clock_ms ? options.real_clock_ms : std::function<int64_t()>(system_clock_ms);
  }
  plugin_runtime::PluginSpec spec{"replay", library_path, RIFA_KIND_LOTTERY, c.config};
  auto instance = plugin_runtime::PluginInstance::create(*library, spec, services);
  if (!instance) {
    outcome.got = "create failed";
    outcome.detail = instance.error().message;
    return outcome;
  }
  const auto call = (*instance)->fetch_draw(c.date);
  const std::string got_status = plugin_runtime::status_name(call.status);
  outcome.got = got_status;
  if (call.ok()) {
    try {
      outcome.got += " " + summarize_result(json::parse(call.result));
    } catch (const json::exception&) { outcome.got += " (result is not JSON)"; }
  } else if (!call.error.empty()) {
    outcome.got += ": " + call.error;
  }

  if (got_status != want_status) {
    outcome.detail = "expected status " + want_status + ", got " + got_status;
    return outcome;
  }
  if (call.ok() && c.expected.contains("result")) {
    json got;
    try {
      got = json::parse(call.result);
    } catch (const json::exception& e) {
      outcome.detail = std::string("result is not JSON: ") + e.what();
      return outcome;
    }
    if (auto mismatch = first_mismatch(c.expected["result"], got, "result"); !mismatch.empty()) {
      outcome.detail = mismatch;
      return outcome;
    }
  }
  if (!call.ok() && c.expected.contains("error_contains")) {
    const auto needle = c.expected["error_contains"].get<std::string>();
    if (call.error.find(needle) == std::string::npos) {
      outcome.detail = "error message lacks '" + needle + "'";
      return outcome;
    }
  }
  outcome.passed = true;
  return outcome;
}

int run_lottery_cases(const fs::path& root, const CaseRunOptions& options, std::ostream& out) {
  auto cases = find_lottery_cases(root);
  if (!cases) {
    out << "FAIL  " << cases.error().message << "\n";
    return 1;
  }
  if (cases->empty()) {
    out << "FAIL  no case.json under " << root.string() << "\n";
    return 1;
  }
  int failures = 0;
  size_t ran = 0;
  size_t width = 4;
  for (const auto& c : *cases) width = std::max(width, c.name.size());
  out << std::left << std::setw(static_cast<int>(width)) << "case"
      << "  verdict  expected  ->  got\n";
  for (const auto& c : *cases) {
    if (options.library_override && !case_names_library(c.library, *options.library_override)) {
      out << std::left << std::setw(static_cast<int>(width)) << c.name << "  SKIP     for library " << c.library
          << ", not " << options.library_override->filename().string() << "\n";
      continue;
    }
    ++ran;
    const auto o = run_lottery_case(c, options);
    if (!o.passed) ++failures;
    out << std::left << std::setw(static_cast<int>(width)) << c.name << "  " << (o.passed ? "PASS   " : "FAIL   ")
        << "  " << o.expected << "  ->  " << o.got << "\n";
    if (!o.passed) out << std::string(width + 2, ' ') << "         why: " << o.detail << "\n";
  }
  if (ran == 0) {
    out << "FAIL  none of the " << cases->size() << " case(s) under " << root.string() << " is for "
        << options.library_override->filename().string() << "\n";
    return 1;
  }
  out << ran - static_cast<size_t>(failures) << " passed, " << failures << " failed";
  if (ran < cases->size()) out << ", " << cases->size() - ran << " skipped (other libraries)";
  out << "\n";
  return failures;
}

Result<json> record_lottery_case(const RecordRequest& request) {
  auto library = plugin_runtime::PluginLibrary::load(request.library_path);
  if (!library) return library.error();
  plugin_runtime::HostServices services;
  services.logger = make_logger("plugin." + request.instance_id);
  services.transport = std::make_shared<plugin_runtime::RecordingTransport>(request.live, request.dir);
  // Frozen for the whole recording: replay freezes it at the same instant ("now").
  services.now_unix_ms = [now = request.now_unix_ms] { return now; };
  plugin_runtime::PluginSpec spec{request.instance_id, request.library_path, RIFA_KIND_LOTTERY, request.config};
  auto instance = plugin_runtime::PluginInstance::create(*library, spec, services);
  if (!instance) return instance.error();
  const auto call = (*instance)->fetch_draw(request.date);
  json expected = {{"status", plugin_runtime::status_name(call.status)}};
  if (call.ok()) {
    expected["result"] = json::parse(call.result, nullptr, false);
  } else if (!call.error.empty()) {
    expected["error_contains"] = call.error;
  }
  json doc = {{"library", request.library},
              {"config", request.config},
              {"date", request.date},
              {"now", format_case_now(request.now_unix_ms)},
              {"description", "recorded from " + request.instance_id + " for " + request.date},
              {"expected", expected}};
  std::error_code ec;
  fs::create_directories(request.dir, ec);
  std::ofstream file(request.dir / "case.json");
  file << doc.dump(2) << "\n";
  if (!file) return make_error(ErrorCode::kInternal, (request.dir / "case.json").string() + ": cannot write");
  return doc;
}

}  // namespace rifa::app
