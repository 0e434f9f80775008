#include "engine/report_service.hpp"

#include <chrono>
#include <cstdio>

#include "engine/validation.hpp"

namespace rifa::engine {
namespace {

// "YYYY-MM-DD" that is a real calendar date → days since the epoch.
std::optional<std::chrono::sys_days> parse_day(const std::string& text) {
  int y = 0;
  unsigned m = 0, d = 0;
  char tail = 0;
  if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days(ymd);
}

// The fund is floored and the rake takes the rounding, as settlement/prize_rules does it.
int64_t rake_of(int64_t ventas, int32_t rake_bp) {
  const int64_t fondo = ventas / 10000 * (10000 - rake_bp) + ventas % 10000 * (10000 - rake_bp) / 10000;
  return ventas - fondo;
}

void add(IncomeReport& report, const DailyAmount& row, int64_t IncomeTotals::*member, int64_t cents) {
  report.totals.*member += cents;
  report.by_day[row.day].*member += cents;
  auto& categoria = report.by_categoria[row.rifa.categoria_id];
  categoria.first = RifaKey{"", "", row.rifa.categoria_id, row.rifa.categoria_nombre};
  categoria.second.*member += cents;
  auto& rifa = report.by_rifa[row.rifa.rifa_id];
  rifa.first = row.rifa;
  rifa.second.*member += cents;
}

}  // namespace

namespace {

Result<void> check_range(const Actor& actor, const std::string& desde, const std::string& hasta) {
  if (!actor.is_admin()) return make_error(ErrorCode::kPermissionDenied, "reports require the admin role");
  const auto from = parse_day(desde);
  if (!from) return invalid_field("desde", "must be a date YYYY-MM-DD");
  const auto to = parse_day(hasta);
  if (!to) return invalid_field("hasta", "must be a date YYYY-MM-DD");
  if (*to < *from) return invalid_field("hasta", "must not be before desde");
  if ((*to - *from).count() + 1 > ReportService::kMaxRangeDays) {
    return invalid_field("hasta", "the range is at most " + std::to_string(ReportService::kMaxRangeDays) + " days");
  }
  return {};
}

}  // namespace

Result<WithholdingReport> ReportService::withholdings(const Actor& actor, const std::string& desde,
                                                      const std::string& hasta) {
  if (auto ok = check_range(actor, desde, hasta); !ok) return ok.error();
  auto rows = repository_.withholdings(DayRange{desde, hasta});
  if (!rows) return rows.error();
  WithholdingReport report;
  report.range = DayRange{desde, hasta};
  report.rows = std::move(*rows);
  for (const auto& row : report.rows) {
    report.totals.bruto += row.bruto;
    report.totals.retencion += row.retencion;
    report.totals.neto += row.neto;
    ++report.totals.ganadores;
  }
  return report;
}

Result<IncomeReport> ReportService::income(const Actor& actor, const std::string& desde, const std::string& hasta) {
  if (auto ok = check_range(actor, desde, hasta); !ok) return ok.error();
  auto rows = repository_.income(DayRange{desde, hasta});
  if (!rows) return rows.error();
  IncomeReport report;
  report.range = DayRange{desde, hasta};
  for (const auto& row : rows->sales) {
    const int64_t rake = rake_of(row.cents, row.rake_bp);
    add(report, row, &IncomeTotals::ventas, row.cents);
    add(report, row, &IncomeTotals::rake, rake);
    add(report, row, &IncomeTotals::fondo_premios, row.cents - rake);
  }
  for (const auto& row : rows->prizes) add(report, row, &IncomeTotals::premios, row.cents);
  for (const auto& row : rows->refunds) add(report, row, &IncomeTotals::reembolsos, row.cents);
  return report;
}

Result<ParticipationReport> ReportService::participation(const Actor& actor, const std::string& rifa_id) {
  if (!actor.is_admin()) return make_error(ErrorCode::kPermissionDenied, "reports require the admin role");
  auto found = repository_.participation(rifa_id);
  if (!found) return found.error();
  if (!*found) return make_error(ErrorCode::kNotFound, "rifa " + rifa_id + " does not exist");
  return std::move(**found);
}

}  // namespace rifa::engine
