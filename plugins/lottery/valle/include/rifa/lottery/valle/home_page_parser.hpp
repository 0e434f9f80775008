#pragma once

#include <string_view>

#include "rifa/lottery/outcome.hpp"
#include "rifa/lottery/page_request.hpp"
#include "rifa/lottery/weekly_validation.hpp"

namespace rifa::lottery::valle {

/// Reads the static home page https://loteriadelvalle.com (fallback when the JSON endpoint fails),
/// which shows the latest draw as text blocks: "Sorteo 4864" / "Septiembre 02 2026" /
/// "PREMIO MAYOR" / "Número" / 9 / 1 / 6 / 4 / "Serie" / 1 / 1 / 3 — each digit its own block.
/// The result block is the element around a "PREMIO MAYOR" label that also holds its "Sorteo";
/// the one read is the block that names Lotería del Valle (its text, a logo's alt or file name,
/// a title or class) and no other lottery, wherever it sits on the page. The page's own title,
/// nav and footer do not count: another lottery's block under Valle's header is not Valle's.
///   NotPublished — the page still shows an older draw, or the digits are placeholders.
///   ParseError   — a label is missing (named in the message), the digits are unreadable, or no
///                  single block names Lotería del Valle ("no PREMIO MAYOR block names Lotería
///                  del Valle (found a PREMIO MAYOR block naming Lotería de Manizales): …").
///   ValidationError — the page shows a later draw, or validate_billete_draw refused it.
Outcome parse_valle_home(std::string_view body, const PageRequest& request, const BilleteRules& rules);

}  // namespace rifa::lottery::valle
