#include "rifa/lottery/weekly_validation.hpp"

#include "rifa/lottery/digits.hpp"
#include "rifa/lottery/spanish_date.hpp"

namespace rifa::lottery {

std::string describe(const SorteoRange& range) {
  if (range.min == range.max) return std::to_string(range.min);
  return std::to_string(range.min) + "–" + std::to_string(range.max);
}

std::string check_sorteo(const std::string& sorteo_text, const Date& date, const DrawSchedule& schedule) {
  const auto sorteo = parse_small_int(sorteo_text);
  if (!sorteo) return "sorteo '" + sorteo_text + "' is not a number";
  const auto range = schedule.expected_sorteo(date);
  if (!range) return format_iso(date) + " is not a draw day";
  if (!range->contains(*sorteo)) {
    return "sorteo " + sorteo_text + " does not fit the draw calendar for " + format_iso(date) + " (expected " +
           describe(*range) + ")";
  }
  return {};
}

Outcome validate_billete_draw(const DrawResult& draw, const Date& requested, const BilleteRules& rules) {
  const std::string prefix = rules.lottery + ": ";
  auto fail = [&](const std::string& message) { return Outcome::validation_error(prefix + message); };
  const std::string wanted = format_iso(requested);
  if (draw.date != wanted) return fail("result is dated " + draw.date + ", not " + wanted);
  if (!rules.schedule.is_draw_day(requested)) {
    return fail(wanted + " (" + std::string(spanish_weekday(weekday_of(requested))) + ") is not a draw day");
  }
  if (draw.numbers.size() != 1) { return fail("expected 1 número, got " + std::to_string(draw.numbers.size())); }
  auto serie_ok = [&](const std::string& serie) {
    if (!is_digit_string(serie, 3)) return false;
    const int value = *parse_small_int(serie);
    return value >= rules.serie_min && value <= rules.serie_max;
  };
  const std::string range_text = pad_digits(rules.serie_min, 3) + "–" + pad_digits(rules.serie_max, 3);
  if (!is_digit_string(draw.numbers[0], 4)) { return fail("número '" + draw.numbers[0] + "' is not 4 digits"); }
  if (!draw.series) return fail("serie missing");
  if (!is_digit_string(*draw.series, 3)) return fail("serie '" + *draw.series + "' is not 3 digits");
  if (!serie_ok(*draw.series)) return fail("serie " + *draw.series + " outside " + range_text);
  if (std::string problem = check_sorteo(draw.draw_number, requested, rules.schedule); !problem.empty()) {
    return fail(problem);
  }
  for (std::size_t i = 0; i < draw.secondary.size(); ++i) {
    const auto& seco = draw.secondary[i];
    const std::string which = "seco " + std::to_string(i + 1) + " ";
    if (!is_digit_string(seco.number, 4)) return fail(which + "número '" + seco.number + "' is not 4 digits");
    if (!is_digit_string(seco.series, 3)) return fail(which + "serie '" + seco.series + "' is not 3 digits");
    if (!serie_ok(seco.series)) return fail(which + "serie " + seco.series + " outside " + range_text);
    if (seco.prize_cents < 0) return fail(which + "has a negative prize");
  }
  return Outcome::ok(draw);
}

}  // namespace rifa::lottery
