#include "storage/repositories/payout_records.hpp"

#include <nlohmann/json.hpp>

#include "engine/settlement/prize_rules.hpp"
#include "storage/repositories/sql_support.hpp"
#include "storage/timestamps.hpp"

namespace rifa::storage {

using settlement::PayoutStatus;
using settlement::PrizeContext;

bool lock_ganador(soci::session& sql, Backend backend, const std::string& ganador_id) {
  std::string id;
  sql << std::string("SELECT id FROM ganadores WHERE id = :id") +
             (backend == Backend::kPostgresql ? " FOR UPDATE" : ""),
      soci::use(ganador_id), soci::into(id);
  return sql.got_data();
}

void snapshot_beneficiary(soci::session& sql, const std::string& where, const std::string& id) {
  const auto live = [](const char* column) {
    return std::string("(SELECT u.") + column +
           " FROM tickets t JOIN users u ON u.id = t.usuario_id WHERE t.id = ganadores.ticket_id)";
  };
  sql << "UPDATE ganadores SET beneficiario_nombre = " + live("nombre") +
             ", beneficiario_documento_tipo = " + live("documento_tipo") +
             ", beneficiario_documento_numero = " + live("documento_numero") + " WHERE (" + where +
             ") AND NOT EXISTS (SELECT 1 FROM tickets t JOIN users u ON u.id = t.usuario_id "
             "WHERE t.id = ganadores.ticket_id AND u.anonimizado_en IS NOT NULL)",
      soci::use(id);
}

void snapshot_beneficiary(soci::session& sql, const std::string& ganador_id) {
  snapshot_beneficiary(sql, "id = :id", ganador_id);
}

void write_withholding(soci::session& sql, const std::string& ganador_id, const settlement::Withholding& w) {
  const long long bruto = w.gross_cents, retencion = w.withheld_cents, neto = w.net_cents;
  const long long umbral = w.threshold_cents;
  const int anio = w.year, tarifa = w.rate_bp;
  soci::indicator anio_ind = anio > 0 ? soci::i_ok : soci::i_null, tarifa_ind = anio_ind, umbral_ind = anio_ind;
  sql << "UPDATE ganadores SET monto_bruto = :bruto, retencion = :retencion, monto_neto = :neto, "
         "uvt_anio = :anio, retencion_tarifa_bp = :tarifa, retencion_umbral = :umbral WHERE id = :id",
      soci::use(bruto), soci::use(retencion), soci::use(neto), soci::use(anio, anio_ind), soci::use(tarifa, tarifa_ind),
      soci::use(umbral, umbral_ind), soci::use(ganador_id);
  snapshot_beneficiary(sql, ganador_id);
}

std::optional<PrizeContext> load_prize(soci::session& sql, Backend backend, const std::string& ganador_id) {
  // json columns come back as text only when asked for on PostgreSQL.
  const std::string reglas_col = backend == Backend::kPostgresql ? "r.reglas::text" : "r.reglas";
  PrizeContext p;
  std::string referencia, usuario, nombre, email, telefono, reglas, tx_status;
  soci::indicator referencia_ind, usuario_ind, nombre_ind, email_ind, telefono_ind, tx_ind;
  long long monto = 0, bruto = 0, retencion = 0, neto = 0;
  int total_boletas = 0, anio = 0, documentado = 0;
  std::string ret_fecha, ret_ref, aprobado_por, aprobado_en, payment_instance;
  soci::indicator anio_ind = soci::i_null, ret_fecha_ind = soci::i_null, ret_ref_ind = soci::i_null;
  soci::indicator aprobado_por_ind = soci::i_null, aprobado_en_ind = soci::i_null, payment_ind = soci::i_null;
  sql << "SELECT g.id, g.tier, g.monto_ganado, g.referencia_pago, t.id, t.numero, t.usuario_id, r.id, r.estado, " +
             reglas_col +
             ", r.total_boletas, c.nombre, u.nombre, u.email, u.telefono, t.estado, x.status, "
             "CAST(COALESCE(g.monto_bruto, g.monto_ganado) AS BIGINT), CAST(g.retencion AS BIGINT), "
             "CAST(COALESCE(g.monto_neto, g.monto_ganado) AS BIGINT), g.uvt_anio, g.retencion_pagada_en, "
             "g.retencion_referencia, g.aprobado_por, g.aprobado_en, r.payment_instance, "
             "CASE WHEN COALESCE(u.documento_numero, g.beneficiario_documento_numero) IS NULL THEN 0 ELSE 1 END "
             "FROM ganadores g JOIN tickets t ON t.id = g.ticket_id JOIN rifas r ON r.id = t.rifa_id "
             "JOIN categoria_rifa c ON c.id = r.categoria_id LEFT JOIN users u ON u.id = t.usuario_id "
             "LEFT JOIN transacciones x ON x.id = t.transaccion_id WHERE g.id = :id",
      soci::use(ganador_id), soci::into(p.ganador_id), soci::into(p.tier), soci::into(monto),
      soci::into(referencia, referencia_ind), soci::into(p.ticket_id), soci::into(p.numero),
      soci::into(usuario, usuario_ind), soci::into(p.rifa_id), soci::into(p.rifa_estado), soci::into(reglas),
      soci::into(total_boletas), soci::into(p.categoria_nombre), soci::into(nombre, nombre_ind),
      soci::into(email, email_ind), soci::into(telefono, telefono_ind), soci::into(p.ticket_estado),
      soci::into(tx_status, tx_ind), soci::into(bruto), soci::into(retencion), soci::into(neto),
      soci::into(anio, anio_ind), soci::into(ret_fecha, ret_fecha_ind), soci::into(ret_ref, ret_ref_ind),
      soci::into(aprobado_por, aprobado_por_ind), soci::into(aprobado_en, aprobado_en_ind),
      soci::into(payment_instance, payment_ind), soci::into(documentado);
  if (!sql.got_data()) return std::nullopt;
  p.payment_instance = optional_text(payment_instance, payment_ind);
  p.aprobado_por = optional_text(aprobado_por, aprobado_por_ind);
  if (aprobado_en_ind == soci::i_ok) {
    if (auto parsed = parse_timestamp(aprobado_en)) p.aprobado_en = format_timestamp(*parsed);
  }
  p.cuenta = read_account(sql, ganador_id);
  p.beneficiario_documentado = documentado != 0;
  p.bruto_cents = bruto;
  p.retencion_cents = retencion;
  p.neto_cents = neto;
  p.uvt_anio = anio_ind == soci::i_ok ? anio : 0;
  if (ret_fecha_ind == soci::i_ok) {
    if (auto parsed = parse_timestamp(ret_fecha)) p.retencion_pagada_en = format_timestamp(*parsed);
  }
  p.retencion_referencia = optional_text(ret_ref, ret_ref_ind);
  p.transaccion_status = optional_text(tx_status, tx_ind);
  p.monto_ganado = monto;
  p.referencia_pago = optional_text(referencia, referencia_ind);
  p.usuario_id = optional_text(usuario, usuario_ind);
  if (nombre_ind == soci::i_ok) p.user_nombre = nombre;
  if (email_ind == soci::i_ok) p.user_email = email;
  p.user_telefono = optional_text(telefono, telefono_ind);

  // The rules were validated when the rifa was made; should they no longer parse, a prize of 0
  // cents is taken as one in kind (there would be nothing to send anyway).
  auto rules = settlement::parse_prize_rules(nlohmann::json::parse(reglas, nullptr, false), total_boletas);
  if (rules && p.tier >= 0 && static_cast<size_t>(p.tier) < rules->tiers.size()) {
    const settlement::Tier& tier = rules->tiers[static_cast<size_t>(p.tier)];
    p.tier_name = tier.name;
    p.in_kind = tier.in_kind;
    p.in_kind_description = tier.in_kind_description;
  } else {
    p.in_kind = p.monto_ganado == 0;
  }
  return p;
}

std::optional<settlement::PayoutAccount> read_account(soci::session& sql, const std::string& ganador_id) {
  settlement::PayoutAccount a;
  std::string banco, tipo_cuenta, numero, telefono;
  soci::indicator banco_ind = soci::i_null, tipo_cuenta_ind = soci::i_null, numero_ind = soci::i_null,
                  telefono_ind = soci::i_null;
  sql << "SELECT tipo, banco, tipo_cuenta, numero, telefono, documento_tipo, documento_numero FROM cuentas_pago "
         "WHERE ganador_id = :id",
      soci::use(ganador_id), soci::into(a.tipo), soci::into(banco, banco_ind), soci::into(tipo_cuenta, tipo_cuenta_ind),
      soci::into(numero, numero_ind), soci::into(telefono, telefono_ind), soci::into(a.documento_tipo),
      soci::into(a.documento_numero);
  if (!sql.got_data()) return std::nullopt;
  a.banco = optional_text(banco, banco_ind).value_or("");
  a.tipo_cuenta = optional_text(tipo_cuenta, tipo_cuenta_ind).value_or("");
  a.numero = optional_text(numero, numero_ind).value_or("");
  a.telefono = optional_text(telefono, telefono_ind).value_or("");
  return a;
}

std::optional<PayoutStatus> read_payout(soci::session& sql, const std::string& ganador_id) {
  PayoutStatus s;
  std::string provider, referencia, motivo, entregado_por;
  soci::indicator provider_ind, referencia_ind, motivo_ind, entregado_ind;
  long long monto = 0;
  sql << "SELECT ganador_id, tipo, estado, monto, currency, provider, idempotency_key, intentos, referencia, motivo, "
         "entregado_por FROM payouts WHERE ganador_id = :id",
      soci::use(ganador_id), soci::into(s.ganador_id), soci::into(s.tipo), soci::into(s.estado), soci::into(monto),
      soci::into(s.currency), soci::into(provider, provider_ind), soci::into(s.idempotency_key), soci::into(s.intentos),
      soci::into(referencia, referencia_ind), soci::into(motivo, motivo_ind), soci::into(entregado_por, entregado_ind);
  if (!sql.got_data()) return std::nullopt;
  s.monto = monto;
  s.provider = optional_text(provider, provider_ind);
  s.referencia = optional_text(referencia, referencia_ind);
  s.motivo = optional_text(motivo, motivo_ind);
  s.entregado_por = optional_text(entregado_por, entregado_ind);
  return s;
}

}  // namespace rifa::storage
