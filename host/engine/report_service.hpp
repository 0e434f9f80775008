#pragma once

#include <string>

#include "common/result.hpp"
#include "engine/actor.hpp"
#include "engine/report.hpp"

namespace rifa::engine {

// GET /admin/reportes/*: admins only.
class ReportService {
 public:
  // Long enough for a year-end report, short enough that by_day stays a page, not a dump.
  static constexpr int kMaxRangeDays = 366;

  explicit ReportService(ReportRepository& repository) : repository_(repository) {}

  // desde/hasta: "YYYY-MM-DD" Bogotá days, hasta >= desde, at most kMaxRangeDays days.
  Result<IncomeReport> income(const Actor& actor, const std::string& desde, const std::string& hasta);
  Result<ParticipationReport> participation(const Actor& actor, const std::string& rifa_id);
  // Same range rules as income().
  Result<WithholdingReport> withholdings(const Actor& actor, const std::string& desde, const std::string& hasta);

 private:
  ReportRepository& repository_;
};

}  // namespace rifa::engine
