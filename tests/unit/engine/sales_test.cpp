// The sales rules that need no database: the payment state machine, the purchase's input checks
// (refused before any storage or provider call), and the receipt's shape.
#include <gtest/gtest.h>

#include <set>

#include "engine/number_assignment.hpp"
#include "engine/purchase_service.hpp"
#include "engine/validation.hpp"

namespace rifa::engine {
namespace {

TEST(PaymentStateMachine, OnlyPendingToADecisionAndPaidToRefunded) {
  using S = PaymentStatus;
  EXPECT_TRUE(payment_transition_allowed(S::kPending, S::kSucceeded));
  EXPECT_TRUE(payment_transition_allowed(S::kPending, S::kFailed));
  EXPECT_TRUE(payment_transition_allowed(S::kSucceeded, S::kRefunded));
  EXPECT_FALSE(payment_transition_allowed(S::kSucceeded, S::kFailed)) << "a late failure must not undo a sale";
  EXPECT_FALSE(payment_transition_allowed(S::kFailed, S::kSucceeded)) << "released numbers are not resurrected";
  EXPECT_FALSE(payment_transition_allowed(S::kSucceeded, S::kSucceeded)) << "a repeat changes nothing";
  EXPECT_FALSE(payment_transition_allowed(S::kPending, S::kRefunded));
  EXPECT_TRUE(payment_transition_allowed(S::kFailed, S::kRefunded)) << "a late payment, given back";
  EXPECT_FALSE(payment_transition_allowed(S::kRefunded, S::kSucceeded));
  for (auto s : {S::kPending, S::kSucceeded, S::kFailed, S::kRefunded})
    EXPECT_EQ(parse_payment_status(to_string(s)), s);
  EXPECT_FALSE(parse_payment_status("paid"));
}

// Any call means the input check let a bad request through.
class UntouchableSales final : public SalesRepository {
 public:
  Result<std::unique_ptr<PurchaseTransaction>> begin_purchase() override { return touched(); }
  Result<SettleOutcome> settle(const SettlePayment&) override { return touched(); }
  Result<std::optional<Sale>> find_sale(const std::string&) override { return touched(); }
  Result<std::optional<Transaccion>> find_by_provider_ref(const std::string&, const std::string&) override {
    return touched();
  }
  Result<std::vector<Transaccion>> list_expired_holds(TimePoint, int) override { return touched(); }
  Result<std::vector<Transaccion>> list_pending_before(TimePoint, int) override { return touched(); }
  Result<std::vector<Transaccion>> list_released_before(TimePoint, int) override { return touched(); }
  Result<void> mark_release_checked(const std::string&) override { return touched(); }
  Result<void> record_audit(const AuditEntry&, TimePoint) override { return touched(); }
  Result<int64_t> purge_expired_keys(TimePoint) override { return touched(); }
  Result<Page<Ticket>> list_tickets(const TicketFilter&, const PageRequest&) override { return touched(); }

 private:
  static Error touched() {
    ADD_FAILURE() << "the repository was called";
    return make_error(ErrorCode::kInternal, "touched");
  }
};

class UntouchableGateway final : public PaymentGateway {
 public:
  std::string instance_for(const std::string&, const std::string&) const override { return "x"; }
  Result<PaymentAnswer> create(const std::string&, const PaymentRequest&) override { return touched(); }
  Result<WebhookEvent> verify_webhook(const std::string&, const std::string&, const std::string&,
                                      const std::string&) override {
    return touched();
  }
  Result<PaymentAnswer> get_payment(const std::string&, const std::string&) override { return touched(); }
  Result<std::string> refund(const std::string&, const std::string&, int64_t, const std::string&) override {
    return touched();
  }

