#include "storage/repositories/frozen_bindings.hpp"

#include <soci/soci.h>

#include "storage/repositories/audit_writer.hpp"

namespace rifa::storage {

Result<std::vector<BoundRifa>> rifas_past_activation(Database& db) {
  return db.transaction(
      [&](soci::session& sql) -> std::vector<BoundRifa> {
        std::vector<BoundRifa> out;
        soci::rowset<soci::row> rows =
            (sql.prepare << "SELECT r.id, r.estado, c.nombre, r.payment_instance, "
                            "CAST(r.commitment AS TEXT), l.plugin_instance FROM rifas r "
                            "JOIN categoria_rifa c ON c.id = r.categoria_id "
                            "JOIN loterias l ON l.id = r.loteria_id "
                            "WHERE r.estado IN ('activa', 'cerrada', 'resuelta') ORDER BY r.id");
        for (const auto& row : rows) {
          BoundRifa r;
          r.id = row.get<std::string>(0);
          r.estado = row.get<std::string>(1);
          r.categoria = row.get<std::string>(2);
          if (row.get_indicator(3) == soci::i_ok) r.payment_instance = row.get<std::string>(3);
          if (row.get_indicator(4) == soci::i_ok) {
            const auto commitment = nlohmann::json::parse(row.get<std::string>(4), nullptr, false);
            if (commitment.is_object()) r.lottery_instance = commitment.value("lottery_instance", "");
          }
          // A rifa activated before commitments existed (the seed's): its loteria's instance decides it.
          if (r.lottery_instance.empty()) r.lottery_instance = row.get<std::string>(5);
          out.push_back(std::move(r));
        }
        return out;
      },
      TransactionMode::kRead);
}

Result<void> freeze_payment_instances(Database& db,
                                      const std::vector<std::pair<std::string, std::string>>& rifa_instance) {
  if (rifa_instance.empty()) return {};
  return db.transaction([&](soci::session& sql) {
    for (const auto& [rifa, instance] : rifa_instance) {
      sql << "UPDATE rifas SET payment_instance = :p WHERE id = :id AND payment_instance IS NULL", soci::use(instance),
          soci::use(rifa);
    }
  });
}

Result<void> record_config_reload(Database& db, const std::string& action, const std::string& actor,
                                  const std::string& config_file, const nlohmann::json& data, engine::TimePoint at) {
  return db.transaction([&](soci::session& sql) {
    append_audit(sql, db.backend(), AuditRecord{actor, action, "config", config_file, data, at});
  });
}

}  // namespace rifa::storage
