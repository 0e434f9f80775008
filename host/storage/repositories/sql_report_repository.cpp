#include "storage/repositories/sql_report_repository.hpp"

#include <chrono>
#include <cstdio>

#include "storage/one_time_statement.hpp"
#include "storage/sql_estados.hpp"
#include "storage/timestamps.hpp"

namespace rifa::storage {
namespace {

// America/Bogota has been UTC-5 all year since 1993 (no DST), so a fixed offset gives its
// calendar day exactly; no time zone database is needed on either backend. Timestamps are UTC:
// ISO-8601 text on SQLite (date() reads the trailing Z), TIMESTAMPTZ on PostgreSQL (sessions run
// in UTC; AT TIME ZONE 'UTC' makes the wall-clock UTC time explicit before the shift).
std::string bogota_day(bool pg, const std::string& column) {
  return pg ? "to_char((" + column + " AT TIME ZONE 'UTC') - INTERVAL '5 hours', 'YYYY-MM-DD')"
            : "date(" + column + ", '-5 hours')";
}

// The UTC instant a Bogotá day starts: 05:00Z that day. `plus_days` moves the day first.
std::string bogota_day_start(const std::string& day, int plus_days) {
  int y = 0;
  unsigned m = 0, d = 0;
  std::sscanf(day.c_str(), "%4d-%2u-%2u", &y, &m, &d);
  const std::chrono::year_month_day ymd{std::chrono::sys_days(std::chrono::year_month_day{
                                            std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)}) +
                                        std::chrono::days(plus_days)};
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT05:00:00.000Z", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

// Runs a query whose columns are (day, rifa id, rifa nombre, categoria id, categoria nombre,
// rake_bp, cents) with :from and :to bound.
std::vector<engine::DailyAmount> grouped(soci::session& sql, const std::string& query, const std::string& from,
                                         const std::string& to) {
  std::vector<engine::DailyAmount> out;
  engine::DailyAmount row;
  long long cents = 0;
  soci::statement st =
      (sql.prepare << query, soci::use(from, "from"), soci::use(to, "to"), soci::into(row.day),
       soci::into(row.rifa.rifa_id), soci::into(row.rifa.rifa_nombre), soci::into(row.rifa.categoria_id),
       soci::into(row.rifa.categoria_nombre), soci::into(row.rake_bp), soci::into(cents));
  for_each_row(st, [&] {
    row.cents = cents;
    out.push_back(row);
  });
  return out;
}

const char* kRifaColumns = "r.id, r.nombre, c.id, c.nombre, c.rake_bp";
const char* kRifaJoin = "JOIN categoria_rifa c ON c.id = r.categoria_id ";
const char* kGroup = " GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2";

}  // namespace

Result<engine::IncomeRows> SqlReportRepository::income(const engine::DayRange& range) {
  const bool pg = db_.backend() == Backend::kPostgresql;
  const std::string from = bogota_day_start(range.desde, 0), to = bogota_day_start(range.hasta, 1);
  return db_.transaction(
      [&](soci::session& sql) {
        engine::IncomeRows rows;
        // A refunded payment was a sale first: it counts in ventas on its day and in reembolsos
        // on the day it was refunded.
        rows.sales = grouped(sql,
                             "SELECT " + bogota_day(pg, "t.created_at") + ", " + kRifaColumns +
                                 ", CAST(sum(t.amount) AS BIGINT) FROM transacciones t JOIN rifas r ON r.id = "
                                 "t.rifa_id " +
                                 kRifaJoin + "WHERE t.status IN " +
                                 sql_in({engine::PaymentStatus::kSucceeded, engine::PaymentStatus::kRefunded}) +
                                 " AND t.created_at >= :from AND "
                                 "t.created_at < :to" +
                                 kGroup,
                             from, to);
        rows.refunds = grouped(sql,
                               "SELECT " + bogota_day(pg, "t.updated_at") + ", " + kRifaColumns +
                                   ", CAST(sum(t.amount) AS BIGINT) FROM transacciones t JOIN rifas r ON r.id = "
                                   "t.rifa_id " +
                                   kRifaJoin + "WHERE t.status = " + sql_literal(engine::PaymentStatus::kRefunded) +
                                   " AND t.updated_at >= :from AND t.updated_at < :to" + kGroup,
                               from, to);
        rows.prizes = grouped(sql,
                              "SELECT " + bogota_day(pg, "s.tomado_en") + ", " + kRifaColumns +
                                  ", CAST(sum(g.monto_ganado) AS BIGINT) FROM ganadores g JOIN tickets tk ON tk.id = "
                                  "g.ticket_id JOIN rifas r ON r.id = tk.rifa_id " +
                                  kRifaJoin +
                                  "JOIN resultados_sorteo s ON s.rifa_id = r.id "
                                  "WHERE s.tomado_en >= :from AND s.tomado_en < :to" +
                                  kGroup,
                              from, to);
        return rows;
      },
      TransactionMode::kRead);
}

Result<std::optional<engine::ParticipationReport>> SqlReportRepository::participation(const std::string& rifa_id) {
  const bool pg = db_.backend() == Backend::kPostgresql;
  return db_.transaction(
      [&](soci::session& sql) -> std::optional<engine::ParticipationReport> {
        engine::ParticipationReport p;
        int total = 0;
        sql << "SELECT r.id, r.nombre, c.id, c.nombre, r.estado, r.total_boletas FROM rifas r " +
                   std::string(kRifaJoin) + "WHERE r.id = :id",
            soci::use(rifa_id), soci::into(p.rifa.rifa_id), soci::into(p.rifa.rifa_nombre),
            soci::into(p.rifa.categoria_id), soci::into(p.rifa.categoria_nombre), soci::into(p.estado),
            soci::into(total);
        if (!sql.got_data()) return std::nullopt;
        p.total_boletas = total;
        long long vendidas = 0, jugadores = 0, ventas = 0;
        sql << "SELECT count(*), count(DISTINCT usuario_id), CAST(COALESCE(sum(precio), 0) AS BIGINT) FROM tickets "
               "WHERE rifa_id = :id AND estado IN " +
                   sql_sold_tickets(),
            soci::use(rifa_id), soci::into(vendidas), soci::into(jugadores), soci::into(ventas);
        p.vendidas = vendidas;
        p.jugadores = jugadores;
        p.ventas = ventas;
        engine::DailySales day;
        long long boletas = 0, cents = 0;
        soci::statement st =
            (sql.prepare
                 << "SELECT " + bogota_day(pg, "comprado_en") +
                        ", count(*), CAST(sum(precio) AS BIGINT) FROM tickets WHERE rifa_id = :id AND estado IN " +
                        sql_sold_tickets() + " AND comprado_en IS NOT NULL GROUP BY 1 ORDER BY 1",
             soci::use(rifa_id), soci::into(day.day), soci::into(boletas), soci::into(cents));
        for_each_row(st, [&] {
          day.boletas = boletas;
          day.ventas = cents;
          p.by_day.push_back(day);
        });
        return p;
      },
      TransactionMode::kRead);
}

Result<std::vector<engine::WithholdingRow>> SqlReportRepository::withholdings(const engine::DayRange& range) {
  const bool pg = db_.backend() == Backend::kPostgresql;
  const std::string from = bogota_day_start(range.desde, 0), to = bogota_day_start(range.hasta, 1);
  // Cash: paid (fecha_pago) is when it was withheld. In kind: when the winner's withholding was
  // recorded paid, else (nothing owed) when it was delivered.
  const std::string fecha = "COALESCE(g.retencion_pagada_en, g.fecha_pago)";
  return db_.transaction(
      [&](soci::session& sql) {
        std::vector<engine::WithholdingRow> out;
        engine::WithholdingRow row;
        std::string at, usuario, nombre, tipo, doc_tipo, doc_numero;
        soci::indicator usuario_ind, nombre_ind, anio_ind, tipo_ind, doc_tipo_ind, doc_numero_ind;
        long long bruto = 0, retencion = 0, neto = 0;
        int anio = 0;
        soci::statement st =
            (sql.prepare
                 << "SELECT g.id, " + fecha + ", " + bogota_day(pg, fecha) +
                        ", r.id, r.nombre, c.id, c.nombre, tk.usuario_id, g.beneficiario_nombre, p.tipo, g.tier, "
                        "tk.numero, CAST(COALESCE(g.monto_bruto, g.monto_ganado) AS BIGINT), "
                        "CAST(g.retencion AS BIGINT), CAST(COALESCE(g.monto_neto, g.monto_ganado) AS BIGINT), "
                        "g.uvt_anio, g.beneficiario_documento_tipo, g.beneficiario_documento_numero "
                        "FROM ganadores g JOIN tickets tk ON tk.id = g.ticket_id "
                        "JOIN rifas r ON r.id = tk.rifa_id " +
                        kRifaJoin +
                        "LEFT JOIN payouts p ON p.ganador_id = g.id "
                        "WHERE " +
                        fecha + " >= :from AND " + fecha + " < :to ORDER BY 2, 1",
             soci::use(from, "from"), soci::use(to, "to"), soci::into(row.ganador_id), soci::into(at),
             soci::into(row.dia), soci::into(row.rifa.rifa_id), soci::into(row.rifa.rifa_nombre),
             soci::into(row.rifa.categoria_id), soci::into(row.rifa.categoria_nombre), soci::into(usuario, usuario_ind),
             soci::into(nombre, nombre_ind), soci::into(tipo, tipo_ind), soci::into(row.tier), soci::into(row.numero),
             soci::into(bruto), soci::into(retencion), soci::into(neto), soci::into(anio, anio_ind),
             soci::into(doc_tipo, doc_tipo_ind), soci::into(doc_numero, doc_numero_ind));
        for_each_row(st, [&] {
          if (auto parsed = parse_timestamp(at)) row.fecha = format_timestamp(*parsed);
          row.usuario_id = usuario_ind == soci::i_ok ? std::optional<std::string>(usuario) : std::nullopt;
          row.nombre = nombre_ind == soci::i_ok ? nombre : "";
          row.documento_tipo = doc_tipo_ind == soci::i_ok ? doc_tipo : "";
          row.documento_numero = doc_numero_ind == soci::i_ok ? doc_numero : "";
          // A prize in kind has no cash payouts row unless opened; a paid cash prize always has one.
          row.tipo = tipo_ind == soci::i_ok ? tipo : "in_kind";
          row.bruto = bruto;
          row.retencion = retencion;
          row.neto = neto;
          row.uvt_anio = anio_ind == soci::i_ok ? anio : 0;
          out.push_back(row);
        });
        return out;
      },
      TransactionMode::kRead);
}

}  // namespace rifa::storage
