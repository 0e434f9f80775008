// payment_wompi: Wompi's transactions API (docs.wompi.co) through the host's HTTP transport.
//
// The provider_ref the host keeps is our reference (the transaccion id, unique per payment), which
// every Wompi transaction and event carries: the web checkout creates the transaction on Wompi's
// side, so its id is not known when the purchase is answered. get_payment looks the reference up
// (GET /transactions?reference=…); a created transaction is long-polled by id until PSE's or
// Bancolombia's bank URL appears.
#include <chrono>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <utility>

#include <nlohmann/json.hpp>

#include "payment/request.hpp"
#include "rifa/sdk/plugin.hpp"
#include "rifa/sdk/sha256.hpp"
#include "wompi_config.hpp"
#include "wompi_signature.hpp"

namespace rifa::plugins::wompi {
namespace {

using nlohmann::json;
using payment::find_header;
using payment::lower;
using payment::parse_request;
using payment::require_amount;
using payment::require_string;
using sdk::Error;

// Wompi charges COP only, in centavos that stand for whole pesos.
void check_representable(int64_t cents, const std::string& currency, const char* operation) {
  if (currency != "COP") {
    throw Error(RIFA_ERR_INVALID_ARGUMENT,
                std::string(operation) + ": amount in " + currency + " cannot be represented: Wompi charges COP only");
  }
  if (cents % 100 != 0) {
    throw Error(RIFA_ERR_INVALID_ARGUMENT, std::string(operation) + ": amount_cents " + std::to_string(cents) +
                                               " COP cannot be represented: Wompi takes whole pesos "
                                               "(amount_in_cents ending in 00); refused rather than rounded");
  }
}

// Wompi's transaction status → the host's.
std::string host_status(const std::string& status) {
  if (status == "APPROVED") return "succeeded";
  if (status == "DECLINED" || status == "ERROR") return "failed";
  if (status == "VOIDED") return "refunded";
  return "pending";  // PENDING
}

bool matches(const std::string& text, const char* pattern) { return std::regex_match(text, std::regex(pattern)); }

// The payment method object Wompi's POST /transactions takes, from what the app chose
// (metadata.payment_method), checked per method.
json payment_method(const json& chosen, const std::string& description) {
  const std::string type = chosen.value("type", "");
  const auto text = [&](const char* field) {
    return chosen.contains(field) && chosen[field].is_string() ? chosen[field].get<std::string>() : std::string();
  };
  const auto refuse = [&](const std::string& why) {
    throw Error(RIFA_ERR_INVALID_ARGUMENT, "create_payment: payment_method " + type + ": " + why);
  };
  if (type == "CARD") {
    const std::string token = text("token");
    if (!matches(token, "^tok_[A-Za-z0-9_]+$")) refuse("token must be a Wompi card token (tok_...)");
    const int installments = chosen.value("installments", 1);
    if (installments < 1 || installments > 36) refuse("installments must be 1..36");
    return {{"type", "CARD"}, {"token", token}, {"installments", installments}};
  }
  if (type == "NEQUI") {
    const std::string phone = text("phone_number");
    if (!matches(phone, "^3[0-9]{9}$"))
      refuse("phone_number must be a Colombian mobile number of 10 digits (3XXXXXXXXX)");
    return {{"type", "NEQUI"}, {"phone_number", phone}};
  }
  if (type == "PSE") {
    const int user_type = chosen.value("user_type", -1);
    if (user_type != 0 && user_type != 1) refuse("user_type must be 0 (persona natural) or 1 (persona jurídica)");
    const std::string id_type = text("user_legal_id_type");
    if (!matches(id_type, "^(CC|CE|NIT|PP|TI|DNI|RG|OTHER)$"))
      refuse("user_legal_id_type must be CC, CE, NIT, PP or TI");
    const std::string id = text("user_legal_id");
    if (!matches(id, "^[0-9A-Za-z]{4,20}$"))
      refuse("user_legal_id must be the document number (4 to 20 letters or digits)");
    const std::string bank = text("financial_institution_code");
    if (!matches(bank, "^[0-9]{1,10}$")) refuse("financial_institution_code must be the bank's PSE code (digits)");
    return {{"type", "PSE"},
            {"user_type", user_type},
            {"user_legal_id_type", id_type},
            {"user_legal_id", id},
            {"financial_institution_code", bank},
            {"payment_description", description.substr(0, 64)}};
  }
  if (type == "BANCOLOMBIA_TRANSFER") {
    return {
        {"type", "BANCOLOMBIA_TRANSFER"}, {"user_type", "PERSON"}, {"payment_description", description.substr(0, 64)}};
  }
  throw Error(
      RIFA_ERR_INVALID_ARGUMENT,
      "create_payment: payment_method.type must be CARD, NEQUI, PSE or BANCOLOMBIA_TRANSFER, got '" + type + "'");
}

class WompiPayment final : public sdk::PaymentPlugin {
 public:
  static constexpr uint32_t kPluginFlags = 0;  // immutable state only

