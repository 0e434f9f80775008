// Issue 11, items 1, 10, 12 and 13 (host part), over real HTTP with the real lottery plugins
// (mock, bogota, baloto) loaded as the host loads them: the draw calendar comes from each
// plugin's own draw_dates, sales must end before the draw instant, a rifa's draw inputs are
// frozen at activation, PATCH /rifas is compare-and-set on estado and writes only what changed,
// and a loteria's draw-deciding fields cannot move under a live rifa (every change audited).
#include <chrono>
#include <filesystem>

#include <spdlog/sinks/null_sink.h>

#include "api_fixture.hpp"
#include "engine/id_generator.hpp"
#include "engine/iso_time.hpp"
#include "engine/rifa_service.hpp"
#include "plugin_runtime/curl_transport.hpp"
#include "plugin_runtime/plugin_registry.hpp"
#include "storage/repositories/sql_categoria_repository.hpp"
#include "storage/repositories/sql_loteria_repository.hpp"
#include "storage/repositories/sql_rifa_repository.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;
using std::chrono::hours;
using std::chrono::minutes;

class CatalogRulesTest : public ApiTest {
 protected:
  void configure_api(app::ApiWiringOptions& options) override {
    plugins_ = std::make_unique<plugin_runtime::PluginRegistry>();
    for (const char* id : {"mock", "bogota", "baloto"}) {
      plugin_runtime::HostServices services;
      services.logger = std::make_shared<spdlog::logger>(std::string("plugin.") + id,
                                                         std::make_shared<spdlog::sinks::null_sink_mt>());
      services.now_unix_ms = [] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
      };
      services.transport = std::make_shared<plugin_runtime::CurlTransport>(plugin_runtime::CurlTransportOptions{});
      const auto library = std::filesystem::path(RIFA_PLUGIN_DIR) / ("liblottery_" + std::string(id) + ".so");
      auto added = plugins_->add({id, library, RIFA_KIND_LOTTERY, json::object()}, services);
      ASSERT_TRUE(added.ok()) << added.error().message;
    }
    options.plugins = plugins_.get();
    options.lottery_instances = {"mock", "bogota", "baloto"};
  }

  json rifa_body(const std::string& loteria, const json& overrides) {
    if (categoria_id_.empty()) categoria_id_ = create_categoria("Oro");
    json body = {{"nombre", "Rifa"},
                 {"categoria_id", categoria_id_},
                 {"loteria_id", loteria},
                 {"fecha_inicio", engine::format_iso_time(clock_.now() - hours(1))},
                 {"fecha_fin", engine::format_iso_time(clock_.now() + hours(1))}};
    body.update(overrides);
    return body;
  }
  ApiReply post_rifa(const std::string& loteria, const json& overrides) {
    return call("POST", "/api/v1/rifas", rifa_body(loteria, overrides), admin_.token);
  }
  ApiReply patch(const std::string& path, const json& body) { return call("PATCH", path, body, admin_.token); }
  std::string text(const std::string& sql_text) {
    auto lease = test_db_->db().lease();
    std::string out;
    lease.session() << sql_text, soci::into(out);
    return out;
  }

  std::unique_ptr<plugin_runtime::PluginRegistry> plugins_;
};

std::vector<std::string> dates_of(const ApiReply& reply) {
  std::vector<std::string> dates;
  for (const auto& item : reply.json().value("items", json::array())) dates.push_back(item.value("fecha", ""));
  return dates;
}

