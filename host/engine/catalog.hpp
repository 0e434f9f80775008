#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/clock.hpp"

namespace rifa::engine {

struct Categoria {
  std::string id;
  std::string nombre;
  std::optional<std::string> color;
  int64_t valor_boleta = 0;  // ticket price, integer cents
  int64_t total_recaudo = 0;
  int32_t rake_bp = 0;        // basis points: 0.2500 is 2500; exact, never a float
  int64_t fondo_premios = 0;  // describes the categoria (a full rifa's fund); never paid out itself
  int64_t premio_por_ganador = 0;
  std::optional<std::string> comentario;
  // Prize money carried over (reglas unsold: carry_over) that the categoria's next settled rifa
  // adds to its fund. Written by settlement only.
  int64_t fondo_acumulado = 0;
};

struct Loteria {
  std::string id;
  std::string nombre;
  std::optional<std::string> descripcion;
  std::string frecuencia;
  std::optional<std::string> url_resultados;
  nlohmann::json meta = nlohmann::json::object();
  std::string plugin_instance;  // the lottery plugin instance id that supplies the draws
};

enum class RifaEstado { kPendiente, kActiva, kCerrada, kResuelta, kCancelada };
enum class Assignment { kSequential, kRandom };

const char* to_string(RifaEstado estado);
std::optional<RifaEstado> parse_rifa_estado(std::string_view text);
const char* to_string(Assignment assignment);
std::optional<Assignment> parse_assignment(std::string_view text);

struct Rifa {
  std::string id;
  std::string nombre;
  std::string categoria_id;
  std::string loteria_id;
  TimePoint fecha_inicio;
  TimePoint fecha_fin;
  int32_t numero_ganadores = 1;
  RifaEstado estado = RifaEstado::kPendiente;
  nlohmann::json reglas = nlohmann::json::object();
  int32_t total_boletas = 100;
  TimePoint creado_en;
  Assignment assignment = Assignment::kSequential;
  // The lottery draw that decides it: "YYYY-MM-DD" in America/Bogota, on or after fecha_fin's date.
  std::optional<std::string> fecha_sorteo;
};

// A rifa with its ticket counts, as GET /rifas/{id} shows it.
struct RifaView {
  Rifa rifa;
  int64_t vendidas = 0;     // vendido + ganador
  int64_t disponibles = 0;  // disponible
};

// Column limits (migrations/0001_initial.*.sql).
inline constexpr size_t kCatalogNombreMaxLength = 120;
inline constexpr size_t kRifaNombreMaxLength = 200;
inline constexpr size_t kColorMaxLength = 32;
inline constexpr size_t kComentarioMaxLength = 255;
inline constexpr size_t kTextMaxLength = 2000;  // descripcion, url_resultados, frecuencia: no column limit, but bounded
inline constexpr int32_t kMaxTotalBoletas = 1000000;
inline constexpr int32_t kRakeBpMax = 10000;

}  // namespace rifa::engine
