#include "storage/one_time_statement.hpp"
#include "storage/repositories/sql_sales_repository.hpp"

#include <algorithm>
#include <numeric>

#include "storage/repositories/sql_support.hpp"
#include "storage/sha256.hpp"
#include "storage/timestamps.hpp"

namespace rifa::storage {
namespace {

using engine::BeginOutcome;
using engine::PaymentStatus;

const char* kSelectTransaccion =
    "SELECT id, user_id, rifa_id, amount, currency, provider, provider_ref, status, payment_method, failure_reason, "
    "created_at FROM transacciones ";

const char* kSelectTicket =
    "SELECT id, rifa_id, usuario_id, numero, estado, precio, transaccion_id, comprado_en, hold_expires_at "
    "FROM tickets ";

struct TransaccionRow {
  std::string id, user_id, rifa_id, currency, provider, provider_ref, status, payment_method, failure_reason,
      created_at;
  long long amount = 0;
  soci::indicator rifa_ind = soci::i_null, ref_ind = soci::i_null, method_ind = soci::i_null,
                  reason_ind = soci::i_null;

  void bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(user_id));
    st.exchange(soci::into(rifa_id, rifa_ind));
    st.exchange(soci::into(amount));
    st.exchange(soci::into(currency));
    st.exchange(soci::into(provider));
    st.exchange(soci::into(provider_ref, ref_ind));
    st.exchange(soci::into(status));
    st.exchange(soci::into(payment_method, method_ind));
    st.exchange(soci::into(failure_reason, reason_ind));
    st.exchange(soci::into(created_at));
  }

  engine::Transaccion get() const {
    engine::Transaccion t;
    t.id = id;
    t.user_id = user_id;
    t.rifa_id = rifa_ind == soci::i_ok ? rifa_id : std::string();
    t.amount = amount;
    t.currency = currency;
    t.provider = provider;
    t.provider_ref = optional_text(provider_ref, ref_ind);
    t.status = engine::parse_payment_status(status).value_or(PaymentStatus::kPending);
    t.payment_method = optional_text(payment_method, method_ind);
    t.failure_reason = optional_text(failure_reason, reason_ind);
    t.created_at = read_timestamp(created_at);
    return t;
  }
};

struct TicketRow {
  std::string id, rifa_id, usuario_id, estado, transaccion_id, comprado_en, hold_expires_at;
  int numero = 0;
  long long precio = 0;
  soci::indicator usuario_ind = soci::i_null, tx_ind = soci::i_null, comprado_ind = soci::i_null,
                  hold_ind = soci::i_null;

  void bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(rifa_id));
    st.exchange(soci::into(usuario_id, usuario_ind));
    st.exchange(soci::into(numero));
    st.exchange(soci::into(estado));
    st.exchange(soci::into(precio));
    st.exchange(soci::into(transaccion_id, tx_ind));
    st.exchange(soci::into(comprado_en, comprado_ind));
    st.exchange(soci::into(hold_expires_at, hold_ind));
  }

  engine::Ticket get() const {
    engine::Ticket t;
    t.id = id;
    t.rifa_id = rifa_id;
    t.usuario_id = optional_text(usuario_id, usuario_ind);
    t.numero = numero;
    t.estado = estado;
    t.precio = precio;
    t.transaccion_id = optional_text(transaccion_id, tx_ind);
    if (comprado_ind == soci::i_ok) t.comprado_en = read_timestamp(comprado_en);
    if (hold_ind == soci::i_ok) t.hold_expires_at = read_timestamp(hold_expires_at);
    return t;
  }
};

// Runs `select_sql` (kSelectTransaccion + the rest) with string parameters; every row.
std::vector<engine::Transaccion> query_transacciones(soci::session& sql, const std::string& rest,
                                                     const std::vector<std::string>& values) {
  std::vector<engine::Transaccion> out;
  TransaccionRow row;
  soci::statement st(sql);
  row.bind(st);
  for (const auto& v : values) st.exchange(soci::use(v));
  st.alloc();
  st.prepare(std::string(kSelectTransaccion) + rest, soci::details::st_one_time_query);
  st.define_and_bind();
  if (st.execute(true)) {
    do {
      out.push_back(row.get());
    } while (st.fetch());
  }
  return out;
}

