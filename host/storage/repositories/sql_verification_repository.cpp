#include "storage/repositories/sql_verification_repository.hpp"

#include "storage/one_time_statement.hpp"
#include "storage/sql_estados.hpp"
#include "storage/repositories/sql_support.hpp"

namespace rifa::storage {

Result<std::optional<engine::VerificationData>> SqlVerificationRepository::load(const std::string& rifa_id) {
  // json and DATE columns are cast to text on PostgreSQL, so both backends give the same text.
  const bool pg = db_.backend() == Backend::kPostgresql;
  return db_.transaction(
      [&](soci::session& sql) -> std::optional<engine::VerificationData> {
        engine::VerificationData d;
        std::string commitment, hash, activada, seed;
        soci::indicator commitment_ind, hash_ind, activada_ind, seed_ind;
        long long fondo_recibido = 0;
        sql << "SELECT id, estado, " + (pg ? std::string("commitment::text") : "commitment") +
                   ", commitment_hash, activada_en, assignment_seed, fondo_recibido FROM rifas WHERE id = :id",
            soci::use(rifa_id), soci::into(d.rifa_id), soci::into(d.estado), soci::into(commitment, commitment_ind),
            soci::into(hash, hash_ind), soci::into(activada, activada_ind), soci::into(seed, seed_ind),
            soci::into(fondo_recibido);
        d.fondo_recibido = fondo_recibido;
        if (!sql.got_data()) return std::nullopt;
        if (commitment_ind == soci::i_ok) d.commitment = nlohmann::json::parse(commitment);
        d.commitment_hash = optional_text(hash, hash_ind);
        if (activada_ind == soci::i_ok) d.activada_en = read_timestamp(activada);
        d.assignment_seed = optional_text(seed, seed_ind);

        {
          engine::PublishedDraw draw;
          std::string resultado, source_url, raw_sha256, tomado;
          long long sorteo = 0;
          soci::indicator sorteo_ind, url_ind, raw_ind;
          sql << std::string("SELECT plugin_instance, ") +
                     (pg ? "to_char(fecha_sorteo, 'YYYY-MM-DD'), sorteo, resultado::text"
                         : "fecha_sorteo, sorteo, resultado") +
                     ", source_url, raw_sha256, tomado_en FROM resultados_sorteo WHERE rifa_id = :id",
              soci::use(rifa_id), soci::into(draw.plugin_instance), soci::into(draw.fecha_sorteo),
              soci::into(sorteo, sorteo_ind), soci::into(resultado), soci::into(source_url, url_ind),
              soci::into(raw_sha256, raw_ind), soci::into(tomado);
          if (sql.got_data()) {
            if (sorteo_ind == soci::i_ok) draw.sorteo = sorteo;
            draw.resultado = nlohmann::json::parse(resultado);
            draw.source_url = optional_text(source_url, url_ind);
            draw.raw_sha256 = optional_text(raw_sha256, raw_ind);
            draw.tomado_en = read_timestamp(tomado);
            d.draw = std::move(draw);
          }
        }
        {
          int numero = 0;
          soci::statement st = (sql.prepare << "SELECT numero FROM tickets WHERE rifa_id = :id AND estado IN " +
                                                   sql_sold_tickets() + " ORDER BY numero",
                                soci::use(rifa_id), soci::into(numero));
          for_each_row(st, [&] { d.vendidos.push_back(numero); });
        }
        {
          engine::PublishedWinner w;
          long long monto = 0, bruto = 0, retencion = 0, neto = 0, umbral = 0;
          int anio = 0, tarifa = 0;
          soci::indicator anio_ind = soci::i_null, tarifa_ind = soci::i_null, umbral_ind = soci::i_null;
          soci::statement st =
              (sql.prepare
                   << "SELECT t.numero, g.tier, CAST(g.monto_ganado AS BIGINT), "
                      "CAST(COALESCE(g.monto_bruto, g.monto_ganado) AS BIGINT), CAST(g.retencion AS BIGINT), "
                      "CAST(COALESCE(g.monto_neto, g.monto_ganado) AS BIGINT), g.uvt_anio, "
                      "g.retencion_tarifa_bp, CAST(g.retencion_umbral AS BIGINT) FROM ganadores g JOIN tickets t "
                      "ON t.id = g.ticket_id WHERE t.rifa_id = :id ORDER BY g.tier, t.numero",
               soci::use(rifa_id), soci::into(w.numero), soci::into(w.tier), soci::into(monto), soci::into(bruto),
               soci::into(retencion), soci::into(neto), soci::into(anio, anio_ind), soci::into(tarifa, tarifa_ind),
               soci::into(umbral, umbral_ind));
          for_each_row(st, [&] {
            w.monto_ganado = monto;
            w.monto_bruto = bruto;
            w.retencion = retencion;
            w.monto_neto = neto;
            w.uvt_anio = anio_ind == soci::i_ok ? anio : 0;
            w.retencion_tarifa_bp = tarifa_ind == soci::i_ok ? tarifa : 0;
            w.retencion_umbral = umbral_ind == soci::i_ok ? umbral : 0;
            d.ganadores.push_back(w);
          });
        }
        return d;
      },
      TransactionMode::kRead);
}

}  // namespace rifa::storage
