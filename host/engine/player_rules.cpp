#include "engine/player_rules.hpp"

#include <cctype>
#include <cstdio>

#include "common/error_status.hpp"
#include "engine/iso_time.hpp"
#include "engine/validation.hpp"

namespace rifa::engine {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

year_month_day ymd(const CivilDate& d) {
  return year_month_day{std::chrono::year{d.year}, std::chrono::month{d.month}, std::chrono::day{d.day}};
}
CivilDate civil(const year_month_day& d) {
  return CivilDate{static_cast<int>(d.year()), static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day())};
}
// The UTC instant of 00:00 in Bogotá on `day`.
TimePoint bogota_midnight(sys_days day) { return TimePoint(day) - kBogotaOffset; }
sys_days bogota_day(TimePoint t) { return std::chrono::floor<days>(t + kBogotaOffset); }

bool all_digits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// `months` calendar months after `from`, on the Bogotá calendar at the same time of day; a day past
// the end of the target month is clamped to its last day.
TimePoint add_months(TimePoint from, int months) {
  const sys_days day = bogota_day(from);
  const auto time_of_day = (from + kBogotaOffset) - TimePoint(day);
  year_month_day d{day};
  year_month_day target = d + std::chrono::months{months};
  if (!target.ok()) target = target.year() / target.month() / std::chrono::last;
  return TimePoint(sys_days{target}) + time_of_day - kBogotaOffset;
}

std::optional<int64_t> cents(const nlohmann::json& doc, const char* name) {
  if (!doc.is_object() || !doc.contains(name) || !doc[name].is_number_integer()) return std::nullopt;
  return doc[name].get<int64_t>();
}

}  // namespace

std::optional<CivilDate> parse_civil_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  if (!all_digits(text.substr(0, 4)) || !all_digits(text.substr(5, 2)) || !all_digits(text.substr(8, 2))) {
    return std::nullopt;
  }
  CivilDate d{std::stoi(std::string(text.substr(0, 4))),
              static_cast<unsigned>(std::stoi(std::string(text.substr(5, 2)))),
              static_cast<unsigned>(std::stoi(std::string(text.substr(8, 2))))};
  if (!ymd(d).ok()) return std::nullopt;
  return d;
}

std::string format_civil_date(const CivilDate& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", d.year, d.month, d.day);
  return buf;
}

CivilDate bogota_date(TimePoint t) { return civil(year_month_day{bogota_day(t)}); }

int age_on(const CivilDate& birth, const CivilDate& today) {
  int years = today.year - birth.year;
  if (CivilDate{today.year, birth.month, birth.day} > today) --years;
  return years;
}

Result<CivilDate> check_birth_date(std::string_view text, TimePoint now, std::string_view field) {
  auto date = parse_civil_date(text);
  if (!date) return invalid_field(field, "must be a date YYYY-MM-DD");
  const CivilDate today = bogota_date(now);
  if (*date > today) return invalid_field(field, "must not be in the future");
  if (date->year < 1900) return invalid_field(field, "must be 1900-01-01 or later");
  if (age_on(*date, today) < kAdultAge) {
    return invalid_field(field, "players must be at least 18 years old (Ley 643 de 2001); on " +
                                    format_civil_date(today) + " (America/Bogota) this birth date is under 18");
  }
  return *date;
}