  WompiPayment(sdk::Host host, std::string instance_id, std::string config_json)
      : PaymentPlugin(host, std::move(instance_id), std::move(config_json)),
        config_(parse_wompi_config(this->config_json())) {
    this->host().info(std::string("wompi instance in ") + (config_.production ? "PRODUCTION" : "sandbox") +
                      " mode against " + config_.api_base);
  }

  std::string create_payment(const std::string& request_json) override {
    const json request = parse_request(request_json, "create_payment");
    const int64_t cents = require_amount(request, "create_payment");
    const std::string currency = require_string(request, "currency", "create_payment");
    const std::string reference = require_string(request, "idempotency_key", "create_payment");
    check_representable(cents, currency, "create_payment");
    const json metadata = request.value("metadata", json::object());
    const std::string description = request.value("description", std::string("Rifa1122"));

    // The same reference never makes a second transaction: one that exists is answered again.
    if (auto existing = latest_by_reference(reference, "create_payment")) {
      const int64_t earlier = existing->value("amount_in_cents", int64_t{0});
      if (earlier != cents) {
        throw Error(RIFA_ERR_INVALID_ARGUMENT, "reference '" + reference + "' was already used with amount_in_cents " +
                                                   std::to_string(earlier) + ", not " + std::to_string(cents));
      }
      return creation_answer(reference, *existing);
    }

    const std::string signature = integrity_signature(reference, cents, currency, config_.integrity_secret);
    if (!metadata.is_object() || !metadata.contains("payment_method") || !metadata["payment_method"].is_object()) {
      // No method chosen in the app: Wompi's web checkout takes the buyer from here.
      std::string url = config_.checkout_base + "?public-key=" + payment::percent_encode(config_.public_key) +
                        "&currency=" + currency + "&amount-in-cents=" + std::to_string(cents) +
                        "&reference=" + payment::percent_encode(reference) + "&signature%3Aintegrity=" + signature;
      if (!config_.redirect_url.empty()) url += "&redirect-url=" + payment::percent_encode(config_.redirect_url);
      return json({{"provider_ref", reference},
                   {"status", "pending"},
                   {"checkout_url", url},
                   {"next_action", {{"type", "redirect"}, {"url", url}}}})
          .dump();
    }
    const json method = payment_method(metadata["payment_method"], description);
    const std::string email = metadata.value("customer_email", "");
    if (!matches(email, "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$")) {
      throw Error(RIFA_ERR_INVALID_ARGUMENT, "create_payment: metadata.customer_email is required by Wompi");
    }

    json body = {{"acceptance_token", acceptance_token()},
                 {"amount_in_cents", cents},
                 {"currency", currency},
                 {"signature", signature},
                 {"customer_email", email},
                 {"reference", reference},
                 {"payment_method", method}};
    if (!config_.redirect_url.empty()) body["redirect_url"] = config_.redirect_url;
    json transaction = call("POST", "/transactions", body.dump(), "create_payment")["data"];
    const std::string id = transaction.value("id", "");
    host().info("wompi transaction " + id + " (" + method["type"].get<std::string>() + ") for " + reference + ": " +
                transaction.value("status", ""));

    // PSE and Bancolombia hand out the bank's URL a moment later: long-poll the transaction by id.
    const std::string type = method["type"].get<std::string>();
    for (int attempt = 0; attempt < config_.poll_attempts && (type == "PSE" || type == "BANCOLOMBIA_TRANSFER") &&
                          transaction.value("status", "") == "PENDING" && async_url(transaction).empty();
         ++attempt) {
      if (config_.poll_interval_ms > 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(config_.poll_interval_ms));
      transaction = call("GET", "/transactions/" + payment::percent_encode(id), "", "create_payment")["data"];
    }
    return creation_answer(reference, transaction);
  }

