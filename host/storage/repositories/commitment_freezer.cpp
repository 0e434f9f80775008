#include "storage/repositories/commitment_freezer.hpp"

#include <openssl/rand.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <stdexcept>

#include "engine/settlement/commitment.hpp"
#include "storage/repositories/audit_writer.hpp"
#include "storage/sha256.hpp"
#include "storage/timestamps.hpp"

namespace rifa::storage {
namespace {

// America/Bogota is UTC-5 all year (no DST since 1993), so a fixed offset gives its calendar date.
std::string bogota_date(engine::TimePoint t) {
  const auto day = std::chrono::floor<std::chrono::days>(t - std::chrono::hours(5));
  const std::chrono::year_month_day ymd{day};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return text;
}

std::string random_seed_hex() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("RAND_bytes failed: cannot make the assignment seed");
  }
  std::string hex;
  char byte[3];
  for (unsigned char b : bytes) {
    std::snprintf(byte, sizeof byte, "%02x", b);
    hex += byte;
  }
  return hex;
}

}  // namespace

std::string freeze_commitment(soci::session& sql, Backend backend, const std::string& rifa_id, const std::string& actor,
                              engine::TimePoint now) {
  const bool pg = backend == Backend::kPostgresql;
  std::string loteria_id, instance, fecha_sorteo, fecha_fin, reglas, assignment;
  soci::indicator fecha_sorteo_ind = soci::i_null, precio_ind = soci::i_null;
  int total_boletas = 0, numero_ganadores = 0, rake_bp = 0;
  long long precio = 0;
  // The price is the tickets' own (what buyers pay), all equal for a rifa (see insert_tickets):
  // ticket 0's, one probe of the (rifa_id, numero) key instead of reading every ticket of the rifa.
  sql << std::string("SELECT r.loteria_id, l.plugin_instance, ") +
             (pg ? "to_char(r.fecha_sorteo, 'YYYY-MM-DD')" : "r.fecha_sorteo") + ", r.fecha_fin, " +
             (pg ? "r.reglas::text" : "r.reglas") +
             ", r.assignment, r.total_boletas, r.numero_ganadores, c.rake_bp, "
             "(SELECT t.precio FROM tickets t WHERE t.rifa_id = r.id ORDER BY t.numero LIMIT 1) "
             "FROM rifas r JOIN loterias l ON l.id = r.loteria_id JOIN categoria_rifa c ON c.id = r.categoria_id "
             "WHERE r.id = :id",
      soci::use(rifa_id), soci::into(loteria_id), soci::into(instance), soci::into(fecha_sorteo, fecha_sorteo_ind),
      soci::into(fecha_fin), soci::into(reglas), soci::into(assignment), soci::into(total_boletas),
      soci::into(numero_ganadores), soci::into(rake_bp), soci::into(precio, precio_ind);
  if (!sql.got_data()) throw std::runtime_error("freeze_commitment: rifa " + rifa_id + " not found");

  settlement::Commitment c;
  c.rifa_id = rifa_id;
  c.lottery_instance = instance;
  if (fecha_sorteo_ind == soci::i_ok && !fecha_sorteo.empty()) {
    c.draw_date = fecha_sorteo;
  } else {
    auto fin = parse_timestamp(fecha_fin);
    if (!fin) throw std::runtime_error("freeze_commitment: fecha_fin: " + fin.error().message);
    c.draw_date = bogota_date(*fin);
  }
  c.reglas = nlohmann::json::parse(reglas);
  c.total_boletas = total_boletas;
  c.assignment = assignment;
  c.precio_cents = precio_ind == soci::i_ok ? precio : 0;
  c.rake_bp = rake_bp;
  c.loteria_id = loteria_id;
  c.numero_ganadores = numero_ganadores;
  std::string seed;
  soci::indicator seed_ind = soci::i_null;
  if (assignment == "random") {
    seed = random_seed_hex();
    seed_ind = soci::i_ok;
    c.seed_sha256 = sha256_hex(seed);
  }
  const std::string text = settlement::canonical_text(c);
  const std::string hash = settlement::commitment_hash(c);
  const std::string activada = format_timestamp(now);
  // reglas is rewritten in its canonical form so later writes of the same rules are byte-equal
  // (the freeze trigger compares JSON as text).
  const std::string canonical_reglas = c.reglas.dump();
  sql << "UPDATE rifas SET commitment = :commitment, commitment_hash = :hash, activada_en = :activada, "
         "assignment_seed = :seed, fecha_sorteo = :fecha_sorteo, reglas = :reglas WHERE id = :id",
      soci::use(text), soci::use(hash), soci::use(activada), soci::use(seed, seed_ind), soci::use(c.draw_date),
      soci::use(canonical_reglas), soci::use(rifa_id);
  append_audit(sql, backend,
               AuditRecord{actor,
                           "rifa.activated",
                           "rifas",
                           rifa_id,
                           {{"commitment_hash", hash},
                            {"draw_date", c.draw_date},
                            {"lottery_instance", c.lottery_instance},
                            {"assignment", c.assignment}},
                           now});
  return hash;
}

}  // namespace rifa::storage
