#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "engine/clock.hpp"

namespace rifa::engine {

// Playing by Colombian rules (issue 15): adults only (Ley 643 de 2001), self-exclusion and spending
// limits. Every calendar question is asked in America/Bogota: UTC−5 all year (Colombia keeps no
// daylight saving time), so the offset is a constant and no time-zone database is needed.
inline constexpr std::chrono::hours kBogotaOffset{-5};
inline constexpr int kAdultAge = 18;

// A calendar date (proleptic Gregorian).
struct CivilDate {
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  friend auto operator<=>(const CivilDate&, const CivilDate&) = default;
};

// "YYYY-MM-DD", a real date; nullopt otherwise.
std::optional<CivilDate> parse_civil_date(std::string_view text);
std::string format_civil_date(const CivilDate& date);
// The Bogotá calendar date at `t` (03:00 UTC is still the previous day there).
CivilDate bogota_date(TimePoint t);
// Whole years from `birth` to `today`. The birthday of someone born on 29 February is 1 March in a
// common year (the date compared is (year + n, 2, 29), reached only on 1 March).
int age_on(const CivilDate& birth, const CivilDate& today);

// fecha_nacimiento as sent: a date, not in the future, not before 1900, and at least 18 years
// before today's Bogotá date. Errors are 422 on `field`.
Result<CivilDate> check_birth_date(std::string_view text, TimePoint now, std::string_view field = "fecha_nacimiento");

// documento_tipo and documento_numero. CC (cédula de ciudadanía): 5 to 10 digits; CE (cédula de
// extranjería): 5 to 10 digits; PP (pasaporte): 5 to 20 letters or digits (upper-cased); TI
// (tarjeta de identidad) is the document of a minor (7 to 17 years; it stops being valid at 18,
// when the holder gets a cédula), so it is recognised and refused: 422 on documento_tipo.
// Answers the number as stored (upper-cased, no spaces).
Result<std::string> check_document(std::string_view tipo, std::string_view numero);

// A player's own document (sign-up, PATCH /users/{id}): as check_document, except that a TI is
// accepted when the holder's `birth` date shows 18 or more on today's Bogotá date (a TI stays in
// the holder's hands for a while after 18, until the cédula is issued); its number is 10 or 11
// digits. Without a birth date, or under 18, TI is 422 on documento_tipo.
Result<std::string> check_player_document(std::string_view tipo, std::string_view numero,
                                          const std::optional<CivilDate>& birth, TimePoint now);

// Self-exclusion periods: 30d, 6m, 1y, indefinida. The end of a fixed one (30 days; 6 and 12
// calendar months on the Bogotá calendar, same time of day); nullopt for indefinida.
inline constexpr const char* kExclusionPeriods[] = {"30d", "6m", "1y", "indefinida"};
bool is_exclusion_period(std::string_view periodo);
std::optional<TimePoint> exclusion_end(std::string_view periodo, TimePoint from);
// Lifting an indefinite exclusion is a request that takes effect this long after it is made.
inline constexpr std::chrono::hours kIndefiniteLiftDelay{24 * 7};
// A raised spending limit takes effect this long after it is asked for; a lowered one at once.
inline constexpr std::chrono::hours kLimitRaiseDelay{24};
// Stored for an indefinite exclusion as users.autoexcluido_hasta (until a lift is requested):
// 2199-12-31T00:00:00Z.
TimePoint indefinite_exclusion_end();

// Spending limits in COP cents per Bogotá calendar period; absent = no limit. What counts as spent:
// the amount of the player's transacciones created in the period and pending or succeeded (a failed
// or refunded payment does not count; a pending one does, so holds cannot be used to overshoot).
struct SpendingLimits {
  std::optional<int64_t> diario;
  std::optional<int64_t> semanal;
  std::optional<int64_t> mensual;
  bool any() const { return diario || semanal || mensual; }
  friend bool operator==(const SpendingLimits&, const SpendingLimits&) = default;
};
nlohmann::json limits_json(const SpendingLimits& limits);
SpendingLimits parse_limits(const nlohmann::json& doc);

// A raise waiting for its 24 hours.
struct PendingLimits {
  SpendingLimits limites;
  TimePoint desde;  // when it takes effect
};
std::optional<PendingLimits> parse_pending_limits(const std::optional<std::string>& text);
std::string pending_limits_text(const PendingLimits& pending);

// The limits in force at `now`: the pending ones once their time has come.
SpendingLimits effective_limits(const std::optional<std::string>& limites, const std::optional<std::string>& pendientes,
                                TimePoint now);

// The starts (UTC instants) of the Bogotá day, week (Monday 00:00) and calendar month holding `now`.
struct SpendingWindows {
  TimePoint day;
  TimePoint week;
  TimePoint month;
  TimePoint earliest() const { return week < month ? week : month; }
};
SpendingWindows spending_windows(TimePoint now);

// What the player spent in each window (the purchase being made included).
struct Spent {
  int64_t day = 0;
  int64_t week = 0;
  int64_t month = 0;
};

// kPermissionDenied on field "limites.<name>" (problem "limite-de-gasto", common/error_status.hpp)
// naming the first limit exceeded, the limit, what was already spent and what remains; or ok.
Result<void> check_limits(const SpendingLimits& limits, const Spent& spent_with_purchase, int64_t purchase_amount);

}  // namespace rifa::engine
