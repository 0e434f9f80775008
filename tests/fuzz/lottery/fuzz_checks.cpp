#include "fuzz_checks.hpp"

#include "rifa/lottery/baloto/draw_page_parser.hpp"
#include "rifa/lottery/baloto/listing_parser.hpp"
#include "rifa/lottery/baloto/resultadobaloto_parser.hpp"
#include "rifa/lottery/bogota/bogota_rules.hpp"
#include "rifa/lottery/bogota/results_page_parser.hpp"
#include "rifa/lottery/sha256.hpp"
#include "rifa/lottery/spanish_date.hpp"
#include "rifa/lottery/valle/home_page_parser.hpp"
#include "rifa/lottery/valle/json_parser.hpp"
#include "rifa/lottery/valle/valle_rules.hpp"

namespace rifa::lottery::fuzz {
namespace {

const baloto::BalotoConfig& baloto_config() {
  static const baloto::BalotoConfig kConfig = baloto::default_baloto_config();
  return kConfig;
}
const BilleteRules& bogota_rules() {
  static const BilleteRules kRules = bogota::default_bogota_rules();
  return kRules;
}
const BilleteRules& valle_rules() {
  static const BilleteRules kRules = valle::default_valle_rules();
  return kRules;
}

}  // namespace

Outcome run(Target target, std::string_view body, const std::string& date_iso) {
  const PageRequest request{*parse_iso_date(date_iso), "https://fuzz.invalid/"};
  switch (target) {
    case Target::kBalotoListing:
      return baloto::parse_baloto_listing(body, request, baloto::Juego::kBaloto, baloto_config());
    case Target::kBalotoDrawPage:
      return baloto::parse_baloto_draw_page(body, request, baloto::Juego::kBaloto, baloto_config());
    case Target::kBogotaResults: return bogota::parse_bogota_results(body, request, bogota_rules());
    case Target::kValleTablaNormal: return valle::parse_valle_tabla_normal(body, request, valle_rules());
    case Target::kValleHome: return valle::parse_valle_home(body, request, valle_rules());
    case Target::kResultadobaloto:
      return baloto::parse_resultadobaloto_year(body, request, baloto::Juego::kBaloto, baloto_config());
  }
  return Outcome::parse_error("unknown target");
}

std::string check_invariants(Target target, std::string_view body, const std::string& date_iso,
                             const Outcome& outcome) {
  const Date date = *parse_iso_date(date_iso);
  if (!outcome.is_ok()) {
    if (outcome.message().empty()) return "a failure without a message";
    const bool named = outcome.message().rfind("baloto", 0) == 0 || outcome.message().rfind("bogota", 0) == 0 ||
                       outcome.message().rfind("valle", 0) == 0 || outcome.message().rfind("resultadobaloto", 0) == 0;
    if (!named) return "message does not name the lottery: " + outcome.message();
    return {};
  }
  const DrawResult& draw = outcome.draw();
  if (draw.date != date_iso) return "Ok result dated " + draw.date;
  if (draw.raw_sha256 != sha256_hex(body)) return "Ok result with the wrong body hash";
  Outcome again = Outcome::parse_error("unchecked");
  switch (target) {
    case Target::kBalotoListing:
    case Target::kBalotoDrawPage:
    case Target::kResultadobaloto:
      again = baloto::validate_baloto_draw(draw, date, baloto::Juego::kBaloto, baloto_config());
      break;
    case Target::kBogotaResults: again = validate_billete_draw(draw, date, bogota_rules()); break;
    case Target::kValleTablaNormal:
    case Target::kValleHome: again = validate_billete_draw(draw, date, valle_rules()); break;
  }
  if (!again.is_ok()) return "Ok result fails its validator: " + again.message();
  return {};
}

}  // namespace rifa::lottery::fuzz