Result<std::string> check_document(std::string_view tipo, std::string_view numero) {
  std::string n;
  for (char c : numero) {
    if (c == ' ' || c == '.' || c == '-') continue;  // 1.234.567 and 1 234 567 are the same cédula
    n.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  if (tipo == "TI") {
    return invalid_field("documento_tipo",
                         "a tarjeta de identidad is a minor's document (it is not valid from 18 on): register with "
                         "your cédula (CC), cédula de extranjería (CE) or passport (PP)");
  }
  if (tipo == "CC" || tipo == "CE") {
    if (!all_digits(n) || n.size() < 5 || n.size() > 10)
      return invalid_field("documento_numero", "must be 5 to 10 digits");
    return n;
  }
  if (tipo == "PP") {
    bool ok = n.size() >= 5 && n.size() <= 20;
    for (char c : n) ok = ok && (std::isdigit(static_cast<unsigned char>(c)) || (c >= 'A' && c <= 'Z'));
    if (!ok) return invalid_field("documento_numero", "must be 5 to 20 letters or digits");
    return n;
  }
  return invalid_field("documento_tipo", "must be one of CC, CE, PP, TI");
}

Result<std::string> check_player_document(std::string_view tipo, std::string_view numero,
                                          const std::optional<CivilDate>& birth, TimePoint now) {
  if (tipo != "TI") return check_document(tipo, numero);
  if (!birth || age_on(*birth, bogota_date(now)) < kAdultAge) {
    return invalid_field("documento_tipo",
                         "a tarjeta de identidad is accepted only from an adult: give fecha_nacimiento (18 or more "
                         "on the Bogotá calendar) with it, or register with your cédula (CC), cédula de extranjería "
                         "(CE) or passport (PP)");
  }
  std::string n;
  for (char c : numero) {
    if (c != ' ' && c != '.' && c != '-') n.push_back(c);
  }
  if (!all_digits(n) || n.size() < 10 || n.size() > 11)
    return invalid_field("documento_numero", "must be 10 or 11 digits");
  return n;
}

bool is_exclusion_period(std::string_view periodo) {
  for (const char* p : kExclusionPeriods) {
    if (periodo == p) return true;
  }
  return false;
}

std::optional<TimePoint> exclusion_end(std::string_view periodo, TimePoint from) {
  if (periodo == "30d") return from + days(30);
  if (periodo == "6m") return add_months(from, 6);
  if (periodo == "1y") return add_months(from, 12);
  return std::nullopt;
}

// Not 9999: system_clock's nanosecond time points end in 2262.
TimePoint indefinite_exclusion_end() { return TimePoint(sys_days{std::chrono::year{2199} / 12 / 31}); }

nlohmann::json limits_json(const SpendingLimits& l) {
  const auto value = [](const std::optional<int64_t>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  return {{"diario", value(l.diario)}, {"semanal", value(l.semanal)}, {"mensual", value(l.mensual)}};
}

SpendingLimits parse_limits(const nlohmann::json& doc) {
  return SpendingLimits{cents(doc, "diario"), cents(doc, "semanal"), cents(doc, "mensual")};
}

std::optional<PendingLimits> parse_pending_limits(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  const nlohmann::json doc = nlohmann::json::parse(*text, nullptr, false);
  if (!doc.is_object() || !doc.contains("desde") || !doc["desde"].is_string()) return std::nullopt;
  auto desde = parse_iso_time(doc["desde"].get<std::string>(), "desde");
  if (!desde) return std::nullopt;
  return PendingLimits{parse_limits(doc.value("limites", nlohmann::json::object())), *desde};
}

std::string pending_limits_text(const PendingLimits& p) {
  return nlohmann::json{{"limites", limits_json(p.limites)}, {"desde", format_iso_time(p.desde)}}.dump();
}

SpendingLimits effective_limits(const std::optional<std::string>& limites, const std::optional<std::string>& pendientes,
                                TimePoint now) {
  if (auto pending = parse_pending_limits(pendientes); pending && pending->desde <= now) return pending->limites;
  if (!limites) return {};
  return parse_limits(nlohmann::json::parse(*limites, nullptr, false));
}

SpendingWindows spending_windows(TimePoint now) {
  const sys_days today = bogota_day(now);
  const std::chrono::weekday wd{today};
  const sys_days monday = today - (wd - std::chrono::Monday);
  const year_month_day d{today};
  const sys_days first = sys_days{d.year() / d.month() / 1};
  return SpendingWindows{bogota_midnight(today), bogota_midnight(monday), bogota_midnight(first)};
}

Result<void> check_limits(const SpendingLimits& limits, const Spent& spent, int64_t amount) {
  const auto over = [amount](const char* name, const char* period, int64_t limit, int64_t total) -> Result<void> {
    if (total <= limit) return {};
    const int64_t before = total - amount;
    const int64_t remaining = limit > before ? limit - before : 0;
    Error e = make_error(ErrorCode::kPermissionDenied,
                         std::string("limite ") + name + " of " + std::to_string(limit) + " cents (" + period +
                             ", America/Bogota): " + std::to_string(before) + " already spent, " +
                             std::to_string(remaining) + " remaining; this purchase costs " + std::to_string(amount));
    e.field = std::string(kSpendingLimitFieldPrefix) + name;
    return e;
  };
  if (limits.diario) {
    if (auto ok = over("diario", "this calendar day", *limits.diario, spent.day); !ok) return ok;
  }
  if (limits.semanal) {
    if (auto ok = over("semanal", "this week, from Monday", *limits.semanal, spent.week); !ok) return ok;
  }
  if (limits.mensual) {
    if (auto ok = over("mensual", "this calendar month", *limits.mensual, spent.month); !ok) return ok;
  }
  return {};
}

}  // namespace rifa::engine
