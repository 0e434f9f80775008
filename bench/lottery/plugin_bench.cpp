// Pages parsed per second by each lottery plugin through the host's plugin runtime: parse_page
// on every recorded page of fixtures/lotteries that gives a draw (the page shapes of the real
// sites, filled with real draws), so the figure includes the C ABI crossing, validation and the
// result JSON. Not a test.
//   lottery_plugin_bench [seconds_per_page]   (default 0.3)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include "plugin_runtime/plugin_instance.hpp"
#include "plugin_runtime/plugin_library.hpp"

namespace fs = std::filesystem;
namespace pr = rifa::plugin_runtime;
using nlohmann::json;

namespace {

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 0.3;
  const fs::path fixtures = RIFA_LOTTERY_FIXTURES_DIR;
  const fs::path plugins = RIFA_PLUGIN_DIR;
  std::printf("lottery plugin bench: parse_page through the plugin runtime, 1 thread\n");
  int failures = 0;
  for (const char* plugin : {"baloto", "bogota", "valle"}) {
    const fs::path library_path = plugins / ("liblottery_" + std::string(plugin) + ".so");
    auto library = pr::PluginLibrary::load(library_path);
    if (!library) {
      std::printf("%s: %s\n", plugin, library.error().message.c_str());
      return 1;
    }
    for (const auto& entry : fs::directory_iterator(fixtures / plugin)) {
      const json doc = json::parse(slurp(entry.path() / "case.json"));
      if (doc["expected"]["status"] != "ok") continue;
      const std::string url = doc["expected"]["result"]["source_url"].get<std::string>();
      const json exchanges = json::parse(slurp(entry.path() / "exchanges.json"))["exchanges"];
      std::string body;
      for (const auto& exchange : exchanges) {
        // The first response from the result's URL is the page it was read from (the Valle
        // endpoint answers the secos afterwards at the same URL).
        if (exchange["request"]["url"] == url && exchange.contains("response")) {
          body = slurp(entry.path() / exchange["response"]["body_file"].get<std::string>());
          break;
        }
      }
      pr::HostServices services;
      services.logger = std::make_shared<spdlog::logger>("bench", std::make_shared<spdlog::sinks::null_sink_mt>());
      pr::PluginSpec spec{"bench", library_path, RIFA_KIND_LOTTERY, doc.value("config", json::object())};
      auto instance = pr::PluginInstance::create(*library, spec, services);
      if (!instance) {
        std::printf("%s: %s\n", plugin, instance.error().message.c_str());
        return 1;
      }
      const std::string date = doc["date"].get<std::string>();
      const std::string name = std::string(plugin) + "/" + entry.path().filename().string();
      if (!(*instance)->parse_page(date, url, body).ok()) {
        std::printf("%-58s FAILED to parse its page\n", name.c_str());
        ++failures;
        continue;
      }
      const auto start = std::chrono::steady_clock::now();
      long pages = 0;
      double elapsed = 0;
      do {
        for (int i = 0; i < 16; ++i) (*instance)->parse_page(date, url, body);
        pages += 16;
        elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      } while (elapsed < seconds);
      std::printf("%-58s %8.0f pages/s  %8.1f us/page  (%zu-byte page)\n", name.c_str(), pages / elapsed,
                  elapsed * 1e6 / static_cast<double>(pages), body.size());
    }
  }
  return failures == 0 ? 0 : 1;
}