// Item 13: the host lists (and so checks) draw dates with the plugin's own calendar, not weekdays.
TEST_F(CatalogRulesTest, SorteosComeFromThePluginsOwnCalendar) {
  const std::string bogota = create_loteria("Loteria de Bogota", "bogota");
  // Thursday 25 December 2025 is a holiday: that week's draw moved to Friday the 26th.
  auto christmas = call("GET", "/api/v1/loterias/" + bogota + "/sorteos?desde=2025-12-22&hasta=2025-12-28");
  ASSERT_EQ(christmas.status, 200) << christmas.body;
  EXPECT_EQ(dates_of(christmas), std::vector<std::string>{"2025-12-26"});
  const json first = christmas.json()["items"][0];
  EXPECT_EQ(first["hora"], "22:30");
  EXPECT_EQ(first["zona_horaria"], "America/Bogota");
  EXPECT_EQ(first["instante"], "2025-12-27T03:30:00.000Z");
  EXPECT_EQ(christmas.json()["plugin_instance"], "bogota");

  // Baloto drew Wednesday and Saturday until Monday draws started in June 2025.
  const std::string baloto = create_loteria("Baloto", "baloto");
  auto may = call("GET", "/api/v1/loterias/" + baloto + "/sorteos?desde=2025-05-25&hasta=2025-05-31");
  ASSERT_EQ(may.status, 200) << may.body;
  EXPECT_EQ(dates_of(may), (std::vector<std::string>{"2025-05-28", "2025-05-31"}));
  auto june = call("GET", "/api/v1/loterias/" + baloto + "/sorteos?desde=2025-06-01&hasta=2025-06-07");
  EXPECT_EQ(dates_of(june), (std::vector<std::string>{"2025-06-02", "2025-06-04", "2025-06-07"}));
  EXPECT_EQ(june.json()["items"][0]["hora"], "23:00");
}

TEST_F(CatalogRulesTest, SorteosRangeIsBoundedAndNamed) {
  const std::string bogota = create_loteria("Loteria de Bogota", "bogota");
  const std::string path = "/api/v1/loterias/" + bogota + "/sorteos";
  expect_problem(call("GET", path + "?hasta=2026-01-01"), 422, "desde", "desde: is required (YYYY-MM-DD)");
  expect_problem(call("GET", path + "?desde=2026-01-01"), 422, "hasta", "hasta: is required (YYYY-MM-DD)");
  expect_problem(call("GET", path + "?desde=2026-02-30&hasta=2026-03-01"), 422, "desde",
                 "desde: must be a date as YYYY-MM-DD");
  expect_problem(call("GET", path + "?desde=2026-03-01&hasta=2026-02-01"), 422, "hasta",
                 "hasta: must not be before desde");
  expect_problem(call("GET", path + "?desde=2026-01-01&hasta=2027-01-02"), 422, "hasta",
                 "hasta: must be less than 366 days after desde");
  EXPECT_EQ(call("GET", path + "?desde=2026-01-01&hasta=2027-01-01").status, 200);
  EXPECT_EQ(call("GET", "/api/v1/loterias/nope/sorteos?desde=2026-01-01&hasta=2026-01-02").status, 404);
}

// Item 13 on rifa creation: Holy Thursday 2027 (25 March) has no Bogota draw; the week's draw
// moves past Good Friday to Saturday the 27th. A weekday-only check had it the other way round.
TEST_F(CatalogRulesTest, RifaDrawDateIsCheckedWithTheLotteryCalendar) {
  const std::string bogota = create_loteria("Loteria de Bogota", "bogota");
  const json window = {{"fecha_inicio", "2027-03-01T00:00:00Z"}, {"fecha_fin", "2027-03-20T00:00:00Z"}};
  json holiday = window;
  holiday["fecha_sorteo"] = "2027-03-25";
  expect_problem(post_rifa(bogota, holiday), 422, "fecha_sorteo");
  json moved = window;
  moved["fecha_sorteo"] = "2027-03-27";
  auto created = post_rifa(bogota, moved);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json()["fecha_sorteo"], "2027-03-27");
  // Without a date the first draw after fecha_fin is taken: Thursday 25 March is skipped.
  auto defaulted = post_rifa(bogota, {{"fecha_inicio", "2027-03-01T00:00:00Z"}, {"fecha_fin", "2027-03-22T00:00:00Z"}});
  ASSERT_EQ(defaulted.status, 201) << defaulted.body;
  EXPECT_EQ(defaulted.json()["fecha_sorteo"], "2027-03-27");
}