std::vector<engine::Ticket> query_tickets(soci::session& sql, const std::string& rest,
                                          const std::vector<std::string>& values) {
  std::vector<engine::Ticket> out;
  TicketRow row;
  soci::statement st(sql);
  row.bind(st);
  for (const auto& v : values) st.exchange(soci::use(v));
  st.alloc();
  st.prepare(std::string(kSelectTicket) + rest, soci::details::st_one_time_query);
  st.define_and_bind();
  if (st.execute(true)) {
    do {
      out.push_back(row.get());
    } while (st.fetch());
  }
  return out;
}

std::optional<engine::Sale> load_sale(soci::session& sql, const std::string& transaccion_id) {
  auto found = query_transacciones(sql, "WHERE id = :id", {transaccion_id});
  if (found.empty()) return std::nullopt;
  engine::Sale sale;
  sale.transaccion = std::move(found.front());
  sale.tickets = query_tickets(sql, "WHERE transaccion_id = :id ORDER BY numero", {transaccion_id});
  return sale;
}

// The order numbers are handed out in. Sequential: lowest first. Random: a fixed permutation of
// 0..n-1 derived from the rifa id, position(numero) = ((numero + shift) * mult) mod n with mult
// coprime to n, so it is a bijection, the same on both backends, and needs no stored shuffle.
// Random assignment hands numbers out in the order ((numero + shift) * mult) mod total, a
// permutation drawn from the rifa's assignment seed: frozen (as its hash) in the commitment at
// activation, secret while tickets sell so nobody can aim at a number, revealed after sales so
// anyone can recompute who got what (docs/VERIFYING.md).
std::string pick_order(const std::string& assignment, const std::string& seed, int total) {
  if (assignment != "random" || total <= 1) return "numero";
  const std::string h = sha256_hex("rifa1122-assignment:" + seed);
  const auto n = static_cast<unsigned long long>(total);
  const unsigned long long shift = std::stoull(h.substr(0, 12), nullptr, 16) % n;
  unsigned long long mult = std::stoull(h.substr(12, 12), nullptr, 16) % n;
  if (mult == 0) mult = 1;
  while (std::gcd(mult, n) != 1) mult = mult % (n - 1) + 1;
  return "((CAST(numero AS BIGINT) + " + std::to_string(shift) + ") * " + std::to_string(mult) + ") % " +
         std::to_string(n) + ", numero";
}

struct KeyRow {
  bool found = false;
  std::string request_hash, status, created_at, expires_at, transaccion_id, response_body;
  int response_status = 0;
  soci::indicator tx_ind = soci::i_null, status_ind = soci::i_null, body_ind = soci::i_null;
};

KeyRow read_key(soci::session& sql, const std::string& user_id, const std::string& key) {
  KeyRow k;
  sql << "SELECT request_hash, status, created_at, expires_at, transaccion_id, response_status, response_body "
         "FROM idempotency_keys WHERE user_id = :u AND key = :k",
      soci::use(user_id), soci::use(key), soci::into(k.request_hash), soci::into(k.status), soci::into(k.created_at),
      soci::into(k.expires_at), soci::into(k.transaccion_id, k.tx_ind), soci::into(k.response_status, k.status_ind),
      soci::into(k.response_body, k.body_ind);
  k.found = sql.got_data();
  return k;
}

void complete_key(soci::session& sql, const std::string& user_id, const std::string& key,
                  const engine::StoredResponse& response) {
  sql << "UPDATE idempotency_keys SET status = 'completed', response_status = :s, response_body = :b "
         "WHERE user_id = :u AND key = :k",
      soci::use(response.status), soci::use(response.body), soci::use(user_id), soci::use(key);
}

long long affected(soci::statement& st) { return st.get_affected_rows(); }

}  // namespace