  std::string verify_webhook(const std::string& method, const std::string& headers, const std::string& body) override {
    if (method != "POST") throw Error(RIFA_ERR_INVALID_ARGUMENT, "Wompi events are POST requests, got " + method);
    const json event = json::parse(body, nullptr, false);
    if (event.is_discarded() || !event.is_object())
      throw Error(RIFA_ERR_SIGNATURE, "the event body is not a JSON object");
    const std::string header = find_header(headers, "x-event-checksum");
    const std::string in_body =
        event.contains("signature") && event["signature"].is_object() ? event["signature"].value("checksum", "") : "";
    if (header.empty() && in_body.empty()) throw Error(RIFA_ERR_SIGNATURE, "missing X-Event-Checksum");
    verify_event_checksum(event, header.empty() ? in_body : header, config_.events_secret);
    if (!header.empty() && !in_body.empty()) verify_event_checksum(event, in_body, config_.events_secret);

    const int64_t age_s = host().now_unix_ms() / 1000 - event["timestamp"].get<int64_t>();
    if (age_s > config_.event_max_age_s) {
      throw Error(RIFA_ERR_SIGNATURE, "the event's timestamp is " + std::to_string(age_s) + " s old (at most " +
                                          std::to_string(config_.event_max_age_s) + " s accepted)");
    }
    const std::string name = event.value("event", "");
    const std::string environment = event.value("environment", "");
    if (!environment.empty() && (environment == "prod") != config_.production) {
      throw Error(RIFA_ERR_SIGNATURE, "a " + environment + " event reached a " +
                                          (config_.production ? "production" : "sandbox") + " instance");
    }
    if (name != "transaction.updated") {
      throw Error(RIFA_ERR_INVALID_ARGUMENT, "Wompi event '" + name + "' is not handled (only transaction.updated)");
    }
    const json transaction = event["data"].value("transaction", json());
    if (!transaction.is_object() || transaction.value("reference", "").empty() || transaction.value("id", "").empty()) {
      throw Error(RIFA_ERR_INVALID_ARGUMENT, "transaction.updated without data.transaction.id and reference");
    }
    const std::string status = transaction.value("status", "");
    const std::string host = host_status(status);
    json answer = {{"event_id", "wompi:" + transaction["id"].get<std::string>() + ":" + status},
                   {"provider_ref", transaction["reference"]},
                   {"transaction_id", transaction["id"]},
                   {"status", host},
                   {"provider_event", name}};
    if (host == "succeeded") answer["type"] = "payment.succeeded";
    if (host == "failed") answer["type"] = "payment.failed";
    if (host == "refunded") answer["type"] = "payment.refunded";
    if (host == "pending") answer["type"] = "payment.pending";
    if (transaction.contains("amount_in_cents") && transaction["amount_in_cents"].is_number_integer()) {
      answer["amount_cents"] = transaction["amount_in_cents"];
    }
    if (transaction.contains("currency") && transaction["currency"].is_string())
      answer["currency"] = transaction["currency"];
    if (host == "failed") answer["reason"] = reason_of(transaction);
    return answer.dump();
  }

  std::string get_payment(const std::string& provider_ref) override {
    const auto transaction = latest_by_reference(provider_ref, "get_payment");
    if (!transaction) throw Error(RIFA_ERR_NOT_FOUND, "no Wompi transaction has reference '" + provider_ref + "'");
    const std::string status = transaction->value("status", "");
    json answer = {{"provider_ref", provider_ref},
                   {"status", host_status(status)},
                   {"amount_cents", transaction->value("amount_in_cents", int64_t{0})},
                   {"currency", transaction->value("currency", "COP")},
                   {"transaction_id", transaction->value("id", "")},
                   {"provider_status", status}};
    if (status == "DECLINED" || status == "ERROR") answer["reason"] = reason_of(*transaction);
    return answer.dump();
  }

