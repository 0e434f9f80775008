#include "storage/one_time_statement.hpp"
#include "storage/repositories/sql_sales_repository.hpp"

#include <algorithm>

#include "storage/repositories/sql_support.hpp"
#include "storage/sql_estados.hpp"
#include "storage/timestamps.hpp"

namespace rifa::storage {
namespace {

using engine::PaymentStatus;
using engine::TicketEstado;

// The estados the statements below write and compare, from their one place (storage/sql_estados.hpp).
const std::string kFree = sql_literal(TicketEstado::kDisponible), kHeld = sql_literal(TicketEstado::kReservado),
                  kSold = sql_literal(TicketEstado::kVendido), kVoided = sql_literal(TicketEstado::kAnulado),
                  kWon = sql_literal(TicketEstado::kGanador);
const std::string kPending = sql_literal(PaymentStatus::kPending), kSucceeded = sql_literal(PaymentStatus::kSucceeded),
                  kFailed = sql_literal(PaymentStatus::kFailed);

const char* kSelectTransaccion =
    "SELECT id, user_id, rifa_id, amount, currency, provider, provider_ref, status, payment_method, failure_reason, "
    "created_at, next_action FROM transacciones ";

const char* kSelectTicket =
    "SELECT id, rifa_id, usuario_id, numero, estado, precio, transaccion_id, comprado_en, hold_expires_at "
    "FROM tickets ";

struct TransaccionRow {
  std::string id, user_id, rifa_id, currency, provider, provider_ref, status, payment_method, failure_reason,
      created_at, next_action;
  long long amount = 0;
  soci::indicator rifa_ind = soci::i_null, ref_ind = soci::i_null, method_ind = soci::i_null, reason_ind = soci::i_null,
                  next_ind = soci::i_null;

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
    st.exchange(soci::into(next_action, next_ind));
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
    t.next_action = optional_text(next_action, next_ind);
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
    do { out.push_back(row.get()); } while (st.fetch());
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
    do { out.push_back(row.get()); } while (st.fetch());
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

long long affected(soci::statement& st) { return st.get_affected_rows(); }

// ticket_sold for each sold ticket of `sale`, in one call of the sink.
void raise_sold(soci::session& sql, const DomainEventBatchSink& events, const engine::Sale& sale,
                const std::optional<std::string>& categoria, engine::TimePoint at) {
  const auto& t = sale.transaccion;
  std::vector<DomainEvent> sold;
  for (const auto& ticket : sale.tickets) {
    if (ticket.estado != engine::to_string(engine::TicketEstado::kVendido)) continue;
    sold.push_back(DomainEvent{
        "ticket_sold",
        t.rifa_id,
        ticket.id,
        {{"numero", ticket.numero}, {"precio", ticket.precio}, {"user_id", t.user_id}, {"transaccion_id", t.id}},
        at});
  }
  if (!sold.empty()) events(sql, sold, categoria);
}

// The body of settle(), inside the caller's transaction.
Result<engine::SettleOutcome> settle_in(soci::session& sql, Backend backend, const DomainEventBatchSink& events,
                                        const engine::SettlePayment& c) {
  engine::SettleOutcome out;
  PaymentStatus target = c.to;
  std::string why = c.reason;
  if (c.to == PaymentStatus::kSucceeded && c.from != c.to) {
    // Only a rifa still on sale sells; the lock makes a close wait for this confirmation (and
    // this one wait for a close, then see it).
    std::string estado, fecha_fin;
    sql << std::string(
               "SELECT r.estado, r.fecha_fin FROM rifas r JOIN transacciones t ON t.rifa_id = r.id "
               "WHERE t.id = :id") +
               (backend == Backend::kPostgresql ? " FOR SHARE OF r" : ""),
        soci::use(c.transaccion_id), soci::into(estado), soci::into(fecha_fin);
    if (sql.got_data()) {
      const auto ends = read_timestamp(fecha_fin);
      if (estado != "activa" || c.now >= ends) {
        out.sale_refused = estado != "activa" ? "the rifa is " + estado + ": the payment came too late and is refunded"
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
  // The app's next step is kept only while the payment stays pending.
  NullableText next_action(target == PaymentStatus::kPending ? c.next_action : std::nullopt);
  // (Leaving pending, :next is bound NULL and clears it.)
  const std::string keep_next_action =
      target == PaymentStatus::kPending ? "COALESCE(:next, next_action)" : "CAST(:next AS TEXT)";
  soci::statement st =
      one_time_statement(sql,
                         "UPDATE transacciones SET status = :to, provider_ref = COALESCE(:ref, provider_ref), "
                         "failure_reason = COALESCE(:reason, failure_reason), next_action = " +
                             keep_next_action + ", updated_at = :now WHERE id = :id AND status = :from",
                         soci::use(to), soci::use(ref.value, ref.indicator), soci::use(reason.value, reason.indicator),
                         soci::use(next_action.value, next_action.indicator), soci::use(now),
                         soci::use(c.transaccion_id), soci::use(from));
  st.execute(true);
  out.changed = affected(st) == 1 && c.from != target;
  if (!out.changed) out.sale_refused.reset();
  if (out.changed) {
    if (target == PaymentStatus::kSucceeded) {
      sql << "UPDATE tickets SET estado = " + kSold +
                 ", comprado_en = :now, hold_expires_at = NULL "
                 "WHERE transaccion_id = :id AND estado = " +
                 kHeld,
          soci::use(now), soci::use(c.transaccion_id);
    } else if (target == PaymentStatus::kFailed) {
      sql << "UPDATE tickets SET estado = " + kFree +
                 ", usuario_id = NULL, transaccion_id = NULL, "
                 "hold_expires_at = NULL WHERE transaccion_id = :id AND estado = " +
                 kHeld,
          soci::use(c.transaccion_id);
    } else if (target == PaymentStatus::kRefunded) {
      // A winning ticket given back is no longer a winner: its payout is refused (PayoutService).
      sql << "UPDATE tickets SET estado = " + kVoided +
                 ", hold_expires_at = NULL WHERE transaccion_id = :id AND "
                 "estado IN (" +
                 kSold + ", " + kHeld + ", " + kWon + ")",
          soci::use(c.transaccion_id);
    }
  }
  auto sale = load_sale(sql, c.transaccion_id);
  if (!sale) return make_error(ErrorCode::kNotFound, "transaccion " + c.transaccion_id + " does not exist");
  out.sale = std::move(*sale);
  if (out.changed) {
    const auto& t = out.sale.transaccion;
    nlohmann::json data = {{"from", from},           {"to", to},
                           {"source", c.source},     {"amount", t.amount},
                           {"currency", t.currency}, {"provider", t.provider},
                           {"rifa_id", t.rifa_id},   {"tickets", out.sale.tickets.size()}};
    if (t.provider_ref) data["provider_ref"] = *t.provider_ref;
    if (!why.empty()) data["reason"] = why;
    if (out.sale_refused) data["sale_refused"] = true;
    if (events && target == PaymentStatus::kSucceeded) raise_sold(sql, events, out.sale, std::nullopt, c.now);
    if (events && target == PaymentStatus::kRefunded) {
      // The buyer paid and got the money back (a success that came after the hold or the sale
      // ended, or a refund the provider reports): the same "refund" event a cancelled rifa raises.
      nlohmann::json refund = {{"user_id", t.user_id},
                               {"transaccion_id", t.id},
                               {"amount_cents", t.amount},
                               {"currency", t.currency},
                               {"reason", why}};
      refund["refund_ref"] = c.refund_ref ? nlohmann::json(*c.refund_ref) : nlohmann::json();
      events(sql, {DomainEvent{"refund", t.rifa_id, t.id, refund, c.now}}, std::nullopt);
    }
    // Last: on PostgreSQL the audit chain's lock is then held only until the commit.
    append_audit(sql, backend,
                 AuditRecord{c.actor, std::string("payment.") + to, "transacciones", c.transaccion_id, data, c.now});
  }
  return out;
}

}  // namespace

namespace {

using Row = std::vector<SqlText>;

std::string text_of(const SqlText& v) { return v.value_or(std::string()); }
long long integer_of(const SqlText& v) { return v ? std::stoll(*v) : 0; }
SqlText text(std::string v) { return SqlText(std::move(v)); }
SqlText optional_param(const std::optional<std::string>& v) { return v ? SqlText(*v) : SqlText(); }
SqlText number(long long v) { return SqlText(std::to_string(v)); }

// The transaccion columns, then the ticket columns, as the statements below return them.
constexpr const char* kTransaccionColumns =
    "id, user_id, rifa_id, amount, currency, provider, provider_ref, status, payment_method, failure_reason, "
    "created_at";
constexpr std::size_t kTransaccionWidth = 11;
constexpr const char* kTicketColumns =
    "id, rifa_id, usuario_id, numero, estado, precio, transaccion_id, comprado_en, hold_expires_at";
constexpr std::size_t kTicketWidth = 9;

engine::Transaccion transaccion_at(const Row& row, std::size_t at) {
  engine::Transaccion t;
  t.id = text_of(row[at]);
  t.user_id = text_of(row[at + 1]);
  t.rifa_id = text_of(row[at + 2]);
  t.amount = integer_of(row[at + 3]);
  t.currency = text_of(row[at + 4]);
  t.provider = text_of(row[at + 5]);
  t.provider_ref = row[at + 6];
  t.status = engine::parse_payment_status(text_of(row[at + 7])).value_or(PaymentStatus::kPending);
  t.payment_method = row[at + 8];
  t.failure_reason = row[at + 9];
  t.created_at = read_timestamp(text_of(row[at + 10]));
  return t;
}

engine::Ticket ticket_at(const Row& row, std::size_t at) {
  engine::Ticket t;
  t.id = text_of(row[at]);
  t.rifa_id = text_of(row[at + 1]);
  t.usuario_id = row[at + 2];
  t.numero = static_cast<int32_t>(integer_of(row[at + 3]));
  t.estado = text_of(row[at + 4]);
  t.precio = integer_of(row[at + 5]);
  t.transaccion_id = row[at + 6];
  if (row[at + 7]) t.comprado_en = read_timestamp(*row[at + 7]);
  if (row[at + 8]) t.hold_expires_at = read_timestamp(*row[at + 8]);
  return t;
}

// The ORDER BY of the free numbers: the engine's NumberAssignment, as SQL; a random order's
// constants are parameters (order_params), so one statement text serves every rifa.
std::string order_by(const engine::NumberAssignment& order) {
  if (!order.random) return "numero";
  return "((CAST(numero AS BIGINT) + CAST(:oshift AS BIGINT)) * CAST(:omult AS BIGINT)) % CAST(:on AS BIGINT), numero";
}

void add_order_params(const engine::NumberAssignment& order, std::vector<SqlText>& params, std::size_t at) {
  if (!order.random) return;
  params.insert(params.begin() + static_cast<std::ptrdiff_t>(at),
                {std::to_string(order.shift), std::to_string(order.mult), std::to_string(order.n)});
}

// A purchase's transaction (engine::PurchaseTransaction). Its hot statements are prepared once per
// pooled session (StatementCache). On PostgreSQL each step is one statement (data-modifying CTEs);
// SQLite runs the same steps as a few in-process statements under its single writer lock.
class SqlPurchaseTransaction final : public engine::PurchaseTransaction {
 public:
  SqlPurchaseTransaction(OpenTransaction tx, const DomainEventBatchSink& events)
      : tx_(std::move(tx)), pg_(tx_.database().backend() == Backend::kPostgresql), events_(events) {}

  Result<engine::PurchaseFacts> claim(const engine::KeyClaim& c) override {
    return guarded([&]() -> Result<engine::PurchaseFacts> {
      StatementCache& st = tx_.statements();
      const std::string now = format_timestamp(c.now), expires = format_timestamp(c.key_expires_at);
      // The facts, read in one statement on both backends; on PostgreSQL the same statement claims
      // the key and, once the key is this request's, takes the buyer's advisory lock for this rifa
      // (after the key, so that two requests with one key never wait on each other crosswise).
      static const std::string kFacts =
          "(SELECT CASE WHEN is_active THEN 1 ELSE 0 END FROM users WHERE id = :fu1), "
          "k.request_hash, k.status, k.created_at, k.expires_at, k.transaccion_id, k.response_status, "
          "k.response_body, rf.estado, rf.assignment, rf.total_boletas, rf.nombre, rf.assignment_seed, rf.fecha_fin, "
          "(SELECT count(*) FROM tickets WHERE rifa_id = :fr1 AND usuario_id = :fu2 AND estado = " +
          kHeld +
          "), "
          "bu.fecha_nacimiento, bu.autoexcluido_hasta, bu.limites, bu.limites_pendientes, rf.payment_instance ";
      static const std::string kFrom =
          "FROM (SELECT 1 AS one) one LEFT JOIN rf ON 1 = 1 "
          "LEFT JOIN idempotency_keys k ON k.user_id = :fu3 AND k.key = :fk1 LEFT JOIN users bu ON bu.id = :fu4";
      static const std::string kRifa =
          "rf AS (SELECT r.estado, r.assignment, r.total_boletas, c.nombre, r.assignment_seed, r.fecha_fin, "
          "r.payment_instance "
          "FROM rifas r JOIN categoria_rifa c ON c.id = r.categoria_id WHERE r.id = :rr1";
      // PostgreSQL types the parameters of an INSERT ... SELECT from the CASTs; SQLite's columns
      // take the text as it is (a CAST to a timestamp type would make a number of it there).
      const auto insert_key = [](bool typed) {
        const auto as = [typed](const char* name, const char* type) {
          return typed ? "CAST(" + std::string(name) + " AS " + type + ")" : std::string(name);
        };
        return "INSERT INTO idempotency_keys (key, user_id, request_hash, status, created_at, expires_at) SELECT " +
               as(":ik", "TEXT") + ", " + as(":iu", "TEXT") + ", " + as(":ih", "TEXT") + ", 'in_flight', " +
               as(":inow", "TIMESTAMPTZ") + ", " + as(":iexp", "TIMESTAMPTZ") +
               " WHERE EXISTS (SELECT 1 FROM users WHERE id = :iu2 AND is_active) ON CONFLICT (user_id, key) DO "
               "NOTHING";
      };
      const std::vector<SqlText> facts_params = {c.user_id, c.rifa_id, c.user_id, c.user_id, c.key, c.user_id};
      const std::vector<SqlText> insert_params = {c.key, c.user_id, c.request_hash, now, expires, c.user_id};
      std::vector<Row> rows;
      long long claimed = 0;
      if (pg_) {
        static const std::string kClaim = "WITH " + kRifa + " FOR SHARE OF r), ins AS (" + insert_key(true) +
                                          " RETURNING 1), lk AS (SELECT pg_advisory_xact_lock(hashtext(:lk)) "
                                          "FROM ins) SELECT (SELECT count(*) FROM ins), (SELECT count(*) FROM lk), " +
                                          kFacts + kFrom;
        std::vector<SqlText> params = {c.rifa_id};
        params.insert(params.end(), insert_params.begin(), insert_params.end());
        params.push_back(text("rifa1122-held:" + c.rifa_id + ":" + c.user_id));
        params.insert(params.end(), facts_params.begin(), facts_params.end());
        rows = st.query(kClaim, params, 22);
        if (rows.size() != 1)
          throw soci::soci_error("purchase claim returned " + std::to_string(rows.size()) + " rows");
        claimed = integer_of(rows[0][0]);
        rows[0].erase(rows[0].begin(), rows[0].begin() + 2);
      } else {
        static const std::string kInsertKey = insert_key(false);
        claimed = st.execute(kInsertKey, insert_params);
        static const std::string kRead = "WITH " + kRifa + ") SELECT " + kFacts + kFrom;
        std::vector<SqlText> params = {c.rifa_id};
        params.insert(params.end(), facts_params.begin(), facts_params.end());
        rows = st.query(kRead, params, 20);
        if (rows.size() != 1)
          throw soci::soci_error("purchase facts returned " + std::to_string(rows.size()) + " rows");
      }
      const Row& row = rows[0];
      engine::PurchaseFacts f;
      f.buyer_active = integer_of(row[0]) == 1;
      f.key_claimed = claimed == 1;
      if (!f.key_claimed && row[1]) f.key = key_at(row, 1);
      if (row[8]) {
        engine::PurchaseFacts::Rifa r;
        r.estado = text_of(row[8]);
        r.assignment = text_of(row[9]);
        r.total_boletas = integer_of(row[10]);
        r.categoria = text_of(row[11]);
        r.assignment_seed = row[12];
        r.fecha_fin = read_timestamp(text_of(row[13]));
        r.payment_instance = row[19];
        f.rifa = std::move(r);
      }
      f.held = integer_of(row[14]);
      f.buyer.fecha_nacimiento = row[15];
      if (row[16]) f.buyer.autoexcluido_hasta = read_timestamp(*row[16]);
      f.buyer.limites = row[17];
      f.buyer.limites_pendientes = row[18];
      return f;
    });
  }

  Result<engine::PurchaseFacts::Buyer> lock_buyer(const std::string& user_id) override {
    return guarded([&]() -> Result<engine::PurchaseFacts::Buyer> {
      // NO KEY UPDATE, not UPDATE: this transaction already holds KEY SHARE on the row (the
      // foreign keys of the key and the transaccion it inserted), and so may a concurrent purchase
      // of the same buyer; FOR UPDATE conflicts with KEY SHARE and the two deadlock. Under READ
      // COMMITTED the locked row is the latest committed version. SQLite: this transaction holds
      // the write lock already.
      static const std::string kRead =
          "SELECT fecha_nacimiento, autoexcluido_hasta, limites, limites_pendientes FROM users WHERE id = :u";
      static const std::string kLock = kRead + " FOR NO KEY UPDATE";
      auto rows = tx_.statements().query(pg_ ? kLock : kRead, {user_id}, 4);
      engine::PurchaseFacts::Buyer out;
      if (rows.empty()) return out;
      out.fecha_nacimiento = rows[0][0];
      if (rows[0][1]) out.autoexcluido_hasta = read_timestamp(*rows[0][1]);
      out.limites = rows[0][2];
      out.limites_pendientes = rows[0][3];
      return out;
    });
  }

  Result<engine::Spent> spending(const std::string& user_id, const engine::SpendingWindows& w) override {
    return guarded([&]() -> Result<engine::Spent> {
      const auto sums_sql = [](bool pg) {
        const auto as_ts = [pg](const char* p) {
          return pg ? "CAST(" + std::string(p) + " AS TIMESTAMPTZ)" : std::string(p);
        };
        return "SELECT COALESCE(sum(CASE WHEN created_at >= " + as_ts(":sd") +
               " THEN amount ELSE 0 END), 0), "
               "COALESCE(sum(CASE WHEN created_at >= " +
               as_ts(":sw") +
               " THEN amount ELSE 0 END), 0), "
               "COALESCE(sum(CASE WHEN created_at >= " +
               as_ts(":sm") +
               " THEN amount ELSE 0 END), 0) "
               "FROM transacciones WHERE user_id = :su AND status IN (" +
               kPending + ", " + kSucceeded +
               ") "
               "AND created_at >= " +
               as_ts(":se");
      };
      static const std::string kSumsPg = sums_sql(true), kSums = sums_sql(false);
      const std::vector<SqlText> sums = {format_timestamp(w.day), format_timestamp(w.week), format_timestamp(w.month),
                                         user_id, format_timestamp(w.earliest())};
      // A statement of its own after lock_buyer's: its snapshot sees every purchase of the buyer
      // committed before the lock came.
      auto rows = tx_.statements().query(pg_ ? kSumsPg : kSums, sums, 3);
      return engine::Spent{static_cast<int64_t>(integer_of(rows[0][0])), static_cast<int64_t>(integer_of(rows[0][1])),
                           static_cast<int64_t>(integer_of(rows[0][2]))};
    });
  }

  Result<std::optional<engine::StoredKey>> read_key(const std::string& user_id, const std::string& key) override {
    return guarded([&]() -> Result<std::optional<engine::StoredKey>> {
      auto rows = tx_.statements().query(
          "SELECT request_hash, status, created_at, expires_at, transaccion_id, response_status, response_body "
          "FROM idempotency_keys WHERE user_id = :u AND key = :k",
          {user_id, key}, 7);
      if (rows.empty()) return std::optional<engine::StoredKey>();
      return std::optional<engine::StoredKey>(key_at(rows[0], 0));
    });
  }

  Result<bool> take_over_key(const engine::KeyClaim& c, engine::TimePoint takeover_before) override {
    return guarded([&]() -> Result<bool> {
      const std::string now = format_timestamp(c.now);
      const long long taken = tx_.statements().execute(
          "UPDATE idempotency_keys SET request_hash = :h, status = 'in_flight', created_at = :now, "
          "expires_at = :exp, response_status = NULL, response_body = NULL, "
          "transaccion_id = CASE WHEN expires_at < :now2 THEN NULL ELSE transaccion_id END "
          "WHERE user_id = :u AND key = :k AND (expires_at < :now3 OR "
          "(status = 'in_flight' AND created_at < :takeover))",
          {c.request_hash, now, format_timestamp(c.key_expires_at), now, c.user_id, c.key, now,
           format_timestamp(takeover_before)});
      if (taken == 1 && pg_) {
        // The claim took no lock for a key it did not insert: the buyer's purchases in this rifa
        // are serialised from here on, as for a new key.
        tx_.statements().query("SELECT pg_advisory_xact_lock(hashtext(:lk))",
                               {text("rifa1122-held:" + c.rifa_id + ":" + c.user_id)}, 1);
      }
      return taken == 1;
    });
  }

  Result<std::optional<engine::Sale>> load_sale(const std::string& transaccion_id) override {
    return guarded(
        [&]() -> Result<std::optional<engine::Sale>> { return storage::load_sale(tx_.session(), transaccion_id); });
  }

  Result<std::vector<engine::Ticket>> reserve(const engine::Reservation& r) override {
    return guarded([&]() -> Result<std::vector<engine::Ticket>> {
      StatementCache& st = tx_.statements();
      const std::string now = format_timestamp(r.now), hold = format_timestamp(r.hold_expires_at);
      const std::string limit = std::to_string(r.quantity);
      std::vector<engine::Ticket> out;
      const auto ticket = [&](const Row& row) {
        engine::Ticket t;
        t.id = text_of(row[0]);
        t.rifa_id = r.rifa_id;
        t.usuario_id = r.user_id;
        t.numero = static_cast<int32_t>(integer_of(row[1]));
        t.estado = engine::to_string(engine::TicketEstado::kReservado);
        t.precio = integer_of(row[2]);
        t.transaccion_id = r.transaccion_id;
        t.hold_expires_at = r.hold_expires_at;
        return t;
      };
      // The free numbers, in the engine's order, while the buyer stays under the cap (counted
      // under the buyer's lock, taken by claim() in an earlier statement, so with a fresh snapshot).
      const std::string pick = "SELECT id, numero, precio FROM tickets WHERE rifa_id = :pr AND estado = " + kFree +
                               " AND "
                               "(SELECT count(*) FROM tickets WHERE rifa_id = :hr AND usuario_id = :hu AND estado = " +
                               kHeld + ") + " + limit + " <= CAST(:cap AS BIGINT) ORDER BY " + order_by(r.order) +
                               " LIMIT " + limit;
      if (pg_) {
        // One statement: pick (SKIP LOCKED), insert the transaccion, reserve, point the key at it;
        // all of it only when `quantity` numbers were picked.
        const std::string sql =
            "WITH picked AS (" + pick +
            " FOR UPDATE SKIP LOCKED), "
            "tx AS (INSERT INTO transacciones (id, user_id, rifa_id, amount, currency, provider, status, "
            "idempotency_key, payment_method, created_at, updated_at) SELECT CAST(:tid AS TEXT), CAST(:tu AS TEXT), "
            "CAST(:tr AS TEXT), sum(precio), 'COP', CAST(:tp AS TEXT), " +
            kPending +
            ", CAST(:tk AS TEXT), CAST(:tm AS TEXT), "
            "CAST(:tnow AS TIMESTAMPTZ), CAST(:tnow2 AS TIMESTAMPTZ) FROM picked HAVING count(*) = " +
            limit +
            " RETURNING id), "
            "res AS (UPDATE tickets SET estado = " +
            kHeld +
            ", usuario_id = :ru, transaccion_id = :rt, "
            "hold_expires_at = :rh WHERE id IN (SELECT id FROM picked) AND EXISTS (SELECT 1 FROM tx) "
            "RETURNING id, numero, precio), "
            "kk AS (UPDATE idempotency_keys SET transaccion_id = :kt WHERE user_id = :ku AND key = :kk "
            "AND EXISTS (SELECT 1 FROM tx) RETURNING 1) "
            "SELECT id, numero, precio, (SELECT count(*) FROM kk) FROM res";
        std::vector<SqlText> params = {r.rifa_id,
                                       r.rifa_id,
                                       r.user_id,
                                       number(r.max_held_per_buyer),
                                       r.transaccion_id,
                                       r.user_id,
                                       r.rifa_id,
                                       r.provider,
                                       r.transaccion_id,
                                       optional_param(r.payment_method),
                                       now,
                                       now,
                                       r.user_id,
                                       r.transaccion_id,
                                       hold,
                                       r.transaccion_id,
                                       r.user_id,
                                       r.idempotency_key};
        add_order_params(r.order, params, 4);
        auto rows = st.query(sql, params, 4);
        if (rows.empty()) return out;
        if (static_cast<int32_t>(rows.size()) != r.quantity || integer_of(rows[0][3]) != 1) {
          throw soci::soci_error("reserved " + std::to_string(rows.size()) + " of " + limit + " picked numbers");
        }
        for (const auto& row : rows) out.push_back(ticket(row));
      } else {
        std::vector<SqlText> params = {r.rifa_id, r.rifa_id, r.user_id, number(r.max_held_per_buyer)};
        add_order_params(r.order, params, 4);
        auto rows = st.query(pick, params, 3);
        if (static_cast<int32_t>(rows.size()) != r.quantity) return out;
        long long amount = 0;
        for (const auto& row : rows) amount += integer_of(row[2]);
        st.execute(
            "INSERT INTO transacciones (id, user_id, rifa_id, amount, currency, provider, status, "
            "idempotency_key, payment_method, created_at, updated_at) VALUES (:id, :u, :r, "
            "CAST(:a AS INTEGER), 'COP', :p, " +
                kPending + ", :key, :m, :now, :now2)",
            {r.transaccion_id, r.user_id, r.rifa_id, number(amount), r.provider, r.transaccion_id,
             optional_param(r.payment_method), now, now});
        for (const auto& row : rows) {
          // The database is single-writer here, so this cannot fall short; if it ever did, selling
          // numbers this transaction does not hold must not commit.
          if (st.execute("UPDATE tickets SET estado = " + kHeld +
                             ", usuario_id = :u, transaccion_id = :t, "
                             "hold_expires_at = :h WHERE id = :id AND estado = " +
                             kFree,
                         {r.user_id, r.transaccion_id, hold, row[0]}) != 1) {
            throw soci::soci_error("a picked number was no longer free");
          }
          out.push_back(ticket(row));
        }
        st.execute("UPDATE idempotency_keys SET transaccion_id = :t WHERE user_id = :u AND key = :k",
                   {r.transaccion_id, r.user_id, r.idempotency_key});
      }
      std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.numero < b.numero; });
      return out;
    });
  }

  Result<engine::Availability> availability(const std::string& rifa_id, const std::string& user_id) override {
    return guarded([&]() -> Result<engine::Availability> {
      auto rows = tx_.statements().query(
          "SELECT (SELECT count(*) FROM tickets WHERE rifa_id = :r AND estado = " + kFree +
              "), "
              "(SELECT count(*) FROM tickets WHERE rifa_id = :r2 AND usuario_id = :u AND estado = " +
              kHeld + ")",
          {rifa_id, rifa_id, user_id}, 2);
      engine::Availability a;
      if (!rows.empty()) {
        a.disponible = integer_of(rows[0][0]);
        a.held = integer_of(rows[0][1]);
      }
      return a;
    });
  }

  Result<engine::ConfirmOutcome> confirm_sale(const engine::SaleConfirmation& c) override {
    return guarded([&]() -> Result<engine::ConfirmOutcome> {
      StatementCache& st = tx_.statements();
      const std::string now = format_timestamp(c.now);
      engine::ConfirmOutcome out;
      std::optional<std::string> categoria;
      if (pg_) {
        // One statement: the rifa on sale (held FOR SHARE: a close waits for this sale, or this
        // sale sees the close), pending → succeeded, its numbers sold, the key answered.
        static const std::string kConfirm =
            std::string(
                "WITH onsale AS (SELECT c.nombre FROM rifas r JOIN categoria_rifa c ON c.id = r.categoria_id "
                "WHERE r.id = :rid AND r.estado = 'activa' AND r.fecha_fin > :rnow FOR SHARE OF r), "
                "t AS (UPDATE transacciones SET status = " +
                kSucceeded +
                ", provider_ref = :ref, updated_at = :tnow "
                "WHERE id = :tid AND status = " +
                kPending + " AND EXISTS (SELECT 1 FROM onsale) RETURNING ") +
            kTransaccionColumns + "), s AS (UPDATE tickets SET estado = " + kSold +
            ", comprado_en = :snow, hold_expires_at = NULL "
            "WHERE transaccion_id = :sid AND estado = " +
            kHeld + " AND EXISTS (SELECT 1 FROM t) RETURNING " + kTicketColumns +
            "), kk AS (UPDATE idempotency_keys SET status = 'completed', response_status = CAST(:ks AS INTEGER), "
            "response_body = :kb WHERE user_id = :ku AND key = :kk AND (SELECT count(*) FROM s) = CAST(:kn AS BIGINT) "
            "RETURNING 1) "
            "SELECT t.*, s.*, (SELECT count(*) FROM kk), (SELECT nombre FROM onsale) FROM t LEFT JOIN s ON 1 = 1";
        auto rows = st.query(
            kConfirm,
            {c.rifa_id, now, c.provider_ref, now, c.transaccion_id, now, c.transaccion_id, number(c.response.status),
             c.response.body, c.user_id, c.key, number(static_cast<long long>(c.tickets))},
            kTransaccionWidth + kTicketWidth + 2);
        if (rows.empty()) return out;
        out.confirmed = true;
        out.sale.transaccion = transaccion_at(rows[0], 0);
        for (const auto& row : rows) {
          if (row[kTransaccionWidth]) out.sale.tickets.push_back(ticket_at(row, kTransaccionWidth));
        }
        out.key_completed = integer_of(rows[0][kTransaccionWidth + kTicketWidth]) == 1;
        categoria = rows[0][kTransaccionWidth + kTicketWidth + 1];
      } else {
        auto on_sale = st.query(
            "SELECT c.nombre FROM rifas r JOIN categoria_rifa c ON c.id = r.categoria_id "
            "WHERE r.id = :rid AND r.estado = 'activa' AND r.fecha_fin > :now",
            {c.rifa_id, now}, 1);
        if (on_sale.empty()) return out;
        categoria = on_sale[0][0];
        auto tx = st.query(std::string("UPDATE transacciones SET status = " + kSucceeded +
                                       ", provider_ref = :ref, "
                                       "updated_at = :now WHERE id = :id AND status = " +
                                       kPending + " RETURNING ") +
                               kTransaccionColumns,
                           {c.provider_ref, now, c.transaccion_id}, kTransaccionWidth);
        if (tx.empty()) return out;
        out.confirmed = true;
        out.sale.transaccion = transaccion_at(tx[0], 0);
        auto sold = st.query(std::string("UPDATE tickets SET estado = " + kSold +
                                         ", comprado_en = :now, "
                                         "hold_expires_at = NULL WHERE transaccion_id = :id AND estado = " +
                                         kHeld +
                                         " "
                                         "RETURNING ") +
                                 kTicketColumns,
                             {now, c.transaccion_id}, kTicketWidth);
        for (const auto& row : sold) out.sale.tickets.push_back(ticket_at(row, 0));
        if (out.sale.tickets.size() == c.tickets) {
          st.execute(
              "UPDATE idempotency_keys SET status = 'completed', response_status = CAST(:s AS INTEGER), "
              "response_body = :b WHERE user_id = :u AND key = :k",
              {number(c.response.status), c.response.body, c.user_id, c.key});
          out.key_completed = true;
        }
      }
      std::sort(out.sale.tickets.begin(), out.sale.tickets.end(),
                [](const auto& a, const auto& b) { return a.numero < b.numero; });
      const auto& t = out.sale.transaccion;
      nlohmann::json data = {{"from", "pending"},      {"to", "succeeded"},
                             {"source", c.source},     {"amount", t.amount},
                             {"currency", t.currency}, {"provider", t.provider},
                             {"rifa_id", t.rifa_id},   {"tickets", out.sale.tickets.size()}};
      if (t.provider_ref) data["provider_ref"] = *t.provider_ref;
      if (events_) raise_sold(tx_.session(), events_, out.sale, categoria, c.now);
      append_audit(tx_.session(), tx_.database().backend(),
                   AuditRecord{c.actor, "payment.succeeded", "transacciones", c.transaccion_id, data, c.now});
      return out;
    });
  }

  Result<engine::SettleOutcome> settle(const engine::SettlePayment& change) override {
    return guarded([&]() -> Result<engine::SettleOutcome> {
      return settle_in(tx_.session(), tx_.database().backend(), events_, change);
    });
  }

  Result<void> complete_key(const std::string& user_id, const std::string& key,
                            const engine::StoredResponse& response) override {
    return guarded([&]() -> Result<void> {
      tx_.statements().execute(
          "UPDATE idempotency_keys SET status = 'completed', response_status = CAST(:s AS INTEGER), "
          "response_body = :b WHERE user_id = :u AND key = :k",
          {number(response.status), response.body, user_id, key});
      return {};
    });
  }

  Result<void> record_audit(const engine::AuditEntry& entry, engine::TimePoint at) override {
    return guarded([&]() -> Result<void> {
      append_audit(tx_.session(), tx_.database().backend(), audit_record(entry, at));
      return {};
    });
  }

  Result<void> commit() override { return tx_.commit(); }

 private:
  static engine::StoredKey key_at(const Row& row, std::size_t at) {
    engine::StoredKey k;
    k.request_hash = text_of(row[at]);
    k.status = text_of(row[at + 1]);
    k.created_at = read_timestamp(text_of(row[at + 2]));
    k.expires_at = read_timestamp(text_of(row[at + 3]));
    k.transaccion_id = row[at + 4];
    if (k.status == "completed") {
      k.response = engine::StoredResponse{row[at + 5] ? static_cast<int>(integer_of(row[at + 5])) : 500,
                                          row[at + 6].value_or("{}")};
    }
    return k;
  }

  OpenTransaction tx_;
  bool pg_;
  const DomainEventBatchSink& events_;
};

}  // namespace

Result<std::unique_ptr<engine::PurchaseTransaction>> SqlSalesRepository::begin_purchase() {
  auto tx = db_.begin_transaction();
  if (!tx) return tx.error();
  return std::unique_ptr<engine::PurchaseTransaction>(new SqlPurchaseTransaction(std::move(*tx), events_));
}

Result<engine::SettleOutcome> SqlSalesRepository::settle(const engine::SettlePayment& c) {
  const Backend backend = db_.backend();
  return db_.transaction(
      [&](soci::session& sql) -> Result<engine::SettleOutcome> { return settle_in(sql, backend, events_, c); });
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
        return query_transacciones(sql,
                                   "WHERE status = " + kPending +
                                       " AND id IN (SELECT transaccion_id FROM tickets WHERE estado = " + kHeld +
                                       " "
                                       "AND hold_expires_at < :now) ORDER BY created_at, id" +
                                       limit_clause(limit, 0),
                                   {format_timestamp(now)});
      },
      TransactionMode::kRead);
}

Result<std::vector<engine::Transaccion>> SqlSalesRepository::list_pending_before(engine::TimePoint cutoff, int limit) {
  return db_.transaction(
      [&](soci::session& sql) {
        return query_transacciones(
            sql,
            "WHERE status = " + kPending + " AND created_at < :cutoff ORDER BY created_at, id" + limit_clause(limit, 0),
            {format_timestamp(cutoff)});
      },
      TransactionMode::kRead);
}

Result<std::vector<engine::Transaccion>> SqlSalesRepository::list_released_before(engine::TimePoint cutoff, int limit) {
  return db_.transaction(
      [&](soci::session& sql) {
        return query_transacciones(sql,
                                   "WHERE released_at IS NOT NULL AND released_at < :cutoff AND status = " + kFailed +
                                       " "
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
    soci::statement st = one_time_statement(
        sql, "DELETE FROM idempotency_keys WHERE status = 'completed' AND expires_at < :now", soci::use(at));
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
