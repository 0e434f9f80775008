#pragma once
// Colombian Spanish (es-CO) formats for the mails: money and dates as a reader in Colombia writes them.

#include <cstdint>
#include <optional>
#include <string>

namespace rifa::plugins::email {

// COP from integer cents: "$ 12.500" (1250000), "$ 1.234.567,50" when there are cents,
// "-$ 12.500" below zero.
std::string format_cop(int64_t cents);

// "lunes 7 de diciembre de 2026": the day of an ISO-8601 UTC instant ("2026-12-07T23:00:00.000Z")
// in America/Bogota (UTC-5, no daylight saving); nullopt when it does not parse.
std::optional<std::string> format_fecha(const std::string& iso_utc);

}  // namespace rifa::plugins::email
