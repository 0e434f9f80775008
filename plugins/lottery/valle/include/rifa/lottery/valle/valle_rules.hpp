#pragma once

#include "rifa/lottery/weekly_validation.hpp"

namespace rifa::lottery::valle {

/// Wednesday 22:30 America/Bogota (moved within the week or skipped when the Wednesday is a
/// holiday); any 3-digit serie (no published range); anchors 4826=2025-12-10, 4831=2026-01-14,
/// 4832=2026-01-21, 4864=2026-09-02.
BilleteRules default_valle_rules();

}  // namespace rifa::lottery::valle
