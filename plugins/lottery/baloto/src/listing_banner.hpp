#pragma once

#include <optional>

#include "rifa/lottery/baloto/baloto_rules.hpp"
#include "rifa/lottery/draw_result.hpp"
#include "rifa/lottery/html_document.hpp"
#include "rifa/lottery/outcome.hpp"

namespace rifa::lottery::baloto::detail {

/// The listing's banner (#container-banner-results) repeats the newest night: "Resultado sorteo
/// #2599", the date, then Baloto's and Revancha's balls, each under its own logo
/// (que-es-baloto/baloto.png, revancha.png). A table row says which game it is only by its own
/// image and link, so a row whose balls were swapped with the other game's reads as a believable
/// draw; the banner, identified by its logos and not by position, is the page's second witness.
///
/// `draw` is what the table row for `juego` gave. Returns nullopt when the banner agrees, or
/// when there is no banner or it shows another night (nothing to compare). Otherwise:
///   ParseError      — the banner shows that night but no block in it carries `juego`'s logo
///                     alone (identification missing or ambiguous), or its balls are unreadable.
///   NotPublished    — the banner's balls for `juego` are still placeholders.
///   ValidationError — the banner's sorteo or balls for `juego` differ from the row's.
std::optional<Outcome> check_listing_banner(const HtmlDocument& doc, const DrawResult& draw, Juego juego);

}  // namespace rifa::lottery::baloto::detail
