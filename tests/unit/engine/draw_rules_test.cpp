// RifaService's draw rule (issue 11, item 1) against a calendar the test writes: sales end before
// the draw instant, the default draw is the first one after fecha_fin, and an unknown calendar
// is read on the safe side.
#include <gtest/gtest.h>

#include "engine/iso_time.hpp"
#include "engine/rifa_service.hpp"
#include "fakes.hpp"

namespace rifa::engine {
namespace {

using namespace std::chrono;
using testing::CountingIds;
using testing::FixedClock;
using testing::MemoryCategorias;
using testing::MemoryLoterias;
using testing::MemoryRifas;

TimePoint at(const std::string& iso) { return *parse_iso_time(iso, "t"); }

// Draws on Tuesdays and Fridays at 22:30 Bogota (03:30Z the next day), or answers `failure`.
class TwiceAWeek final : public DrawCalendar {
 public:
  Result<std::vector<ScheduledDraw>> draws_between(const std::string& instance, const std::string& from,
                                                   const std::string& to) override {
    ++calls;
    if (failure) return *failure;
    EXPECT_EQ(instance, "lottery");
    std::vector<ScheduledDraw> out;
    for (sys_days d = sys_days{*parse_date(from)}; d <= sys_days{*parse_date(to)}; d += days(1)) {
      const unsigned wd = weekday{d}.c_encoding();
      if (wd != 2 && wd != 5) continue;
      out.push_back({format(d), "22:30", TimePoint(d) + hours(27) + minutes(30)});
    }
    return out;
  }
  static std::optional<year_month_day> parse_date(const std::string& text) {
    int y = 0;
    unsigned m = 0, d = 0;
    if (std::sscanf(text.c_str(), "%d-%u-%u", &y, &m, &d) != 3) return std::nullopt;
    return year_month_day{year{y}, month{m}, day{d}};
  }
  static std::string format(sys_days d) {
    const year_month_day ymd{d};
    char out[16];
    std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    return out;
  }
  std::optional<Error> failure;
  int calls = 0;
};

class DrawRulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    categorias_.items_["cat"] = Categoria{"cat", "Oro", std::nullopt, 5000, 0, 2500, 0, 0, std::nullopt};
    loterias_.items_["lot"] =
        Loteria{"lot", "L", std::nullopt, "semanal", std::nullopt, nlohmann::json::object(), "lottery"};
    clock_.now_ = at("2030-01-01T00:00:00Z");  // a Tuesday
    service_.set_draw_calendar(&calendar_);
  }
  NewRifa input(const std::string& fecha_fin, std::optional<std::string> fecha_sorteo = std::nullopt) {
    NewRifa in;
    in.nombre = "R";
    in.categoria_id = "cat";
    in.loteria_id = "lot";
    in.fecha_inicio = clock_.now_;
    in.fecha_fin = at(fecha_fin);
    in.fecha_sorteo = std::move(fecha_sorteo);
    return in;
  }

  MemoryRifas rifas_;
  MemoryCategorias categorias_;
  MemoryLoterias loterias_;
  FixedClock clock_;
  CountingIds ids_;
  TwiceAWeek calendar_;
  RifaService service_{rifas_, categorias_, loterias_, clock_, ids_};
  const Actor op_{"op", Rol::kOperador};
};

TEST_F(DrawRulesTest, TheDefaultDrawIsTheFirstWhoseInstantIsAfterFechaFin) {
  // Friday 2030-01-04: the draw is at 03:30Z on the 5th.
  EXPECT_EQ(service_.create(op_, input("2030-01-05T03:29:00Z"))->rifa.fecha_sorteo, "2030-01-04");
  // One minute after that draw's instant (still the 4th in Bogota): the next draw, Tuesday the 8th.
  EXPECT_EQ(service_.create(op_, input("2030-01-05T03:31:00Z"))->rifa.fecha_sorteo, "2030-01-08");
}

TEST_F(DrawRulesTest, FechaFinMustBeBeforeTheDrawInstantNotJustItsDate) {
  auto late = service_.create(op_, input("2030-01-05T03:30:00Z", "2030-01-04"));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().message,
            "fecha_fin: sales must end before the draw of fecha_sorteo 2030-01-04 at 2030-01-05T03:30:00.000Z: the "
            "result may be public from then on");
  auto no_draw = service_.create(op_, input("2030-01-02T00:00:00Z", "2030-01-03"));
  ASSERT_FALSE(no_draw.ok());
  EXPECT_EQ(no_draw.error().message,
            "fecha_sorteo: the lottery 'lottery' has no draw on 2030-01-03 (GET /api/v1/loterias/lot/sorteos lists its "
            "draws)");
}

TEST_F(DrawRulesTest, AnUnknownCalendarTakesTheStartOfTheDrawDay) {
  calendar_.failure = make_error(ErrorCode::kUnsupported, "no calendar");
  // Without a draw time the draw is taken to be at 00:00 Bogota: the day after fecha_fin's date.
  EXPECT_EQ(service_.create(op_, input("2030-01-02T00:00:00Z"))->rifa.fecha_sorteo, "2030-01-02");
  auto same_day = service_.create(op_, input("2030-01-02T12:00:00Z", "2030-01-02"));
  ASSERT_FALSE(same_day.ok());
  EXPECT_EQ(field_of(same_day.error()), "fecha_fin");
}

TEST_F(DrawRulesTest, AFailingCalendarRefusesInsteadOfGuessing) {
  calendar_.failure = make_error(ErrorCode::kUnavailable, "lottery 'lottery' could not give its draw calendar");
  auto refused = service_.create(op_, input("2030-01-02T00:00:00Z"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
}

TEST_F(DrawRulesTest, ActivationAfterTheCloseIsRefused) {
  const std::string id = service_.create(op_, input("2030-01-02T00:00:00Z"))->rifa.id;
  clock_.now_ = at("2030-01-02T00:00:00Z");
  RifaPatch open;
  open.estado = RifaEstado::kActiva;
  auto refused = service_.update(op_, id, open);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_EQ(field_of(refused.error()), "fecha_fin");
  EXPECT_EQ(rifas_.rifas_[id].estado, RifaEstado::kPendiente);
}

}  // namespace
}  // namespace rifa::engine
