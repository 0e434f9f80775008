#pragma once

#include "rifa/lottery/weekly_validation.hpp"

namespace rifa::lottery::bogota {

/// Thursday 22:30 America/Bogota; when the Thursday is a holiday the draw moves to another day of
/// that week or is skipped (Holy Week, 1 January). Series 000–499: ordinary draws used 000–449
/// for years, but January 2026 secos carry 450, 451 and 456, so the default leaves room and the
/// range stays configurable. Anchors: the first draw of each year 2014–2022 (open-data CSV),
/// 2535=2020-03-19 and 2536=2020-05-14 around the 2020 suspension, 2668=2022-12-10,
/// 2812=2025-09-18, 2823=2025-12-04, 2826=2025-12-26, 2830=2026-01-22, 2832=2026-02-05.
BilleteRules default_bogota_rules();

}  // namespace rifa::lottery::bogota
