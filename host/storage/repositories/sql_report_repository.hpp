#pragma once

#include "engine/report.hpp"
#include "storage/database.hpp"

namespace rifa::storage {

// engine::ReportRepository: grouped sums over transacciones, ganadores and tickets, by Bogotá day.
class SqlReportRepository final : public engine::ReportRepository {
 public:
  explicit SqlReportRepository(Database& db) : db_(db) {}

  Result<engine::IncomeRows> income(const engine::DayRange& range) override;
  Result<std::optional<engine::ParticipationReport>> participation(const std::string& rifa_id) override;
  Result<std::vector<engine::WithholdingRow>> withholdings(const engine::DayRange& range) override;

 private:
  Database& db_;
};

}  // namespace rifa::storage
