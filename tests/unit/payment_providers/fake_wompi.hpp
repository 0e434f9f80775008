#pragma once
// A loopback fake of Wompi's API (docs.wompi.co, Colombia): the merchant's acceptance token,
// POST /transactions checked against the integrity signature, PSE and Bancolombia transfer whose
// async_payment_url appears when the transaction is polled, Nequi left PENDING, cards APPROVED or
// DECLINED, search by reference, void; and events signed the way Wompi signs them. And the
// third-party payments API (pagos a terceros, docs.wompi.co "crea-tu-primer-lote",
// "consultas-y-operaciones"): POST /payouts (x-api-key, user-principal-id, idempotency-key: the same
// key answers the same batch and makes no new one) and GET /payouts?reference=.
#include <atomic>
#include <regex>
#include <set>

#include "provider_harness.hpp"
#include "rifa/sdk/sha256.hpp"

namespace rifa::testing {

class FakeWompi : public FakeServer {
 public:
  FakeWompi(std::string public_key, std::string private_key, std::string integrity, std::string events)
      : public_key_(std::move(public_key)),
        private_key_(std::move(private_key)),
        integrity_(std::move(integrity)),
        events_(std::move(events)) {
    router_.add("GET", "/v1/merchants/{key}", [this](api::Request& r) {
      remember(r);
      if (r.path_params["key"] != public_key_) return json_answer(404, {{"error", {{"type", "NOT_FOUND_ERROR"}}}});
      return json_answer(200, {{"data",
                                {{"id", 4321},
                                 {"name", "Rifa1122"},
                                 {"public_key", public_key_},
                                 {"presigned_acceptance",
                                  {{"acceptance_token", kAcceptance},
                                   {"permalink", "https://wompi.co/terminos.pdf"},
                                   {"type", "END_USER_POLICY"}}}}}});
    });
    router_.add("POST", "/v1/transactions", [this](api::Request& r) { return guarded(r, [&] { return create(r); }); });
    router_.add("GET", "/v1/transactions", [this](api::Request& r) {
      return guarded(r, [&] {
        std::lock_guard<std::mutex> lock(mutex_);
        json data = json::array();
        for (const auto& [id, tx] : transactions_) {
          if (tx["reference"] == r.query["reference"]) data.push_back(tx);
        }
        return json_answer(200, {{"data", data}, {"meta", json::object()}});
      });
    });
    router_.add("GET", "/v1/transactions/{id}", [this](api::Request& r) {
      return guarded(r, [&] {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = transactions_.find(r.path_params["id"]);
        if (it == transactions_.end()) return json_answer(404, {{"error", {{"type", "NOT_FOUND_ERROR"}}}});
        json& tx = it->second;
        const std::string type = tx["payment_method_type"];
        if ((type == "PSE" || type == "BANCOLOMBIA_TRANSFER") && tx["status"] == "PENDING") {
          tx["payment_method"]["extra"] = {
              {"async_payment_url", "https://registro.pse.com.co/PSENF/index.html?enc=" + tx["id"].get<std::string>()}};
        }
        return json_answer(200, {{"data", tx}});
      });
    });
    router_.add("POST", "/v1/transactions/{id}/void", [this](api::Request& r) {
      return guarded(r, [&] {
        std::lock_guard<std::mutex> lock(mutex_);
        json& tx = transactions_.at(r.path_params["id"]);
        tx["status"] = "VOIDED";
        ++voids;
        return json_answer(201, {{"data", {{"transaction", tx}}}});
      });
    });
    router_.add("POST", "/v1/payouts", [this](api::Request& r) { return payouts_guarded(r, [&] { return pay(r); }); });
    router_.add("GET", "/v1/payouts", [this](api::Request& r) {
      return payouts_guarded(r, [&] {
        std::lock_guard<std::mutex> lock(mutex_);
        json data = json::array();
        for (const auto& [key, batch] : batches_) {
          if (batch["reference"] == r.query["reference"]) data.push_back(batch);
        }
        return json_answer(200, {{"data", data}, {"meta", {{"page", 1}, {"total", data.size()}}}});
      });
    });
    start();
  }

