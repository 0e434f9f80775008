#include "civil_date.hpp"

#include "rifa/sdk/time.hpp"

// The mock's day numbers over the SDK's civil-date helpers (rifa/sdk/time.hpp).
namespace rifa::plugins::mock {

std::optional<CivilDate> parse_iso_date(const std::string& text) {
  auto date = sdk::parse_iso_date(text);
  if (!date) return std::nullopt;
  return CivilDate{sdk::to_days(*date)};
}

std::string to_iso(CivilDate date) { return sdk::format_iso(sdk::civil_from_days(date.days_since_epoch)); }

std::optional<int> parse_hh_mm(const std::string& text) { return sdk::parse_hh_mm(text); }

}  // namespace rifa::plugins::mock