 private:
  static Error touched() {
    ADD_FAILURE() << "the provider was called";
    return make_error(ErrorCode::kInternal, "touched");
  }
};

class FixedClock final : public Clock {
 public:
  TimePoint now() const override { return TimePoint{}; }
};

class FixedIds final : public IdGenerator {
 public:
  std::string next() override { return "id"; }
};

TEST(PurchaseInputChecks, BadRequestsAreRefusedNamingTheFieldBeforeAnyWork) {
  UntouchableSales sales;
  UntouchableGateway gateway;
  FixedClock clock;
  FixedIds ids;
  PurchaseService service(sales, gateway, clock, ids, SalesPolicy{});
  const Actor jugador{"u1", Rol::kJugador};
  const auto refused = [&](PurchaseInput in, ErrorCode code, const std::string& field) {
    auto r = service.purchase(jugador, in);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, code) << r.error().message;
    EXPECT_EQ(field_of(r.error()), field) << r.error().message;
  };
  PurchaseInput ok{"rifa", std::nullopt, 1, std::string("card"), "key"};
  PurchaseInput in = ok;
  in.user_id = "u2";
  refused(in, ErrorCode::kPermissionDenied, "user_id");
  for (int64_t q : {int64_t{0}, int64_t{-1}, kMaxTicketsPerPurchase + 1, INT64_MAX}) {
    in = ok;
    in.quantity = q;
    refused(in, ErrorCode::kInvalidArgument, "quantity");
  }
  in = ok;
  in.idempotency_key = "";
  refused(in, ErrorCode::kInvalidArgument, "idempotency_key");
  in.idempotency_key = std::string(kMaxIdempotencyKeyLength + 1, 'k');
  refused(in, ErrorCode::kInvalidArgument, "idempotency_key");
  in = ok;
  in.payment_method = std::string(kMaxPaymentMethodLength + 1, 'm');
  refused(in, ErrorCode::kInvalidArgument, "payment_method");
  in.payment_method = "";
  refused(in, ErrorCode::kInvalidArgument, "payment_method");
}

TEST(NumberAssignment, RandomIsAPermutationFromTheSeedAndSequentialIsTheNumero) {
  const std::string seed(64, 'a');
  for (int64_t n : {2, 10, 50, 97, 100, 1000}) {
    const NumberAssignment order = number_assignment("random", seed, n);
    ASSERT_TRUE(order.random);
    EXPECT_EQ(order.n, static_cast<uint64_t>(n));
    std::set<uint64_t> positions;
    for (uint64_t numero = 0; numero < static_cast<uint64_t>(n); ++numero) positions.insert(order.position(numero));
    EXPECT_EQ(positions.size(), static_cast<size_t>(n)) << "a bijection of 0.." << n - 1;
    EXPECT_EQ(*positions.rbegin(), static_cast<uint64_t>(n - 1));
    // The same seed, the same order (it is recomputed from the revealed seed); another seed, another.
    const NumberAssignment again = number_assignment("random", seed, n);
    EXPECT_EQ(again.shift, order.shift);
    EXPECT_EQ(again.mult, order.mult);
  }
  const NumberAssignment a = number_assignment("random", std::string(64, 'a'), 1000);
  const NumberAssignment b = number_assignment("random", std::string(64, 'b'), 1000);
  EXPECT_TRUE(a.shift != b.shift || a.mult != b.mult);
  for (const auto& sequential : {number_assignment("sequential", seed, 100), number_assignment("random", seed, 1)}) {
    EXPECT_FALSE(sequential.random);
    EXPECT_EQ(sequential.position(42), 42u);
  }
}

TEST(Receipt, ListsTheTicketsAndThePaymentAndTheHoldWhilePending) {
  Sale sale;
  sale.transaccion.id = "tx";
  sale.transaccion.rifa_id = "r";
  sale.transaccion.amount = 10000;
  sale.transaccion.status = PaymentStatus::kPending;
  Ticket t;
  t.id = "t7";
  t.numero = 7;
  t.estado = "reservado";
  t.hold_expires_at = TimePoint{} + std::chrono::hours(1);
  sale.tickets = {t};
  const auto pending = receipt_json(sale);
  EXPECT_EQ(pending["tickets"], nlohmann::json::parse(R"([{"id":"t7","numero":7,"estado":"reservado"}])"));
  EXPECT_EQ(pending["transaccion_id"], "tx");
  EXPECT_EQ(pending["status"], "pending");
  EXPECT_EQ(pending["amount"], 10000);
  EXPECT_EQ(pending["currency"], "COP");
  EXPECT_EQ(pending["hold_expires_at"], "1970-01-01T01:00:00.000Z");
  sale.transaccion.status = PaymentStatus::kSucceeded;
  EXPECT_FALSE(receipt_json(sale).contains("hold_expires_at"));
}

}  // namespace
}  // namespace rifa::engine