  std::string refund(const std::string& request_json) override {
    const json request = parse_request(request_json, "refund");
    const std::string ref = require_string(request, "provider_ref", "refund");
    const int64_t cents = require_amount(request, "refund");
    require_string(request, "idempotency_key", "refund");
    const auto transaction = latest_by_reference(ref, "refund");
    if (!transaction) throw Error(RIFA_ERR_NOT_FOUND, "no Wompi transaction has reference '" + ref + "'");
    const std::string id = transaction->value("id", "");
    const std::string status = transaction->value("status", "");
    if (status == "VOIDED") return json({{"refund_ref", id}, {"status", "succeeded"}}).dump();  // already given back
    if (transaction->value("payment_method_type", "") != "CARD") {
      throw Error(RIFA_ERR_UNSUPPORTED, "refund: Wompi only voids card transactions through the API; transaction " +
                                            id + " (" + transaction->value("payment_method_type", "") +
                                            ") must be refunded from Wompi's dashboard");
    }
    if (status != "APPROVED") throw Error(RIFA_ERR_INVALID_ARGUMENT, "refund: transaction " + id + " is " + status);
    if (cents != transaction->value("amount_in_cents", int64_t{0})) {
      throw Error(RIFA_ERR_UNSUPPORTED, "refund: Wompi voids a card transaction in full only");
    }
    const json voided = call("POST", "/transactions/" + payment::percent_encode(id) + "/void", "{}", "refund");
    const json data = voided.value("data", json::object());
    const json tx = data.is_object() && data.contains("transaction") ? data["transaction"] : data;
    const std::string after = tx.is_object() ? tx.value("status", "") : "";
    return json({{"refund_ref", id}, {"status", after == "VOIDED" ? "succeeded" : "pending"}}).dump();
  }

  // Wompi's third-party payments: one batch of one transaction per prize. The batch's reference is
  // our idempotency key (made to fit Wompi's rules, payout_key()), and a batch of that reference is
  // looked up before one is created: Wompi's idempotency-key expires after 24 hours, the lookup
  // does not, so a retry days later still finds the first batch instead of paying twice.
  std::string payout(const std::string& request_json) override {
    const json request = parse_request(request_json, "payout");
    const int64_t cents = require_amount(request, "payout");
    const std::string currency = require_string(request, "currency", "payout");
    const std::string key = require_string(request, "idempotency_key", "payout");
    if (config_.payouts_account_id.empty()) {
      throw Error(RIFA_ERR_UNSUPPORTED,
                  "payout: this Wompi instance has no payouts_account_id, so third-party payments (pagos a "
                  "terceros) are off; configure them or record the prize as paid by hand");
    }
    if (currency != "COP") {
      throw Error(RIFA_ERR_INVALID_ARGUMENT, "payout: amount in " + currency + " cannot be paid: Wompi pays COP only");
    }
    const std::string reference = payout_key(key);
    const json transaction = payee(request.value("beneficiary", json::object()), cents, reference);
    if (auto batch = batch_by_reference(reference)) return payout_answer(*batch, cents);

    const json body = {{"reference", reference},
                       {"accountId", config_.payouts_account_id},
                       {"paymentType", config_.payouts_payment_type},
                       {"transactions", json::array({transaction})}};
    const json created = payouts_call("POST", "/payouts", body.dump(), "payout", reference);
    const json data = created.value("data", json());
    if (!data.is_object()) throw Error(RIFA_ERR_PARSE, "payout: Wompi's batch answer has no data object");
    return payout_answer(data, cents);
  }

 private:
  std::string acceptance_token() {
    const json merchant =
        call("GET", "/merchants/" + payment::percent_encode(config_.public_key), "", "create_payment", false);
    const json data = merchant.value("data", json::object());
    const json acceptance = data.is_object() ? data.value("presigned_acceptance", json()) : json();
    if (!acceptance.is_object() || !acceptance.contains("acceptance_token") ||
        !acceptance["acceptance_token"].is_string()) {
      throw Error(RIFA_ERR_PARSE,
                  "create_payment: Wompi's merchant answer has no data.presigned_acceptance.acceptance_token");
    }
    return acceptance["acceptance_token"].get<std::string>();
  }

