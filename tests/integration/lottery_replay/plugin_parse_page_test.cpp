// The three lottery plugins loaded as the host loads them (plugin runtime, C ABI), asked to
// parse_page the raw pages of ../shared/lottery-data (read in place) and the committed fixtures,
// and created with configs that must be refused.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include "plugin_runtime/plugin_instance.hpp"
#include "plugin_runtime/plugin_library.hpp"
#include "rifa/lottery/sha256.hpp"

namespace {

namespace fs = std::filesystem;
namespace pr = rifa::plugin_runtime;
using nlohmann::json;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

rifa::Result<std::unique_ptr<pr::PluginInstance>> create(const std::string& plugin, const json& config) {
  auto library = pr::PluginLibrary::load(fs::path(RIFA_PLUGIN_DIR) / ("liblottery_" + plugin + ".so"));
  if (!library) return library.error();
  pr::HostServices services;
  services.logger = std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
  return pr::PluginInstance::create(
      *library, {"test", fs::path(RIFA_PLUGIN_DIR) / ("liblottery_" + plugin + ".so"), RIFA_KIND_LOTTERY, config},
      services);
}

std::unique_ptr<pr::PluginInstance> must_create(const std::string& plugin, const json& config = json::object()) {
  auto instance = create(plugin, config);
  if (!instance) throw std::runtime_error(instance.error().message);
  return std::move(*instance);
}

const fs::path kData = RIFA_LOTTERY_DATA_DIR;
const fs::path kFixtures = RIFA_LOTTERY_FIXTURES_DIR;

TEST(LotteryPlugins, BalotoReadsTheRawOfficialListing) {
  const fs::path page = kData / "validador-balotos" / "baloto.com_resultados_page1_2025-12-31.html";
  if (!fs::exists(page)) GTEST_SKIP() << "the raw official page is not here (" << page << "): ../shared is absent";
  const std::string body = slurp(page);
  const std::string url = "https://baloto.com/resultados?page=1";
  auto baloto = must_create("baloto");
  auto got = baloto->parse_page("2025-12-31", url, body);
  ASSERT_EQ(got.status, RIFA_OK) << got.error;
  EXPECT_EQ(json::parse(got.result), (json{{"date", "2025-12-31"},
                                           {"draw_number", "2599"},
                                           {"numbers", {"22", "24", "27", "37", "40"}},
                                           {"extra", {{"superbalota", "08"}}},
                                           {"source_url", url},
                                           {"raw_sha256", rifa::lottery::sha256_hex(body)}}));

  auto revancha = must_create("baloto", {{"juego", "revancha"}});
  got = revancha->parse_page("2025-12-31", url, body);
  ASSERT_EQ(got.status, RIFA_OK) << got.error;
  const json result = json::parse(got.result);
  EXPECT_EQ(result["numbers"], (json{"09", "13", "19", "41", "43"}));
  EXPECT_EQ(result["extra"], (json{{"superbalota", "16"}}));
  EXPECT_EQ(result["draw_number"], "2599");
}

TEST(LotteryPlugins, BalotoReadsTheEmptyAggregatorPageAsNotPublished) {
  const fs::path page = kData / "validador-balotos" / "resultadobaloto.com_resultados_2026_empty.html";
  if (!fs::exists(page)) GTEST_SKIP() << "the raw aggregator page is not here (" << page << "): ../shared is absent";
  auto baloto = must_create("baloto");
  const auto got =
      baloto->parse_page("2026-01-03", "https://resultadobaloto.com/resultados.php?anno=2026", slurp(page));
  EXPECT_EQ(got.status, RIFA_NOT_PUBLISHED) << got.error;
}

TEST(LotteryPlugins, AMalformedDateIsAnInvalidArgument) {
  for (const char* plugin : {"baloto", "bogota", "valle"}) {
    auto instance = must_create(plugin);
    const auto got = instance->parse_page("2025-02-30", "https://example.invalid/", "<html></html>");
    EXPECT_EQ(got.status, RIFA_ERR_INVALID_ARGUMENT) << plugin;
    EXPECT_EQ(got.error, "date must be a real date as YYYY-MM-DD, got '2025-02-30'") << plugin;
  }
}

TEST(LotteryPlugins, BogotaSerieRangeComesFromTheConfig) {
  const fs::path dir = kFixtures / "bogota" / "2025-10-30-normal";
  const std::string body = slurp(dir / "001.html");
  const std::string url = "https://loteriadebogota.com/resultados/";
  EXPECT_EQ(must_create("bogota")->parse_page("2025-10-30", url, body).status, RIFA_OK);
  const auto got = must_create("bogota", {{"serie_max", 150}})->parse_page("2025-10-30", url, body);
  EXPECT_EQ(got.status, RIFA_ERR_VALIDATION);
  EXPECT_EQ(got.error, "bogota: serie 193 outside 000–150");
}

TEST(LotteryPlugins, ConfigsThatMustBeRefused) {
  auto inverted = create("bogota", {{"serie_min", 400}, {"serie_max", 100}});
  ASSERT_FALSE(inverted);
  EXPECT_NE(inverted.error().message.find("serie_min (400) is above serie_max (100)"), std::string::npos)
      << inverted.error().message;

  auto bad_kind = create("valle", {{"sources", {{{"kind", "loteriasdehoy"}, {"url", "https://x.invalid/"}}}}});
  ASSERT_FALSE(bad_kind);
  EXPECT_NE(bad_kind.error().message.find("config.sources[0].kind"), std::string::npos) << bad_kind.error().message;

  auto bad_juego = create("baloto", {{"juego", "miloto"}});
  ASSERT_FALSE(bad_juego);
  EXPECT_NE(bad_juego.error().message.find("config.juego"), std::string::npos) << bad_juego.error().message;

  auto bad_policy = create("bogota", {{"policy", "majority"}});
  ASSERT_FALSE(bad_policy);
  EXPECT_NE(bad_policy.error().message.find("config.policy"), std::string::npos) << bad_policy.error().message;
}

TEST(LotteryPlugins, SchedulesNameTheirDaysAndRuleChanges) {
  auto baloto = json::parse(must_create("baloto")->schedule().result);
  EXPECT_EQ(baloto["timezone"], "America/Bogota");
  EXPECT_EQ(baloto["time"], "23:00");
  EXPECT_EQ(baloto["periods"].back(), (json{{"since", "2025-06-01"}, {"days", {"monday", "wednesday", "saturday"}}}));
  auto bogota = json::parse(must_create("bogota")->schedule().result);
  EXPECT_EQ(bogota["days"], (json{"thursday"}));
  EXPECT_EQ(bogota["time"], "22:30");
  EXPECT_EQ(bogota["holiday_policy"], "moves_within_week_or_skips");
  auto valle = json::parse(must_create("valle")->schedule().result);
  EXPECT_EQ(valle["days"], (json{"wednesday"}));
  EXPECT_EQ(valle["publish_delay_minutes"], 60);
}

}  // namespace
