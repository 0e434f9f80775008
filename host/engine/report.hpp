#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"

// Admin reports. Days are calendar days in America/Bogota, "YYYY-MM-DD"; money is integer cents.
namespace rifa::engine {

// An inclusive range of Bogotá days.
struct DayRange {
  std::string desde;
  std::string hasta;
};

// Which rifa (and its categoria) a grouped amount belongs to.
struct RifaKey {
  std::string rifa_id;
  std::string rifa_nombre;
  std::string categoria_id;
  std::string categoria_nombre;
};

// One grouped sum the repository reads: an amount on one day for one rifa.
struct DailyAmount {
  std::string day;
  RifaKey rifa;
  int64_t cents = 0;
  int32_t rake_bp = 0;  // the rifa's categoria rake (sales rows only)
};

struct IncomeRows {
  std::vector<DailyAmount> sales;    // payments that went through (succeeded, or later refunded), by payment day
  std::vector<DailyAmount> prizes;   // ganadores, by the day their draw was taken
  std::vector<DailyAmount> refunds;  // refunded payments, by refund day
};

struct IncomeTotals {
  int64_t ventas = 0;
  int64_t rake = 0;
  int64_t fondo_premios = 0;  // ventas - rake
  int64_t premios = 0;
  int64_t reembolsos = 0;
};

struct IncomeReport {
  DayRange range;
  IncomeTotals totals;
  std::map<std::string, IncomeTotals> by_day;  // only days with activity
  // keyed by id; the key carries the names
  std::map<std::string, std::pair<RifaKey, IncomeTotals>> by_categoria;
  std::map<std::string, std::pair<RifaKey, IncomeTotals>> by_rifa;
};

struct DailySales {
  std::string day;
  int64_t boletas = 0;
  int64_t ventas = 0;
};

struct ParticipationReport {
  RifaKey rifa;
  std::string estado;
  int64_t total_boletas = 0;
  int64_t vendidas = 0;            // vendido + ganador
  int64_t jugadores = 0;           // distinct buyers of those tickets
  int64_t ventas = 0;              // what those tickets cost
  std::vector<DailySales> by_day;  // by purchase day, ascending
};

// GET /admin/reportes/retenciones: one paid prize with its retención en la fuente (what the
// operator declares to the DIAN). `fecha` is when the prize was paid (cash: the payout, the moment
// the withholding was made) or, for a prize in kind with a withholding, when the winner's payment
// of it was recorded (else its delivery).
struct WithholdingRow {
  std::string ganador_id;
  std::string fecha;  // ISO-8601 UTC
  std::string dia;    // its Bogotá day
  RifaKey rifa;
  std::optional<std::string> usuario_id;
  // The beneficiary as of the withholding (ganadores.beneficiario_*, migration 0026), which the
  // erasure of the account leaves in place; no email: the declaration does not need it.
  std::string nombre;
  std::string documento_tipo;    // CC, CE, PP, TI; empty for accounts without one
  std::string documento_numero;  // what the operator declares to the DIAN per beneficiary
  std::string tipo;              // cash | in_kind
  int tier = 0;
  int numero = 0;
  int64_t bruto = 0;
  int64_t retencion = 0;
  int64_t neto = 0;
  int uvt_anio = 0;  // 0: none applied
};

struct WithholdingTotals {
  int64_t bruto = 0;
  int64_t retencion = 0;
  int64_t neto = 0;
  int64_t ganadores = 0;
};

struct WithholdingReport {
  DayRange range;
  std::vector<WithholdingRow> rows;  // by fecha
  WithholdingTotals totals;
};

class ReportRepository {
 public:
  virtual ~ReportRepository() = default;
  // Prizes paid (or, in kind, whose withholding was recorded paid / which were delivered) in the
  // range of Bogotá days, by fecha.
  virtual Result<std::vector<WithholdingRow>> withholdings(const DayRange& range) = 0;
  virtual Result<IncomeRows> income(const DayRange& range) = 0;
  // nullopt when the rifa does not exist.
  virtual Result<std::optional<ParticipationReport>> participation(const std::string& rifa_id) = 0;
};

}  // namespace rifa::engine