  // The transaction to report for `reference`: an approved one if any, else the newest.
  std::optional<json> latest_by_reference(const std::string& reference, const char* operation) {
    const json found = call("GET", "/transactions?reference=" + payment::percent_encode(reference), "", operation);
    const json data = found.value("data", json());
    if (!data.is_array())
      throw Error(RIFA_ERR_PARSE, std::string(operation) + ": Wompi's search answer has no data array");
    std::optional<json> chosen;
    for (const auto& transaction : data) {
      if (!transaction.is_object() || transaction.value("reference", "") != reference) continue;
      if (!chosen || transaction.value("status", "") == "APPROVED" ||
          (chosen->value("status", "") != "APPROVED" &&
           transaction.value("created_at", "") > chosen->value("created_at", ""))) {
        chosen = transaction;
      }
    }
    return chosen;
  }

  static std::string async_url(const json& transaction) {
    const json method = transaction.value("payment_method", json());
    if (!method.is_object() || !method.contains("extra") || !method["extra"].is_object()) return "";
    const json& extra = method["extra"];
    return extra.contains("async_payment_url") && extra["async_payment_url"].is_string()
               ? extra["async_payment_url"].get<std::string>()
               : "";
  }

  static std::string reason_of(const json& transaction) {
    const std::string message = transaction.contains("status_message") && transaction["status_message"].is_string()
                                    ? transaction["status_message"].get<std::string>()
                                    : "";
    return message.empty() ? "Wompi: transaction " + transaction.value("status", "") : message;
  }

  std::string creation_answer(const std::string& reference, const json& transaction) const {
    const std::string status = transaction.value("status", "");
    if (status.empty()) throw Error(RIFA_ERR_PARSE, "create_payment: Wompi's transaction has no status");
    const std::string host = host_status(status);
    if (host == "failed") throw Error(RIFA_ERR_DECLINED, reason_of(transaction));
    json answer = {{"provider_ref", reference}, {"status", host}, {"transaction_id", transaction.value("id", "")}};
    if (host == "pending") {
      const std::string type = transaction.value("payment_method_type", "");
      const std::string url = async_url(transaction);
      if (!url.empty()) {
        answer["checkout_url"] = url;
        answer["next_action"] = {{"type", "redirect"}, {"url", url}};
      } else if (type == "NEQUI") {
        answer["next_action"] = {{"type", "wait"},
                                 {"message", "Acepta la notificación de Nequi en tu celular para completar el pago."}};
      } else {
        answer["next_action"] = {{"type", "wait"}, {"message", "Wompi está procesando el pago."}};
      }
    }
    return answer.dump();
  }

  json call(const std::string& method, const std::string& path, const std::string& body, const char* operation,
            bool authorized = true) {
    sdk::HttpRequest request;
    request.method = method;
    request.url = config_.api_base + path;
    request.body = body;
    request.timeout_ms = config_.timeout_ms;
    if (authorized) request.headers.emplace_back("Authorization", "Bearer " + config_.private_key);
    if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
    return answer(host().http(request), method, path, operation, config_.private_key_env);
  }

  // The payouts API: its own root and keys; an idempotency-key on the requests that create.
  json payouts_call(const std::string& method, const std::string& path, const std::string& body, const char* operation,
                    const std::string& idempotency_key = "") {
    sdk::HttpRequest request;
    request.method = method;
    request.url = config_.payouts_api_base + path;
    request.body = body;
    request.timeout_ms = config_.timeout_ms;
    request.headers.emplace_back("x-api-key", config_.payouts_api_key);
    request.headers.emplace_back("user-principal-id", config_.payouts_principal_id);
    if (!idempotency_key.empty()) request.headers.emplace_back("idempotency-key", idempotency_key);
    if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
    return answer(host().http(request), method, path, operation,
                  config_.payouts_api_key_env + " and " + config_.payouts_principal_id_env);
  }