// Item 1: fecha_fin is compared with the draw's instant, not its date.
TEST_F(CatalogRulesTest, SalesMustEndBeforeTheDrawInstant) {
  const std::string bogota = create_loteria("Loteria de Bogota", "bogota");
  // Thursday 2027-04-01: the draw is at 22:30 Bogota = 03:30Z on the 2nd.
  expect_problem(post_rifa(bogota, {{"fecha_inicio", "2027-03-01T00:00:00Z"},
                                    {"fecha_fin", "2027-04-02T03:30:00Z"},
                                    {"fecha_sorteo", "2027-04-01"}}),
                 422, "fecha_fin",
                 "fecha_fin: sales must end before the draw of fecha_sorteo 2027-04-01 at 2027-04-02T03:30:00.000Z: "
                 "the result may be public from then on");
  auto ok = post_rifa(bogota, {{"fecha_inicio", "2027-03-01T00:00:00Z"},
                               {"fecha_fin", "2027-04-02T03:29:00Z"},
                               {"fecha_sorteo", "2027-04-01"}});
  ASSERT_EQ(ok.status, 201) << ok.body;
  // An edit of a pendiente rifa is held to the same rule.
  const std::string path = "/api/v1/rifas/" + ok.json()["id"].get<std::string>();
  expect_problem(patch(path, {{"fecha_fin", "2027-04-02T04:00:00Z"}, {"fecha_sorteo", "2027-04-01"}}), 422,
                 "fecha_fin");
  // Without fecha_sorteo the draw moves to the next one after the new fecha_fin.
  auto moved = patch(path, {{"fecha_fin", "2027-04-02T04:00:00Z"}});
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(moved.json()["fecha_sorteo"], "2027-04-08");
}