Result<engine::BeginOutcome> SqlSalesRepository::begin_purchase(const engine::BeginPurchase& in) {
  const Backend backend = db_.backend();
  const bool pg = backend == Backend::kPostgresql;
  return db_.transaction([&](soci::session& sql) -> BeginOutcome {
    BeginOutcome out;
    const std::string now = format_timestamp(in.now), key_expires = format_timestamp(in.key_expires_at),
                      takeover = format_timestamp(in.takeover_before);

    // 0. The buyer (the key row refers to it, so before the key): no key is kept for a refusal here.
    int active = 0;
    sql << "SELECT CASE WHEN is_active THEN 1 ELSE 0 END FROM users WHERE id = :id", soci::use(in.user_id),
        soci::into(active);
    if (!sql.got_data() || active != 1) {
      out.kind = BeginOutcome::Kind::kRefused;
      out.refusal = make_field_error(ErrorCode::kInvalidArgument, "user_id",
                                     "user " + in.user_id + " does not exist or is deactivated");
      return out;
    }

    // 1. The key: new, or taken over (expired, or in flight past the bound), or answered from.
    bool claimed = false;
    {
      soci::statement st = one_time_statement(sql, "INSERT INTO idempotency_keys (key, user_id, request_hash, status, "
                                           "created_at, expires_at) VALUES (:k, :u, :h, 'in_flight', :now, :exp) "
                                           "ON CONFLICT (user_id, key) DO NOTHING",
                            soci::use(in.idempotency_key), soci::use(in.user_id), soci::use(in.request_hash),
                            soci::use(now), soci::use(key_expires));
      st.execute(true);
      claimed = affected(st) == 1;
    }
    if (!claimed) {
      const KeyRow k = read_key(sql, in.user_id, in.idempotency_key);
      if (!k.found) throw soci::soci_error("idempotency key vanished while being claimed");
      const bool expired = read_timestamp(k.expires_at) < in.now;
      if (!expired && k.request_hash != in.request_hash) {
        out.kind = BeginOutcome::Kind::kMismatch;
        return out;
      }
      if (!expired && k.status == "completed") {
        out.kind = BeginOutcome::Kind::kReplay;
        out.stored = {k.status_ind == soci::i_ok ? k.response_status : 500,
                      k.body_ind == soci::i_ok ? k.response_body : std::string("{}")};
        return out;
      }
      if (!expired && read_timestamp(k.created_at) >= in.takeover_before) {
        out.kind = BeginOutcome::Kind::kInFlight;
        return out;
      }
      // Take it over; the WHERE repeats the checks so that of two racing takers one wins.
      soci::statement st =
          one_time_statement(sql, "UPDATE idempotency_keys SET request_hash = :h, status = 'in_flight', created_at = :now, "
                          "expires_at = :exp, response_status = NULL, response_body = NULL, "
                          "transaccion_id = CASE WHEN expires_at < :now2 THEN NULL ELSE transaccion_id END "
                          "WHERE user_id = :u AND key = :k AND (expires_at < :now3 OR "
                          "(status = 'in_flight' AND created_at < :takeover))",
           soci::use(in.request_hash), soci::use(now), soci::use(key_expires), soci::use(now), soci::use(in.user_id),
           soci::use(in.idempotency_key), soci::use(now), soci::use(takeover));
      st.execute(true);
      if (affected(st) != 1) {
        out.kind = BeginOutcome::Kind::kInFlight;
        return out;
      }
      if (!expired && k.tx_ind == soci::i_ok) {
        auto sale = load_sale(sql, k.transaccion_id);
        if (sale) {
          out.kind = BeginOutcome::Kind::kResumed;
          out.sale = std::move(*sale);
          return out;
        }
      }
    }

    const auto refuse = [&](Error error) {
      complete_key(sql, in.user_id, in.idempotency_key, in.encode_refusal(error));
      out.kind = BeginOutcome::Kind::kRefused;
      out.refusal = std::move(error);
      return out;
    };

    // 2. The rifa, held FOR SHARE on PostgreSQL: closing it (an UPDATE) waits for this purchase.
    std::string estado, assignment, categoria_nombre, seed, fecha_fin;
    soci::indicator seed_ind = soci::i_null;
    int total = 0;
    sql << std::string("SELECT r.estado, r.assignment, r.total_boletas, c.nombre, r.assignment_seed, r.fecha_fin "
                       "FROM rifas r JOIN categoria_rifa c ON c.id = r.categoria_id WHERE r.id = :id") +
               (pg ? " FOR SHARE OF r" : ""),
        soci::use(in.rifa_id), soci::into(estado), soci::into(assignment), soci::into(total),
        soci::into(categoria_nombre), soci::into(seed, seed_ind), soci::into(fecha_fin);
    if (!sql.got_data()) return refuse(make_error(ErrorCode::kNotFound, "rifa " + in.rifa_id + " does not exist"));
    if (estado != "activa") {
      return refuse(make_error(ErrorCode::kConflict, "rifa " + in.rifa_id + " is " + estado +
                                                         ": tickets are sold only while it is activa"));
    }
    // Sales end at fecha_fin whether or not the closing job has run yet (it may lag, or jobs may be
    // off on this host): after it the draw may be known.
    if (const auto ends = read_timestamp(fecha_fin); in.now >= ends) {
      return refuse(make_field_error(ErrorCode::kConflict, "fecha_fin", "sales of rifa " + in.rifa_id + " ended at " +
                                                                             format_timestamp(ends)));
    }

    // 2b. The buyer's held numbers in this rifa, this purchase's included, stay under the cap. The
    // count and the reservation below must not interleave with another purchase of the same buyer
    // in the same rifa: PostgreSQL serialises them on a transaction-scoped advisory lock (SQLite's
    // BEGIN IMMEDIATE already runs one writer at a time).
    if (pg) {
      const std::string lock_key = "rifa1122-held:" + in.rifa_id + ":" + in.user_id;
      sql << "SELECT pg_advisory_xact_lock(hashtext(:k))", soci::use(lock_key);
    }
    long long held = 0;
    sql << "SELECT count(*) FROM tickets WHERE rifa_id = :r AND usuario_id = :u AND estado = 'reservado'",
        soci::use(in.rifa_id), soci::use(in.user_id), soci::into(held);
    if (held + in.quantity > in.max_held_per_buyer) {
      return refuse(make_field_error(
          ErrorCode::kConflict, "quantity",
          "a buyer may hold at most " + std::to_string(in.max_held_per_buyer) +
              " number(s) of a rifa while their payments are pending; " + std::to_string(held) +
              " already held, asked for " + std::to_string(in.quantity) + " more"));
    }

    // 3. Pick the numbers. SKIP LOCKED can come up short while another buyer's rows are locked and
    // then committed under us; a new statement (new snapshot) is asked before refusing.
    // An activa rifa always has its seed (commitment_freezer); the rifa id only stands in for rows
    // activated before migration 0006.
    const std::string order = pick_order(assignment, seed_ind == soci::i_ok ? seed : in.rifa_id, total);
    const std::string pick_sql = "SELECT id, numero, precio FROM tickets WHERE rifa_id = :r AND estado = 'disponible' "
                                 "ORDER BY " + order + " LIMIT " + std::to_string(in.quantity) +
                                 (pg ? " FOR UPDATE SKIP LOCKED" : "");
    std::vector<std::string> ids;
    std::vector<int> numeros;
    std::vector<long long> precios;
    long long remaining = 0;
    for (int attempt = 0; attempt < 3; ++attempt) {
      // Row by row: a bulk vector `into` is not resized to the row count on every SOCI backend.
      ids.clear();
      numeros.clear();
      precios.clear();
      std::string id;
      int numero = 0;
      long long precio = 0;
      soci::statement st = one_time_statement(sql, pick_sql, soci::use(in.rifa_id), soci::into(id), soci::into(numero),
                            soci::into(precio));
      if (st.execute(true)) {
        do {
          ids.push_back(id);
          numeros.push_back(numero);
          precios.push_back(precio);
        } while (st.fetch());
      }
      if (static_cast<int>(ids.size()) == in.quantity) break;
      sql << "SELECT count(*) FROM tickets WHERE rifa_id = :r AND estado = 'disponible'", soci::use(in.rifa_id),
          soci::into(remaining);
      if (remaining < in.quantity) break;
    }
    if (static_cast<int>(ids.size()) < in.quantity) {
      if (remaining <= 0) {
        return refuse(make_field_error(ErrorCode::kConflict, "quantity", "the rifa is sold out (0 numbers left)"));
      }
      return refuse(make_field_error(ErrorCode::kConflict, "quantity", "only " + std::to_string(remaining) +
                                                         " number(s) left, asked for " +
                                                         std::to_string(in.quantity)));
    }

    // 4. The pending transaccion, then the held numbers pointing at it.
    engine::Transaccion& t = out.sale.transaccion;
    t.id = in.transaccion_id;
    t.user_id = in.user_id;
    t.rifa_id = in.rifa_id;
    t.amount = std::accumulate(precios.begin(), precios.end(), 0LL);
    t.currency = "COP";
    t.provider = in.provider_for(in.rifa_id, categoria_nombre);
    t.status = PaymentStatus::kPending;
    t.payment_method = in.payment_method;
    t.created_at = in.now;
    const long long amount = t.amount;
    NullableText method(in.payment_method);
    sql << "INSERT INTO transacciones (id, user_id, rifa_id, amount, currency, provider, status, idempotency_key, "
           "payment_method, created_at, updated_at) VALUES (:id, :u, :r, :a, :c, :p, 'pending', :key, :m, :now, :now2)",
        soci::use(t.id), soci::use(t.user_id), soci::use(t.rifa_id), soci::use(amount), soci::use(t.currency),
        soci::use(t.provider), soci::use(t.id), soci::use(method.value, method.indicator), soci::use(now),
        soci::use(now);
    const size_t n = ids.size();
    const std::string hold = format_timestamp(in.hold_expires_at);
    std::vector<std::string> users(n, in.user_id), txs(n, t.id), holds(n, hold);
    {
      soci::statement st = one_time_statement(sql, "UPDATE tickets SET estado = 'reservado', usuario_id = :u, "
                                           "transaccion_id = :t, hold_expires_at = :h "
                                           "WHERE id = :id AND estado = 'disponible'",
                            soci::use(users), soci::use(txs), soci::use(holds), soci::use(ids));
      st.execute(true);
      // The rows are locked (or the database is single-writer), so this cannot fall short; if it
      // ever did, selling numbers this transaction does not hold must not commit.
      if (affected(st) != static_cast<long long>(n)) {
        throw soci::soci_error("reserved " + std::to_string(affected(st)) + " of " + std::to_string(n) +
                               " picked numbers");
      }
    }
    sql << "UPDATE idempotency_keys SET transaccion_id = :t WHERE user_id = :u AND key = :k", soci::use(t.id),
        soci::use(in.user_id), soci::use(in.idempotency_key);
    for (size_t i = 0; i < n; ++i) {
      engine::Ticket ticket;
      ticket.id = ids[i];
      ticket.rifa_id = in.rifa_id;
      ticket.usuario_id = in.user_id;
      ticket.numero = numeros[i];
      ticket.estado = "reservado";
      ticket.precio = precios[i];
      ticket.transaccion_id = t.id;
      ticket.hold_expires_at = in.hold_expires_at;
      out.sale.tickets.push_back(std::move(ticket));
    }
    std::sort(out.sale.tickets.begin(), out.sale.tickets.end(),
              [](const auto& a, const auto& b) { return a.numero < b.numero; });
    nlohmann::json numbers = nlohmann::json::array();
    for (const auto& ticket : out.sale.tickets) numbers.push_back(ticket.numero);
    // Last, so that the audit table lock (PostgreSQL) is held as briefly as possible.
    append_audit(sql, backend,
                 AuditRecord{in.actor, "payment.created", "transacciones", t.id,
                             {{"status", "pending"},
                              {"amount", t.amount},
                              {"currency", t.currency},
                              {"provider", t.provider},
                              {"rifa_id", t.rifa_id},
                              {"user_id", t.user_id},
                              {"numeros", numbers}},
                             in.now});
    out.kind = BeginOutcome::Kind::kReserved;
    return out;
  });
}