  static json answer(const sdk::HttpResponse& response, const std::string& method, const std::string& path,
                     const char* operation, const std::string& key_env) {
    const std::string where = std::string(operation) + ": Wompi " + method + " " + path.substr(0, path.find('?'));
    const json doc = json::parse(response.body, nullptr, false);
    if (response.status >= 200 && response.status < 300) {
      if (doc.is_discarded() || !doc.is_object()) {
        throw Error(RIFA_ERR_PARSE, where + " answered HTTP " + std::to_string(response.status) +
                                        " with a body that is not a JSON object");
      }
      return doc;
    }
    const json error = !doc.is_discarded() && doc.is_object() && doc.contains("error") && doc["error"].is_object()
                           ? doc["error"]
                           : json::object();
    std::string detail = " (HTTP " + std::to_string(response.status);
    if (error.contains("type") && error["type"].is_string()) detail += ", " + error["type"].get<std::string>();
    detail += ")";
    if (error.contains("messages")) detail += ": " + error["messages"].dump();
    if (response.status >= 500 || response.status == 429) throw Error(RIFA_ERR_TRANSPORT, where + " failed" + detail);
    if (response.status == 401 || response.status == 403) {
      throw Error(RIFA_ERR_TRANSPORT, where + " refused the key in " + key_env + detail);
    }
    if (response.status == 404) throw Error(RIFA_ERR_NOT_FOUND, where + ": not found");
    throw Error(RIFA_ERR_INVALID_ARGUMENT, where + " refused the request" + detail);
  }

  // Wompi's idempotency-key (and our batch reference): 1 to 64 letters, digits or hyphens. Our key
  // (the ganador id, a UUID) is used as it is when it fits, so the batch is recognisable in Wompi's
  // dashboard; any other key becomes its SHA-256 in hex (64 characters), the same on every retry.
  static std::string payout_key(const std::string& key) {
    return matches(key, "^[A-Za-z0-9-]{1,64}$") ? key : sdk::sha256_hex(key);
  }

  // The batch's one transaction, from the beneficiary the host sends (sdk/abi.h; settlement's
  // payout_request: nombre, email and cuenta as PUT /ganadores/{id}/cuenta checked it). A Nequi
  // wallet is paid as an account at the bank Nequi (its bankId under "nequi" in payouts_bank_ids),
  // savings type (Nequi is a low-amount savings deposit), with the phone as the account number:
  // how Colombian transfers (ACH, Transfiya) address a Nequi wallet. No message here holds an
  // account or document number.
  json payee(const json& beneficiary, int64_t cents, const std::string& reference) const {
    const auto refuse = [](const std::string& why) { throw Error(RIFA_ERR_INVALID_ARGUMENT, "payout: " + why); };
    const auto text = [](const json& object, const char* field) {
      return object.is_object() && object.contains(field) && object[field].is_string()
                 ? object[field].get<std::string>()
                 : std::string();
    };
    if (!beneficiary.is_object()) refuse("beneficiary must be an object");
    const json cuenta = beneficiary.value("cuenta", json());
    if (!cuenta.is_object()) {
      refuse("the beneficiary has no cuenta: the winner has not said where to be paid (PUT /ganadores/{id}/cuenta)");
    }
    const std::string tipo = text(cuenta, "tipo");
    std::string bank, account_type, number;
    if (tipo == "bancaria") {
      bank = text(cuenta, "banco");
      const std::string kind = text(cuenta, "tipo_cuenta");
      if (kind == "ahorros") {
        account_type = "AHORROS";
      } else if (kind == "corriente") {
        account_type = "CORRIENTE";
      } else {
        refuse("cuenta.tipo_cuenta must be ahorros or corriente");
      }
      number = text(cuenta, "numero");
      if (!matches(number, "^[0-9]{6,20}$")) refuse("cuenta.numero must be 6 to 20 digits");
    } else if (tipo == "nequi") {
      bank = "nequi";
      account_type = "AHORROS";
      number = text(cuenta, "telefono");
      if (!matches(number, "^3[0-9]{9}$")) refuse("cuenta.telefono must be a Colombian mobile number (3XXXXXXXXX)");
    } else {
      refuse("cuenta.tipo must be bancaria or nequi");
    }
    const auto bank_id = config_.payouts_bank_ids.find(bank);
    if (bank_id == config_.payouts_bank_ids.end()) {
      refuse("no Wompi bankId for bank '" + bank + "': add it to payouts_bank_ids (the id Wompi's GET /banks lists)");
    }
    const std::string id_type = text(cuenta, "documento_tipo");
    if (!matches(id_type, "^(CC|CE|NIT|PP|TI)$")) refuse("cuenta.documento_tipo must be CC, CE, NIT, PP or TI");
    const std::string id = text(cuenta, "documento_numero");
    if (!matches(id, "^[0-9A-Za-z]{4,20}$")) refuse("cuenta.documento_numero must be 4 to 20 letters or digits");
    const std::string name = text(beneficiary, "nombre");
    if (name.empty()) refuse("beneficiary.nombre is required by Wompi");
    const std::string email = text(beneficiary, "email");
    if (!matches(email, "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$")) refuse("beneficiary.email is required by Wompi");
    return {{"legalIdType", id_type},
            {"legalId", id},
            {"bankId", bank_id->second},
            {"accountType", account_type},
            {"accountNumber", number},
            {"name", name.substr(0, 100)},
            {"email", email},
            {"amount", cents},
            {"reference", reference}};
  }