  // The payouts API's credentials and the origin account and banks it knows.
  static constexpr const char* kPayoutsKey = "fakePayoutsApiKey0123";
  static constexpr const char* kPrincipal = "fakePrincipal0123";
  static constexpr const char* kAccountId = "9c3e1f7a-2b4d-4e6f-8a0b-1c2d3e4f5a6b";
  static constexpr const char* kBancolombia = "5b6f0a9e-6c1e-4f1d-9a0e-3f2b1c7d8e01";
  static constexpr const char* kNequi = "0b4a3d2c-1e5f-4a6b-8c7d-9e0f1a2b3c4d";
  // The next POST /payouts answers 500 before making a batch (it is still counted in
  // payout_posts); or makes the batch, then answers 500
  // (the answer lost on its way back).
  std::atomic<int> fail_next_payout{0};
  std::atomic<int> fail_after_payout{0};
  std::string new_batch_status = "PENDING";  // set before the first payout
  // Every POST /payouts that reached the handler: its idempotency-key and body.
  struct PayoutPost {
    std::string idempotency_key;
    json body;
  };
  std::vector<PayoutPost> payout_posts() {
    std::lock_guard<std::mutex> lock(mutex_);
    return payout_posts_;
  }
  // The batches made (one per idempotency-key), as GET /payouts shows them.
  std::vector<json> batches() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<json> out;
    for (const auto& [key, batch] : batches_) out.push_back(batch);
    return out;
  }
  void settle_batch(const std::string& reference, const std::string& status) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& [key, batch] : batches_) {
      if (batch["reference"] == reference) batch["status"] = status;
    }
  }

  static constexpr const char* kAcceptance = "eyJhbGciOiJIUzI1NiJ9.acceptance.fake";
  std::set<int64_t> decline_amounts;
  std::atomic<int> fail_next{0};
  std::atomic<int> created{0};
  std::atomic<int> voids{0};

  void settle(const std::string& id, const std::string& status, const std::string& message = "") {
    std::lock_guard<std::mutex> lock(mutex_);
    transactions_.at(id)["status"] = status;
    if (!message.empty()) transactions_.at(id)["status_message"] = message;
  }
  json transaction(const std::string& id) {
    std::lock_guard<std::mutex> lock(mutex_);
    return transactions_.at(id);
  }
  // The event Wompi POSTs for a transaction, signed with `secret` (default: the events secret).
  json event(const std::string& id, int64_t timestamp_s, const std::string& secret = "") {
    const json tx = transaction(id);
    json e = {{"event", "transaction.updated"},
              {"data", {{"transaction", tx}}},
              {"environment", "test"},
              {"signature", {{"properties", {"transaction.id", "transaction.status", "transaction.amount_in_cents"}}}},
              {"timestamp", timestamp_s},
              {"sent_at", "2026-01-01T00:00:00.000Z"}};
    const std::string input = tx["id"].get<std::string>() + tx["status"].get<std::string>() +
                              std::to_string(tx["amount_in_cents"].get<int64_t>()) + std::to_string(timestamp_s) +
                              (secret.empty() ? events_ : secret);
    e["signature"]["checksum"] = sdk::sha256_hex(input);
    return e;
  }

 private:
  template <typename F>
  api::Response guarded(api::Request& r, F&& f) {
    remember(r);
    if (r.header("authorization") != "Bearer " + private_key_) {
      return json_answer(401,
                         {{"error", {{"type", "INVALID_ACCESS_TOKEN"}, {"reason", "Se esperaba una llave privada"}}}});
    }
    if (fail_next > 0) {
      --fail_next;
      return json_answer(502, {{"error", {{"type", "BAD_GATEWAY"}}}});
    }
    return f();
  }

  template <typename F>
  api::Response payouts_guarded(api::Request& r, F&& f) {
    remember(r);
    if (r.header("x-api-key") != kPayoutsKey || r.header("user-principal-id") != kPrincipal) {
      return json_answer(401, {{"error", {{"type", "UNAUTHORIZED"}, {"reason", "Credenciales inválidas"}}}});
    }
    return f();
  }

  api::Response pay(api::Request& r) {
    const std::string key = r.header("idempotency-key");
    if (!std::regex_match(key, std::regex("^[A-Za-z0-9-]{1,64}$"))) {
      return json_answer(
          400, {{"error", {{"type", "INPUT_VALIDATION_ERROR"}, {"messages", {{"idempotency-key", {"inválida"}}}}}}});
    }
    const json body = json::parse(r.body, nullptr, false);
    const auto invalid = [](const std::string& field) {
      return json_answer(422, {{"error", {{"type", "INPUT_VALIDATION_ERROR"}, {"messages", {{field, {"inválido"}}}}}}});
    };
    if (body.is_discarded() || !body.is_object()) return invalid("body");
    if (body.value("accountId", "") != kAccountId) return invalid("accountId");
    if (!body.contains("transactions") || !body["transactions"].is_array() || body["transactions"].empty()) {
      return invalid("transactions");
    }
    int64_t total = 0;
    for (const auto& tx : body["transactions"]) {
      const std::string bank = tx.value("bankId", "");
      if (bank != kBancolombia && bank != kNequi) return invalid("bankId");
      const std::string type = tx.value("accountType", "");
      if (type != "AHORROS" && type != "CORRIENTE") return invalid("accountType");
      if (!std::regex_match(tx.value("legalIdType", ""), std::regex("^(CC|CE|NIT|PP|TI)$")))
        return invalid("legalIdType");
      if (!tx.contains("amount") || !tx["amount"].is_number_integer() || tx["amount"].get<int64_t>() <= 0) {
        return invalid("amount");
      }
      total += tx["amount"].get<int64_t>();
    }
    std::lock_guard<std::mutex> lock(mutex_);
    payout_posts_.push_back({key, body});
    if (fail_next_payout > 0) {
      --fail_next_payout;
      return json_answer(500, {{"error", {{"type", "INTERNAL_SERVER_ERROR"}}}});
    }
    auto it = batches_.find(key);
    if (it == batches_.end()) {
      json batch = {{"id", "batch-" + std::to_string(batches_.size() + 1)},
                    {"reference", body.value("reference", "")},
                    {"status", new_batch_status},
                    {"accountId", kAccountId},
                    {"paymentType", body.value("paymentType", "")},
                    {"totalTransactions", body["transactions"].size()},
                    {"totalAmountInCents", total},
                    {"transactions", body["transactions"]}};
      it = batches_.emplace(key, batch).first;
    }
    if (fail_after_payout > 0) {
      --fail_after_payout;
      return json_answer(500, {{"error", {{"type", "INTERNAL_SERVER_ERROR"}}}});
    }
    return json_answer(201, {{"data", it->second}});
  }

  api::Response create(api::Request& r) {
    const json body = json::parse(r.body);
    const std::string reference = body["reference"];
    const int64_t amount = body["amount_in_cents"];
    const std::string signature =
        sdk::sha256_hex(reference + std::to_string(amount) + body["currency"].get<std::string>() + integrity_);
    if (body.value("signature", "") != signature) {
      return json_answer(
          422,
          {{"error", {{"type", "INPUT_VALIDATION_ERROR"}, {"messages", {{"signature", {"La firma es inválida"}}}}}}});
    }
    if (body.value("acceptance_token", "") != kAcceptance) {
      return json_answer(
          422, {{"error", {{"type", "INPUT_VALIDATION_ERROR"}, {"messages", {{"acceptance_token", {"inválido"}}}}}}});
    }
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [id, tx] : transactions_) {
      if (tx["reference"] == reference) {
        return json_answer(422, {{"error",
                                  {{"type", "INPUT_VALIDATION_ERROR"},
                                   {"messages", {{"reference", {"La referencia ya ha sido usada"}}}}}}});
      }
    }
    const std::string id = "1234-1767225600-" + std::to_string(10000 + ++counter_);
    const json method = body["payment_method"];
    const std::string type = method["type"];
    json tx = {{"id", id},
               {"created_at", "2026-01-01T00:00:0" + std::to_string(counter_ % 10) + ".000Z"},
               {"amount_in_cents", amount},
               {"reference", reference},
               {"customer_email", body["customer_email"]},
               {"currency", body["currency"]},
               {"payment_method_type", type},
               {"payment_method", method},
               {"status", "PENDING"},
               {"status_message", nullptr}};
    if (type == "CARD") {
      if (decline_amounts.count(amount)) {
        tx["status"] = "DECLINED";
        tx["status_message"] = "Fondos insuficientes";
      } else {
        tx["status"] = "APPROVED";
      }
    }
    transactions_[id] = tx;
    ++created;
    return json_answer(201, {{"data", tx}});
  }

  std::string public_key_, private_key_, integrity_, events_;
  int counter_ = 0;
  std::map<std::string, json> transactions_;
  std::map<std::string, json> batches_;  // by idempotency-key
  std::vector<PayoutPost> payout_posts_;
};

}  // namespace rifa::testing