Result<engine::SettleOutcome> SqlSalesRepository::settle(const engine::SettlePayment& c) {
  const Backend backend = db_.backend();
  return db_.transaction([&](soci::session& sql) -> Result<engine::SettleOutcome> {
    engine::SettleOutcome out;
    PaymentStatus target = c.to;
    std::string why = c.reason;
    if (c.to == PaymentStatus::kSucceeded && c.from != c.to) {
      // Only a rifa still on sale sells; the lock makes a close wait for this confirmation (and
      // this one wait for a close, then see it).
      std::string estado, fecha_fin;
      sql << std::string("SELECT r.estado, r.fecha_fin FROM rifas r JOIN transacciones t ON t.rifa_id = r.id "
                         "WHERE t.id = :id") +
                 (backend == Backend::kPostgresql ? " FOR SHARE OF r" : ""),
          soci::use(c.transaccion_id), soci::into(estado), soci::into(fecha_fin);
      if (sql.got_data()) {
        const auto ends = read_timestamp(fecha_fin);
        if (estado != "activa" || c.now >= ends) {
          out.sale_refused = estado != "activa"
                                 ? "the rifa is " + estado + ": the payment came too late and is refunded"
                                 : "sales ended at fecha_fin " + format_timestamp(ends) +
                                       ": the payment came too late and is refunded";
          target = PaymentStatus::kFailed;
          why = *out.sale_refused;
        }
      }
    }
    const std::string now = format_timestamp(c.now), from = engine::to_string(c.from), to = engine::to_string(target);
    NullableText ref(c.provider_ref);
    NullableText reason(why.empty() ? std::nullopt : std::optional<std::string>(why));
    soci::statement st =
        one_time_statement(sql, "UPDATE transacciones SET status = :to, provider_ref = COALESCE(:ref, provider_ref), "
                        "failure_reason = COALESCE(:reason, failure_reason), updated_at = :now "
                        "WHERE id = :id AND status = :from",
         soci::use(to), soci::use(ref.value, ref.indicator), soci::use(reason.value, reason.indicator), soci::use(now),
         soci::use(c.transaccion_id), soci::use(from));
    st.execute(true);
    out.changed = affected(st) == 1 && c.from != target;
    if (!out.changed) out.sale_refused.reset();
    if (out.changed) {
      if (target == PaymentStatus::kSucceeded) {
        sql << "UPDATE tickets SET estado = 'vendido', comprado_en = :now, hold_expires_at = NULL "
               "WHERE transaccion_id = :id AND estado = 'reservado'",
            soci::use(now), soci::use(c.transaccion_id);
      } else if (target == PaymentStatus::kFailed) {
        sql << "UPDATE tickets SET estado = 'disponible', usuario_id = NULL, transaccion_id = NULL, "
               "hold_expires_at = NULL WHERE transaccion_id = :id AND estado = 'reservado'",
            soci::use(c.transaccion_id);
      } else if (target == PaymentStatus::kRefunded) {
        // A winning ticket given back is no longer a winner: its payout is refused (PayoutService).
        sql << "UPDATE tickets SET estado = 'anulado', hold_expires_at = NULL WHERE transaccion_id = :id AND "
               "estado IN ('vendido', 'reservado', 'ganador')",
            soci::use(c.transaccion_id);
      }
    }
    auto sale = load_sale(sql, c.transaccion_id);
    if (!sale) return make_error(ErrorCode::kNotFound, "transaccion " + c.transaccion_id + " does not exist");
    out.sale = std::move(*sale);
    if (c.complete_key) complete_key(sql, c.complete_key->user_id, c.complete_key->key, c.complete_key->respond(out));
    if (out.changed) {
      const auto& t = out.sale.transaccion;
      nlohmann::json data = {{"from", from},         {"to", to},           {"source", c.source},
                             {"amount", t.amount},   {"currency", t.currency}, {"provider", t.provider},
                             {"rifa_id", t.rifa_id}, {"tickets", out.sale.tickets.size()}};
      if (t.provider_ref) data["provider_ref"] = *t.provider_ref;
      if (!why.empty()) data["reason"] = why;
      if (out.sale_refused) data["sale_refused"] = true;
      if (events_ && target == PaymentStatus::kSucceeded) {
        for (const auto& ticket : out.sale.tickets) {
          if (ticket.estado != "vendido") continue;
          events_(sql, DomainEvent{"ticket_sold", t.rifa_id, ticket.id,
                                   {{"numero", ticket.numero}, {"precio", ticket.precio},
                                    {"user_id", t.user_id}, {"transaccion_id", t.id}},
                                   c.now});
        }
      }
      // Last: on PostgreSQL the audit chain's lock is then held only until the commit.
      append_audit(sql, backend,
                   AuditRecord{c.actor, std::string("payment.") + to, "transacciones", c.transaccion_id, data, c.now});
    }
    return out;
  });
}

