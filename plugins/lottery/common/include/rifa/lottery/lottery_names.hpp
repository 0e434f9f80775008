#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <libxml/tree.h>

#include "rifa/lottery/html_document.hpp"

// Which Colombian lotteries a block of a page names. A results page can carry another lottery's
// prize block under its own header (simultaneous draws, "otras loterías", a tampered mirror), so a
// parser accepts a block only when the block itself names its lottery and no other one.
namespace rifa::lottery {

inline constexpr std::string_view kLoteriaDeBogota = "Lotería de Bogotá";
inline constexpr std::string_view kLoteriaDelValle = "Lotería del Valle";

/// The lotteries named inside `block` — its visible text and the alt, title, aria-label, class and
/// id attributes of every element in it, plus img file names — as canonical names ("Lotería de
/// Bogotá"), each once, in the order of a fixed table. Matching ignores case and accents and needs
/// whole words ("bogotá" names Bogotá, "bogotano" does not).
std::vector<std::string> lotteries_named(const xmlNode* block);

/// "Lotería de Manizales and Lotería del Meta" — for messages.
std::string joined_names(const std::vector<std::string>& names);

}  // namespace rifa::lottery