  // The batch Wompi holds under `reference` (GET /payouts?reference=), if any: a paid one first,
  // then one still pending, then any.
  std::optional<json> batch_by_reference(const std::string& reference) {
    const json found = payouts_call("GET", "/payouts?reference=" + payment::percent_encode(reference), "", "payout");
    json data = found.value("data", json());
    if (data.is_object() && data.contains("payouts")) data = data["payouts"];
    if (!data.is_array()) throw Error(RIFA_ERR_PARSE, "payout: Wompi's batch search answer has no data array");
    std::optional<json> chosen;
    int chosen_rank = -1;
    for (const auto& batch : data) {
      if (!batch.is_object() || batch.value("reference", "") != reference) continue;
      const std::string status = batch.value("status", "");
      const int rank = status == "TOTAL_PAYMENT" ? 2 : (status == "PENDING" || status == "PENDING_APPROVAL") ? 1 : 0;
      if (rank > chosen_rank) {
        chosen = batch;
        chosen_rank = rank;
      }
    }
    return chosen;
  }

  // A batch as the host's payout answer: {"payout_ref": the batch id, "status": "paid" | "pending",
  // "provider_status"}; a batch that paid nothing is RIFA_ERR_DECLINED with Wompi's word for it.
  std::string payout_answer(const json& batch, int64_t cents) const {
    const json raw_id = batch.value("id", json());
    const std::string id = raw_id.is_string() ? raw_id.get<std::string>() : raw_id.is_number() ? raw_id.dump() : "";
    if (id.empty()) throw Error(RIFA_ERR_PARSE, "payout: Wompi's batch has no id");
    const std::string status = batch.value("status", "PENDING");
    if (batch.contains("transactions") && batch["transactions"].is_array() && batch["transactions"].size() == 1 &&
        batch["transactions"][0].is_object() && batch["transactions"][0].contains("amount") &&
        batch["transactions"][0]["amount"].is_number_integer() &&
        batch["transactions"][0]["amount"].get<int64_t>() != cents) {
      throw Error(RIFA_ERR_INVALID_ARGUMENT, "payout: Wompi batch " + id + " under this reference pays " +
                                                 std::to_string(batch["transactions"][0]["amount"].get<int64_t>()) +
                                                 " cents, not " + std::to_string(cents) + "; not paying again");
    }
    host().info("wompi payout batch " + id + ": " + status);
    if (status == "TOTAL_PAYMENT") {
      return json({{"payout_ref", id}, {"status", "paid"}, {"provider_status", status}}).dump();
    }
    if (status == "PENDING" || status == "PENDING_APPROVAL") {
      return json({{"payout_ref", id}, {"status", "pending"}, {"provider_status", status}}).dump();
    }
    std::string why = batch.contains("statusMessage") && batch["statusMessage"].is_string()
                          ? ": " + batch["statusMessage"].get<std::string>()
                          : "";
    if (status == "PARTIAL_PAYMENT") {
      throw Error(RIFA_ERR_DECLINED, "Wompi batch " + id +
                                         " is PARTIAL_PAYMENT, which a batch of one transaction cannot be" + why +
                                         "; check it in Wompi's dashboard before paying this prize in any other way");
    }
    throw Error(RIFA_ERR_DECLINED, "Wompi batch " + id + " " + status + why);
  }

  WompiConfig config_;
};

}  // namespace
}  // namespace rifa::plugins::wompi

RIFA_PLUGIN(rifa::plugins::wompi::WompiPayment, RIFA_KIND_PAYMENT, "wompi", "1.0.0",
            "Wompi (Bancolombia): cards, PSE, Nequi and Bancolombia transfer; checksummed events",
            rifa::plugins::wompi::kWompiConfigSchema)