Result<std::optional<engine::Sale>> SqlSalesRepository::find_sale(const std::string& transaccion_id) {
  return db_.transaction([&](soci::session& sql) { return load_sale(sql, transaccion_id); }, TransactionMode::kRead);
}

Result<std::optional<engine::Transaccion>> SqlSalesRepository::find_by_provider_ref(const std::string& provider,
                                                                                   const std::string& provider_ref) {
  return db_.transaction(
      [&](soci::session& sql) -> std::optional<engine::Transaccion> {
        auto found = query_transacciones(sql, "WHERE provider = :p AND provider_ref = :r", {provider, provider_ref});
        if (found.empty()) return std::nullopt;
        return std::move(found.front());
      },
      TransactionMode::kRead);
}

Result<std::vector<engine::Transaccion>> SqlSalesRepository::list_expired_holds(engine::TimePoint now, int limit) {
  return db_.transaction(
      [&](soci::session& sql) {
        return query_transacciones(
            sql,
            "WHERE status = 'pending' AND id IN (SELECT transaccion_id FROM tickets WHERE estado = 'reservado' "
            "AND hold_expires_at < :now) ORDER BY created_at, id" + limit_clause(limit, 0),
            {format_timestamp(now)});
      },
      TransactionMode::kRead);
}

Result<std::vector<engine::Transaccion>> SqlSalesRepository::list_pending_before(engine::TimePoint cutoff, int limit) {
  return db_.transaction(
      [&](soci::session& sql) {
        return query_transacciones(sql, "WHERE status = 'pending' AND created_at < :cutoff ORDER BY created_at, id" +
                                            limit_clause(limit, 0),
                                   {format_timestamp(cutoff)});
      },
      TransactionMode::kRead);
}

