#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "engine/clock.hpp"

namespace rifa::engine {

// The draw a rifa was settled on, as resultados_sorteo keeps it.
struct PublishedDraw {
  std::string plugin_instance;
  std::string fecha_sorteo;  // YYYY-MM-DD
  std::optional<int64_t> sorteo;
  nlohmann::json resultado;
  std::optional<std::string> source_url;
  std::optional<std::string> raw_sha256;
  TimePoint tomado_en;
};

struct PublishedWinner {
  int numero = 0;
  int tier = 0;
  int64_t monto_ganado = 0;
  // Retención en la fuente (settlement/prize_tax.hpp): bruto == retencion + neto, and the rule it
  // was decided by (uvt_anio 0: none applied).
  int64_t monto_bruto = 0;
  int64_t retencion = 0;
  int64_t monto_neto = 0;
  int uvt_anio = 0;
  int retencion_tarifa_bp = 0;
  int64_t retencion_umbral = 0;
};

// Everything anyone needs to check a rifa: its frozen commitment, the draw, the sold numbers (no
// buyer data) and the winners.
struct VerificationData {
  std::string rifa_id;
  std::string estado;
  std::optional<nlohmann::json> commitment;
  std::optional<std::string> commitment_hash;
  std::optional<TimePoint> activada_en;
  std::optional<std::string> assignment_seed;  // revealed by the service only once sales end
  std::optional<PublishedDraw> draw;
  std::vector<int> vendidos;  // ticket numbers sold (vendido or ganador), ascending
  std::vector<PublishedWinner> ganadores;
  // Prize money carried over from earlier rifas of the categoria into this one's fund (cents).
  int64_t fondo_recibido = 0;
};

class VerificationRepository {
 public:
  virtual ~VerificationRepository() = default;
  // nullopt when the rifa does not exist. Read in one transaction, so the parts agree.
  virtual Result<std::optional<VerificationData>> load(const std::string& rifa_id) = 0;
};

}  // namespace rifa::engine
