#pragma once

#include <string>
#include <string_view>

#include "rifa/lottery/draw_schedule.hpp"
#include "rifa/lottery/outcome.hpp"

namespace rifa::lottery::baloto {

/// Baloto and Revancha are separate draws held the same night with the same sorteo number.
enum class Juego { kBaloto = 1, kRevancha = 2 };

std::string_view to_string(Juego juego);  ///< "Baloto" / "Revancha"

struct BalotoConfig {
  DrawSchedule schedule;
  /// First date of today's game (5 of 1–43 + superbalota 1–16). Older draws were another game
  /// (6 of 45) and are refused rather than validated with the wrong rules.
  Date current_game_since;
};

/// Wed+Sat until 2025-05-31, Mon+Wed+Sat from 2025-06-02, 23:00 America/Bogota, held on holidays;
/// anchors 2081=2021-05-01, 2508=2025-06-02 (first Monday draw), 2599=2025-12-31, 2686=2026-07-22.
BalotoConfig default_baloto_config();

/// Ok(draw) when `draw` is a believable `juego` result of the draw held on `requested`: same
/// date, a draw day, today's game, 5 distinct two-digit balls 01–43, superbalota 01–16, sorteo on
/// the calendar. Otherwise ValidationError naming the first problem.
Outcome validate_baloto_draw(const DrawResult& draw, const Date& requested, Juego juego, const BalotoConfig& config);

}  // namespace rifa::lottery::baloto