Result<std::vector<engine::Transaccion>> SqlSalesRepository::list_released_before(engine::TimePoint cutoff,
                                                                                   int limit) {
  return db_.transaction(
      [&](soci::session& sql) {
        return query_transacciones(sql,
                                   "WHERE released_at IS NOT NULL AND released_at < :cutoff AND status = 'failed' "
                                   "AND provider_ref IS NOT NULL ORDER BY released_at, id" +
                                       limit_clause(limit, 0),
                                   {format_timestamp(cutoff)});
      },
      TransactionMode::kRead);
}

Result<void> SqlSalesRepository::mark_release_checked(const std::string& transaccion_id) {
  return db_.transaction([&](soci::session& sql) {
    sql << "UPDATE transacciones SET released_at = NULL WHERE id = :id", soci::use(transaccion_id);
  });
}

Result<void> SqlSalesRepository::record_audit(const engine::AuditEntry& entry, engine::TimePoint at) {
  const Backend backend = db_.backend();
  return db_.transaction([&](soci::session& sql) { append_audit(sql, backend, audit_record(entry, at)); });
}

Result<int64_t> SqlSalesRepository::purge_expired_keys(engine::TimePoint now) {
  return db_.transaction([&](soci::session& sql) -> int64_t {
    const std::string at = format_timestamp(now);
    soci::statement st = one_time_statement(sql, "DELETE FROM idempotency_keys WHERE status = 'completed' AND expires_at < :now",
                          soci::use(at));
    st.execute(true);
    return affected(st);
  });
}

Result<engine::Page<engine::Ticket>> SqlSalesRepository::list_tickets(const engine::TicketFilter& filter,
                                                                     const engine::PageRequest& page) {
  return db_.transaction(
      [&](soci::session& sql) {
        std::string where;
        std::vector<std::string> values;
        const auto add = [&](const char* condition, const std::string& value) {
          where += (where.empty() ? "WHERE " : " AND ") + std::string(condition);
          values.push_back(value);
        };
        if (filter.rifa_id) add("rifa_id = :rifa", *filter.rifa_id);
        if (filter.usuario_id) add("usuario_id = :usuario", *filter.usuario_id);
        if (filter.estado) add("estado = :estado", *filter.estado);
        engine::Page<engine::Ticket> out;
        out.page = page.page;
        out.per_page = page.per_page;
        out.total = count_rows(sql, "tickets " + where, values);
        out.items = query_tickets(sql, where + " ORDER BY rifa_id, numero" + limit_clause(page.per_page, page.offset()),
                                  values);
        return out;
      },
      TransactionMode::kRead);
}

}  // namespace rifa::storage
