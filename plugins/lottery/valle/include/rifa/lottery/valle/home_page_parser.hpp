#pragma once

#include <string_view>

#include "rifa/lottery/outcome.hpp"
#include "rifa/lottery/page_request.hpp"
#include "rifa/lottery/weekly_validation.hpp"

namespace rifa::lottery::valle {

/// Reads the static home page https://loteriadelvalle.com (fallback when the JSON endpoint fails),
/// which shows the latest draw as text blocks: "Sorteo 4864" / "Septiembre 02 2026" /
/// "PREMIO MAYOR" / "Número" / 9 / 1 / 6 / 4 / "Serie" / 1 / 1 / 3 — each digit its own block.
/// Only the blocks after "PREMIO MAYOR" count, so other numbers on the page are ignored.
///   NotPublished — the page still shows an older draw, or the digits are placeholders.
///   ParseError   — a label is missing (named in the message) or the digits are unreadable.
///   ValidationError — the page shows a later draw, or validate_billete_draw refused it.
Outcome parse_valle_home(std::string_view body, const PageRequest& request, const BilleteRules& rules);

}  // namespace rifa::lottery::valle