// Item 1: a rifa whose sales are over cannot be created or activated.
TEST_F(CatalogRulesTest, FechaFinInThePastIsRefusedAtCreationAndActivation) {
  const std::string mock = create_loteria("Mock", "mock");
  expect_problem(post_rifa(mock, {{"fecha_inicio", engine::format_iso_time(clock_.now() - hours(3))},
                                  {"fecha_fin", engine::format_iso_time(clock_.now() - hours(1))}}),
                 422, "fecha_fin", "fecha_fin: must be in the future (sales would already be over)");
  auto created = post_rifa(mock, {{"fecha_fin", engine::format_iso_time(clock_.now() + minutes(30))}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string path = "/api/v1/rifas/" + created.json()["id"].get<std::string>();
  clock_.advance(minutes(45));  // within the admin's token lifetime
  expect_problem(patch(path, {{"estado", "activa"}}), 409, "fecha_fin");
  EXPECT_EQ(call("GET", path).json()["estado"], "pendiente");
  // Moving fecha_fin into the past is refused too.
  expect_problem(patch(path, {{"fecha_fin", engine::format_iso_time(clock_.now() - minutes(1))}}), 422, "fecha_fin");
}

// Item 1: once activa, the draw inputs are the commitment: no moving the close or the draw.
TEST_F(CatalogRulesTest, DrawInputsAreFrozenAtActivation) {
  const std::string mock = create_loteria("Mock", "mock");
  const std::string other = create_loteria("Mock 2", "mock");
  auto created = post_rifa(mock, {{"fecha_fin", engine::format_iso_time(clock_.now() + hours(2))}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string path = "/api/v1/rifas/" + created.json()["id"].get<std::string>();
  ASSERT_EQ(patch(path, {{"estado", "activa"}}).status, 200);
  expect_problem(patch(path, {{"fecha_fin", engine::format_iso_time(clock_.now() + hours(3))}}), 409, "fecha_fin");
  const std::string later = engine::format_iso_time(clock_.now() + hours(24 * 5)).substr(0, 10);
  expect_problem(patch(path, {{"fecha_sorteo", later}}), 409, "fecha_sorteo");
  expect_problem(patch(path, {{"loteria_id", other}}), 409, "loteria_id");
  EXPECT_EQ(patch(path, {{"nombre", "Renamed"}}).status, 200);
}

// A RifaRepository that lets "another writer" commit right after the service read the rifa: the
// interleaving of a PATCH with a concurrent close, made deterministic.
class RacingRifas final : public engine::RifaRepository {
 public:
  RacingRifas(engine::RifaRepository& inner, std::function<void()> after_read)
      : inner_(inner), after_read_(std::move(after_read)) {}
  Result<void> create(const engine::Rifa& r, int64_t precio, const engine::AuditEntry& a) override {
    return inner_.create(r, precio, a);
  }
  Result<std::optional<engine::RifaView>> find(const std::string& id) override {
    auto found = inner_.find(id);
    if (after_read_) std::exchange(after_read_, nullptr)();
    return found;
  }
  Result<engine::Page<engine::RifaView>> list(const engine::RifaFilter& f, const engine::PageRequest& p) override {
    return inner_.list(f, p);
  }
  Result<engine::RifaChangeOutcome> apply(const engine::RifaChange& change) override { return inner_.apply(change); }

 private:
  engine::RifaRepository& inner_;
  std::function<void()> after_read_;
};

// Item 10: a PATCH that read the rifa before a concurrent close must not reopen it, and a PATCH
// writes only the columns it changes.
TEST_F(CatalogRulesTest, PatchIsCompareAndSetOnEstadoAndWritesOnlyChangedColumns) {
  const std::string mock = create_loteria("Mock", "mock");
  auto created = post_rifa(mock, {{"fecha_fin", engine::format_iso_time(clock_.now() + hours(2))}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = created.json()["id"];
  ASSERT_EQ(patch("/api/v1/rifas/" + id, {{"estado", "activa"}}).status, 200);

  storage::SqlCategoriaRepository categorias(test_db_->db(), clock_);
  storage::SqlLoteriaRepository loterias(test_db_->db(), clock_);
  storage::SqlRifaRepository sql_rifas(test_db_->db(), clock_);
  engine::RandomIdGenerator ids;
  const engine::Actor admin{admin_.id, engine::Rol::kAdmin};

  // A close commits between the PATCH's read and its write.
  RacingRifas closing(sql_rifas, [&] { exec("UPDATE rifas SET estado = 'cerrada' WHERE id = '" + id + "'"); });
  engine::RifaService racing(closing, categorias, loterias, clock_, ids);
  engine::RifaPatch rename;
  rename.nombre = "Renamed";
  auto stale = racing.update(admin, id, rename);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_EQ(stale.error().message,
            "estado: the rifa is now cerrada (it was activa when this change was read): read it again and retry");
  EXPECT_EQ(text("SELECT estado FROM rifas WHERE id = '" + id + "'"), "cerrada");
  EXPECT_EQ(text("SELECT nombre FROM rifas WHERE id = '" + id + "'"), "Rifa");

  // A cancel that read activa cannot cancel the rifa that was closed meanwhile either.
  exec("UPDATE rifas SET estado = 'activa' WHERE id = '" + id + "'");
  RacingRifas closing_again(sql_rifas, [&] { exec("UPDATE rifas SET estado = 'cerrada' WHERE id = '" + id + "'"); });
  engine::RifaService cancelling(closing_again, categorias, loterias, clock_, ids);
  engine::RifaPatch cancel;
  cancel.estado = engine::RifaEstado::kCancelada;
  EXPECT_EQ(cancelling.update(admin, id, cancel).error().code, ErrorCode::kConflict);
  EXPECT_EQ(text("SELECT estado FROM rifas WHERE id = '" + id + "'"), "cerrada");

  // Another writer renames the rifa meanwhile: a PATCH of fecha_inicio keeps that name.
  exec("UPDATE rifas SET estado = 'activa' WHERE id = '" + id + "'");
  RacingRifas renaming(sql_rifas, [&] { exec("UPDATE rifas SET nombre = 'Other writer' WHERE id = '" + id + "'"); });
  engine::RifaService writer(renaming, categorias, loterias, clock_, ids);
  engine::RifaPatch inicio;
  inicio.fecha_inicio = clock_.now() - hours(2);
  ASSERT_TRUE(writer.update(admin, id, inicio).ok());
  EXPECT_EQ(text("SELECT nombre FROM rifas WHERE id = '" + id + "'"), "Other writer");
  EXPECT_EQ(text("SELECT estado FROM rifas WHERE id = '" + id + "'"), "activa");
}

// Item 12: plugin_instance and meta decide a draw; they stay while a live rifa uses the loteria.
TEST_F(CatalogRulesTest, LoteriaDrawFieldsAreLockedWhileALiveRifaUsesIt) {
  const std::string mock = create_loteria("Mock", "mock");
  const std::string path = "/api/v1/loterias/" + mock;
  EXPECT_EQ(patch(path, {{"meta", {{"cifras", 4}}}}).status, 200) << "no rifa uses it yet";
  auto created = post_rifa(mock, {{"fecha_fin", engine::format_iso_time(clock_.now() + hours(2))}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string rifa = "/api/v1/rifas/" + created.json()["id"].get<std::string>();

  // pendiente, then activa: both are live.
  for (const char* estado : {"pendiente", "activa"}) {
    if (std::string(estado) == "activa") { ASSERT_EQ(patch(rifa, {{"estado", "activa"}}).status, 200); }
    expect_problem(patch(path, {{"plugin_instance", "bogota"}}), 409, "plugin_instance",
                   "plugin_instance: cannot change while 1 rifa(s) that are not resolved or cancelled use this "
                   "loteria: it decides their draw");
    expect_problem(patch(path, {{"meta", {{"cifras", 3}}}}), 409, "meta");
  }
  auto renamed = patch(path, {{"nombre", "Mock renombrada"}, {"meta", {{"cifras", 4}}}});
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(call("GET", path).json()["plugin_instance"], "mock");

  ASSERT_EQ(patch(rifa, {{"estado", "cancelada"}}).status, 200);
  auto repointed = patch(path, {{"plugin_instance", "bogota"}});
  ASSERT_EQ(repointed.status, 200) << repointed.body;
  EXPECT_EQ(repointed.json()["plugin_instance"], "bogota");
}

// Item 12: every loteria and categoria write is in the audit log, with the actor and the change.
TEST_F(CatalogRulesTest, CatalogWritesAreAudited) {
  const std::string categoria = create_categoria("Plata");
  const std::string loteria = create_loteria("Mock", "mock");
  ASSERT_EQ(patch("/api/v1/loterias/" + loteria, {{"plugin_instance", "bogota"}}).status, 200);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'categoria.created' AND entity = 'categoria_rifa' "
                  "AND entity_id = '" +
                  categoria + "' AND actor = '" + admin_.id + "'"),
            1);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'loteria.created' AND entity_id = '" + loteria + "'"),
            1);
  const json change = json::parse(
      text("SELECT data FROM audit_log WHERE action = 'loteria.updated' AND entity_id = '" + loteria + "'"));
  EXPECT_EQ(change, (json{{"plugin_instance", {{"from", "mock"}, {"to", "bogota"}}}}));
  // A PATCH that changes nothing writes nothing.
  ASSERT_EQ(patch("/api/v1/loterias/" + loteria, {{"plugin_instance", "bogota"}}).status, 200);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'loteria.updated'"), 1);
}

}  // namespace
}  // namespace rifa::testing
